"""The bundled pipeline (models/racereport-de) still reaches the test scores in its meta.json."""

import json

import pytest

from pipeline.corpus.jsonl import load_documents
from pipeline.corpus.split import split_documents
from pipeline.evaluation import evaluate
from pipeline.extract import BUNDLED_MODEL, load
from tests.conftest import REPO

# Scores may move by a rounding step across CPUs and BLAS builds, not more.
TOLERANCE = 0.005


@pytest.fixture(scope="module")
def recorded() -> dict:
    meta = json.loads((BUNDLED_MODEL / "meta.json").read_text())
    return meta["racereport"]


@pytest.fixture(scope="module")
def measured(recorded) -> dict:
    docs = load_documents([REPO / "corpus" / "de"])
    test = split_documents(docs, recorded["data"]["split_seed"])["test"]
    return evaluate(load(), test).to_dict()


def test_bundled_model_is_recorded(recorded):
    assert recorded["test"]["documents"] == len(
        split_documents(load_documents([REPO / "corpus" / "de"]), recorded["data"]["split_seed"])[
            "test"
        ]
    )
    assert recorded["seed"] is not None
    assert {"train", "dev", "test"} <= set(recorded["data"]["splits"])


def test_bundled_model_reaches_its_recorded_scores(recorded, measured):
    want = recorded["test"]
    assert measured["ents_micro"]["f"] >= want["ents_micro"]["f"] - TOLERANCE
    for label, scores in want["ents_per_label"].items():
        assert measured["ents_per_label"][label]["f"] >= scores["f"] - TOLERANCE, label
    assert measured["incident_detection"]["f"] >= want["incident_detection"]["f"] - TOLERANCE
    assert measured["incident_type_accuracy"] >= want["incident_type_accuracy"] - TOLERANCE
