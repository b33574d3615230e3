"""doccano and Prodigy tasks, both directions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from racereport import schema
from racereport.annotate import doccano, prodigy
from racereport.annotate.formats import ImportFormatError, span_labels, split_span_label
from racereport.annotate.tasks import gold_task
from racereport.tokenizer import blank


def _without_provenance(docs):
    return [replace(d, provenance=()) for d in docs]


def test_flat_labels_carry_the_incident_type():
    labels = span_labels()
    assert "INCIDENT:CRASH" in labels and "DRIVER" in labels and "INCIDENT" not in labels
    assert len(labels) == len(schema.ENTITY_LABELS) - 1 + len(schema.INCIDENT_TYPES)
    assert split_span_label("INCIDENT:SPIN") == ("INCIDENT", "SPIN")
    assert split_span_label("TEAM") == ("TEAM", None)


def test_doccano_round_trip_survives_renumbered_ids(sample_docs):
    records = [doccano.to_record(gold_task(d)) for d in sample_docs]
    assert records[0]["entities"][0] == {
        "id": 1,
        "label": "DRIVER",
        "start_offset": 0,
        "end_offset": 12,
    }
    assert {"INCIDENT:PUNCTURE", "INCIDENT:RETIREMENT"} <= {
        e["label"] for e in records[0]["entities"]
    }
    # doccano assigns its own ids on import and writes metadata under "meta" or on top
    exported = []
    for n, record in enumerate(records):
        shift = {e["id"]: e["id"] + 100 for e in record["entities"]}
        exported.append(
            {
                "id": 500 + n,
                "text": record["text"],
                "entities": [{**e, "id": shift[e["id"]]} for e in record["entities"]],
                "relations": [
                    {**r, "from_id": shift[r["from_id"]], "to_id": shift[r["to_id"]]}
                    for r in record["relations"]
                ],
                "meta": {
                    k: v for k, v in record.items() if k not in ("text", "entities", "relations")
                },
            }
        )
    docs = doccano.from_records(enumerate(exported, 1), "d.jsonl", "anna", "2026-11-25")
    assert _without_provenance(docs) == _without_provenance(sample_docs)
    assert docs[0].provenance[0].to_dict() == {
        "annotator": "anna",
        "tool": "doccano",
        "date": "2026-11-25",
    }


def test_doccano_label_sets_for_the_project():
    sets = doccano.label_sets()
    assert [s["text"] for s in sets["span_types"]] == span_labels()
    assert [s["text"] for s in sets["relation_types"]] == list(schema.RELATION_LABELS)


def test_doccano_bad_entity_names_line():
    with pytest.raises(ImportFormatError, match=r"d.jsonl:3 \[x\]: entity .* needs"):
        doccano.from_records(
            [(3, {"text": "abc", "doc_id": "x", "entities": [{"label": "DRIVER"}]})],
            "d.jsonl",
            "anna",
            "2026-11-25",
        )


def test_prodigy_tasks_use_tokens_and_last_token_heads(sample_docs):
    nlp = blank("de")
    record = prodigy.to_record(gold_task(sample_docs[0]), nlp)
    tokens = record["tokens"]
    assert [t["text"] for t in tokens[:6]] == ["Scott", "Tucker", "und", "der", "Level", "-"]
    first = record["spans"][0]
    assert (first["token_start"], first["token_end"], first["label"]) == (0, 1, "DRIVER")
    rel = record["relations"][0]  # d1 DRIVES c1
    assert rel["head"] == rel["head_span"]["token_end"] == 1
    assert rel["child_span"]["label"] == "CAR" and rel["label"] == "DRIVES"


def test_prodigy_round_trip_and_answers(sample_docs):
    nlp = blank("de")
    records = [prodigy.to_record(gold_task(d), nlp) for d in sample_docs]
    records[0].update(answer="accept", _annotator_id="sess-anna", _timestamp=1764064800)
    records[1].update(answer="reject")
    docs, skipped = prodigy.from_records(enumerate(records, 1), "p.jsonl")
    assert skipped == ["f1-t2"]
    assert _without_provenance(docs) == _without_provenance(sample_docs[:1])
    assert docs[0].provenance[0].to_dict() == {
        "annotator": "sess-anna",
        "tool": "prodigy",
        "date": "2025-11-25T10:00:00Z",
    }


def test_prodigy_refuses_entities_off_token_boundaries(sample_docs):
    doc = sample_docs[0]
    ent = replace(doc.entities[0], end=3, text=doc.text[:3])
    with pytest.raises(ValueError, match="does not align with the tokenizer"):
        prodigy.to_record(gold_task(replace(doc, entities=(ent,), relations=())), blank("de"))
