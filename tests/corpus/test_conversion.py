"""JSONL -> datasets -> DocBin -> JSONL is lossless."""

import pytest

from racereport import schema
from racereport.corpus.docbin import doc_to_document, document_to_doc, read_docbin, to_docbin
from racereport.corpus.hf import FEATURES, from_dataset, load_corpus, to_dataset
from racereport.corpus.jsonl import CorpusError, load_documents, write_documents
from racereport.records import Document, Entity
from racereport.tokenizer import blank
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def nlp():
    return blank("de")


def round_trip(nlp, docs, tmp_path):
    write_documents(docs, tmp_path / "in.jsonl")
    loaded = load_documents([tmp_path / "in.jsonl"])
    dataset = to_dataset(loaded)
    assert dataset.features == FEATURES
    to_docbin(nlp, from_dataset(dataset)).to_disk(tmp_path / "x.spacy")
    write_documents(read_docbin(nlp, tmp_path / "x.spacy"), tmp_path / "out.jsonl")
    return (tmp_path / "in.jsonl").read_text(), (tmp_path / "out.jsonl").read_text()


def test_round_trip_is_lossless_on_sample(nlp, sample_docs, tmp_path):
    before, after = round_trip(nlp, sample_docs, tmp_path)
    assert before == after


@pytest.mark.parametrize("lang", schema.LANGUAGES)
def test_round_trip_is_lossless_on_the_corpus(lang, tmp_path):
    docs = load_documents([CORPUS / lang])
    assert docs and {d.lang for d in docs} == {lang}
    before, after = round_trip(blank(lang), docs, tmp_path)
    assert before == after


def test_doc_carries_annotations(nlp, sample_docs):
    doc = document_to_doc(nlp, sample_docs[0])
    assert [e.text for e in doc.ents][:3] == ["Scott Tucker", "Level-5", "HPD"]
    incidents = doc.spans[schema.INCIDENT_SPANS_KEY]
    assert next((s.text, s.label_) for s in incidents) == ("Reifenschaden", "PUNCTURE")
    assert doc._.racereport_entity_ids[:3] == ["d1", "t1", "c1"]
    assert doc._.racereport_relations[0] == {"head": "d1", "tail": "c1", "label": "DRIVES"}
    assert doc_to_document(doc) == sample_docs[0]


def test_dataset_uses_class_labels(sample_docs):
    row = to_dataset(sample_docs)[0]
    assert row["entities"][0]["label"] == schema.ENTITY_LABELS.index("DRIVER")
    assert row["entities"][0]["type"] is None


def test_misaligned_entity_is_a_clear_error(nlp):
    doc = Document(
        id="bad",
        text="Scott Tucker",
        entities=(Entity(id="d1", start=0, end=9, label="DRIVER", text="Scott Tuc"),),
    )
    with pytest.raises(CorpusError, match=r"\[bad\] entity d1 .* does not align"):
        document_to_doc(nlp, doc)


def test_load_corpus_gives_the_document_splits():
    corpus = load_corpus([CORPUS / "de"])
    assert set(corpus) == {"train", "dev", "test"}
    assert all(split.features == FEATURES for split in corpus.values())
    ids = [set(split["id"]) for split in corpus.values()]
    assert sum(map(len, ids)) == len(set().union(*ids)) == len(load_documents([CORPUS / "de"]))
