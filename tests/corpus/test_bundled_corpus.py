"""Properties the bundled German corpus must keep as it grows (issue: foundation)."""

import pytest

from racereport import schema
from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import split_documents
from racereport.corpus.stats import compute_stats
from racereport.corpus.validate import validate_paths
from tests.conftest import CORPUS

GERMAN = CORPUS / "de"


@pytest.fixture(scope="module")
def docs():
    return load_documents([GERMAN])


def test_corpus_is_valid():
    problems = validate_paths([CORPUS])
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_size_and_variety(docs):
    stats = compute_stats(docs)
    assert stats.documents >= 400
    assert len(stats.series) >= 15
    # the registers of the first (paragraph-length) corpus; the long-form registers
    # (practice reports, previews, stage and club reports) grow with the long-form corpus
    assert all(stats.registers[r] >= 30 for r in schema.REGISTERS[:5]), stats.registers
    assert {d.lang for d in docs} == {"de"}


def test_every_label_type_and_relation_is_well_represented(docs):
    stats = compute_stats(docs)
    assert min(stats.entities[label] for label in schema.ENTITY_LABELS) >= 100, stats.entities
    assert min(stats.incident_types[t] for t in schema.INCIDENT_TYPES) >= 50, stats.incident_types
    assert min(stats.relations[r] for r in schema.RELATION_LABELS) >= 150, stats.relations


def test_test_split_covers_every_label(docs):
    test = split_documents(docs)["test"]
    stats = compute_stats(test)
    assert len(test) >= 35
    assert all(stats.entities[label] > 0 for label in schema.ENTITY_LABELS)
    assert all(stats.relations[r] > 0 for r in schema.RELATION_LABELS)


def test_hyphenated_compounds_carry_entities(docs):
    """The corpus uses entities inside compounds (Level-5-HPD, BMW-Piloten)."""
    inside = [
        e
        for d in docs
        for e in d.entities
        if (e.start > 0 and d.text[e.start - 1] == "-")
        or (e.end < len(d.text) and d.text[e.end] == "-")
    ]
    assert len(inside) >= 30


def test_every_document_has_provenance(docs):
    assert all(d.provenance and d.source for d in docs)
