"""The bundled example is the first thing a user sees: the bundled German pipeline must
extract exactly the entities and relations written by hand for it from the guidelines
(``corpus/examples/sebring.gold.jsonl``)."""

from pipeline.corpus.jsonl import load_documents
from pipeline.evaluation import document_relation_triples, predict_documents
from pipeline.extract import load
from tests.conftest import REPO

EXAMPLES = REPO / "corpus" / "examples"


def test_sebring_example_is_extracted_as_annotated_by_hand():
    (gold,) = load_documents([EXAMPLES / "sebring.gold.jsonl"])
    assert (EXAMPLES / "sebring.txt").read_text(encoding="utf-8").strip() == gold.text
    (predicted,) = predict_documents(load(), [gold])
    entities = {(e.start, e.end, e.label, e.type, e.text) for e in predicted.entities}
    expected = {(e.start, e.end, e.label, e.type, e.text) for e in gold.entities}
    assert sorted(entities - expected) == [], "predicted but not annotated"
    assert sorted(expected - entities) == [], "annotated but not predicted"
    relations = document_relation_triples(predicted)
    text = gold.text

    def readable(triples):
        return sorted((text[h[0] : h[1]], label, text[t[0] : t[1]]) for h, t, label in triples)

    expected_relations = document_relation_triples(gold)
    assert readable(relations - expected_relations) == [], "predicted but not annotated"
    assert readable(expected_relations - relations) == [], "annotated but not predicted"
