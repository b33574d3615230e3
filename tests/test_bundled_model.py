"""The bundled pipelines (models/racereport-de|en|fr) still reach the test scores in
their meta.json, on their own language's test split and long-article test set."""

import json

import pytest
import spacy

from racereport.corpus.build import sha256_file
from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import split_documents
from racereport.evaluation import evaluate
from racereport.extract import BUNDLED_MODEL
from tests.conftest import REPO

# Scores may move by a rounding step across CPUs and BLAS builds, not more.
TOLERANCE = 0.005
LANGS = ["de", "en", "fr"]


def _model(lang: str):
    return BUNDLED_MODEL if lang == "de" else REPO / "models" / f"racereport-{lang}"


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def recorded(lang) -> dict:
    meta = json.loads((_model(lang) / "meta.json").read_text())
    assert meta["lang"] == lang
    return meta["racereport"]


@pytest.fixture(scope="module")
def test_split(lang, recorded) -> list:
    docs = load_documents([REPO / "corpus" / lang])
    return split_documents(docs, recorded["data"]["split_seed"])["test"]


@pytest.fixture(scope="module")
def nlp(lang):
    return spacy.load(_model(lang))


@pytest.fixture(scope="module")
def measured(nlp, test_split) -> dict:
    return evaluate(nlp, test_split).to_dict()


def test_bundled_model_is_recorded(recorded, test_split):
    assert recorded["test"]["documents"] == len(test_split)
    assert recorded["seed"] is not None
    assert {"train", "dev", "test"} <= set(recorded["data"]["splits"])


def test_bundled_model_reaches_its_recorded_scores(recorded, measured):
    want = recorded["test"]
    assert measured["ents_micro"]["f"] >= want["ents_micro"]["f"] - TOLERANCE
    for label, scores in want["ents_per_label"].items():
        assert measured["ents_per_label"][label]["f"] >= scores["f"] - TOLERANCE, label
    assert measured["incident_detection"]["f"] >= want["incident_detection"]["f"] - TOLERANCE
    assert measured["incident_type_accuracy"] >= want["incident_type_accuracy"] - TOLERANCE


def test_bundled_pipeline_reaches_its_long_article_scores(nlp, recorded):
    """The long-article test set each bundled pipeline was scored on is the one in the
    repository (same hashes), and the pipeline still reaches those scores."""
    sources = recorded["data"]["heldout_long"]["sources"]
    assert sources, "no long-article test set recorded"
    for path, digest in sources.items():
        assert sha256_file(REPO / path) == digest, f"{path} changed since the pipeline was scored"
    docs = load_documents([REPO / path for path in sources])
    assert len(docs) == recorded["data"]["heldout_long"]["documents"]
    want = recorded["test"]["heldout_long"]
    got = evaluate(nlp, docs).to_dict()
    assert got["ents_micro"]["f"] >= want["ents_micro"]["f"] - TOLERANCE
    assert got["incident_detection"]["f"] >= want["incident_detection"]["f"] - TOLERANCE
    assert got["relations_micro"]["f"] >= want["relations_micro"]["f"] - TOLERANCE
