"""The long-form corpus and the long-article test set (corpus/heldout): whole articles,
marked as such, and never part of what the pipelines are trained or tuned on."""

import statistics

import pytest

from racereport import schema
from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import HELDOUT_ROOT, default_heldout
from tests.conftest import CORPUS, REPO


@pytest.fixture(scope="module")
def training_docs():
    return load_documents([CORPUS / lang for lang in schema.LANGUAGES])


@pytest.fixture(scope="module")
def heldout_docs():
    return load_documents([REPO / HELDOUT_ROOT])


def _words(doc) -> int:
    return len(doc.text.split())


def test_long_documents_are_whole_articles(training_docs, heldout_docs):
    long_docs = [d for d in training_docs + heldout_docs if d.length == "long"]
    assert len(long_docs) >= 100
    # results notices and short tickers are whole articles of fewer words (lists of
    # names and times), paragraph-length reports stay far below
    assert all(_words(d) >= 100 for d in long_docs), [d.id for d in long_docs if _words(d) < 100]
    german = [_words(d) for d in long_docs if d.lang == "de"]
    assert statistics.median(german) >= 250  # the German articles: 250 to 900 words
    assert all(_words(d) < 110 for d in training_docs if d.length == "short")


def test_heldout_set_is_long_and_covers_every_language(heldout_docs):
    assert all(d.length == "long" for d in heldout_docs)
    by_lang = {lang: [d for d in heldout_docs if d.lang == lang] for lang in schema.LANGUAGES}
    assert len(by_lang["de"]) >= 40
    assert len(by_lang["en"]) >= 15
    assert len(by_lang["fr"]) >= 5
    assert default_heldout("fr") == [HELDOUT_ROOT / "fr"]
    assert len({d.series for d in by_lang["de"]}) >= 15
    assert len({d.register for d in by_lang["de"]}) >= 8


def test_heldout_set_shares_no_document_or_text_with_training(training_docs, heldout_docs):
    assert not {d.id for d in heldout_docs} & {d.id for d in training_docs}
    train_texts = {d.text for d in training_docs}
    assert not [d.id for d in heldout_docs if d.text in train_texts]
    # nor a paragraph: the held-out articles were written in a separate pass
    train_paragraphs = {p for d in training_docs if d.length == "long" for p in d.text.split("\n")}
    shared = [
        d.id
        for d in heldout_docs
        for p in d.text.split("\n")
        if len(p.split()) > 8 and p in train_paragraphs
    ]
    assert shared == []


def test_training_reads_the_heldout_set_only_as_a_test_set():
    assert default_heldout("de") == [HELDOUT_ROOT / "de"]
    assert default_heldout("xx") == []
    assert not (CORPUS / "de").resolve().is_relative_to((REPO / HELDOUT_ROOT).resolve())
