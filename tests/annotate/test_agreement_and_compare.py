"""Inter-annotator agreement and before/after comparison."""

from __future__ import annotations

from dataclasses import replace

import pytest

from racereport.annotate.agreement import AgreementError, agreement
from racereport.annotate.compare import compare_reports


def test_identical_sets_agree_fully(sample_docs):
    result = agreement(sample_docs, sample_docs).to_dict()
    assert result["documents"] == 2
    assert result["entities"]["f"] == 1.0 and result["relations"]["f"] == 1.0
    assert result["incident_type_agreement"] == 1.0


def test_disagreements_count_exactly(sample_docs):
    doc = sample_docs[1]
    # B: relabels the team as CAR, retypes the penalty, drops one relation, has an extra doc
    ents = tuple(
        replace(e, label="CAR")
        if e.id == "t1"
        else replace(e, type="VIOLATION")
        if e.id == "i1"
        else e
        for e in doc.entities
    )
    rels = tuple(r for r in doc.relations if r.label != "CAUSES")
    b = [replace(doc, entities=ents, relations=rels), replace(doc, id="extra")]
    result = agreement(sample_docs, b)
    data = result.to_dict()
    assert result.only_a == ["alms-t1"] and result.only_b == ["extra"]
    assert data["entities_per_label"]["TEAM"] == {"p": 0.0, "r": 0.0, "f": 0.0, "support": 1}
    assert data["entities"]["f"] == pytest.approx(2 * 6 / 7 * 6 / 7 / (12 / 7), abs=1e-4)
    assert data["incident_type_agreement"] == pytest.approx(2 / 3, abs=1e-4)
    # DRIVES_FOR now points at a CAR span with the same offsets: still the same triple
    assert data["relations_per_label"]["CAUSES"]["r"] == 0.0
    assert data["relations"]["r"] == pytest.approx(2 / 3, abs=1e-4)


def test_agreement_needs_shared_documents_with_equal_texts(sample_docs):
    with pytest.raises(AgreementError, match="share no document"):
        agreement(sample_docs[:1], sample_docs[1:])
    with pytest.raises(AgreementError, match=r"\[f1-t2\] the two sets have different texts"):
        agreement(sample_docs, [replace(sample_docs[1], text=sample_docs[1].text + " ")])


def test_compare_reports_side_by_side():
    before = {
        "ents_micro": {"f": 0.8},
        "ents_per_label": {"TEAM": {"f": 0.7}},
        "relations_micro": {"f": 0.6},
    }
    after = {
        "ents_micro": {"f": 0.85},
        "ents_per_label": {"TEAM": {"f": 0.9}},
        "relations_gold_entities": {"micro": {"f": 0.81}},
    }
    rows = {r.metric.strip(): (r.before, r.after, r.delta) for r in compare_reports(before, after)}
    assert rows == {
        "entities micro F1": (0.8, 0.85, 0.05),
        "TEAM F1": (0.7, 0.9, 0.2),
        "relations micro F1 (end to end)": (0.6, None, None),
        "relations micro F1 (gold entities)": (None, 0.81, None),
    }
