"""Training end to end on the bundled corpus (slow: run with ``pytest -m slow``)."""

import json

import pytest

from pipeline.training import train_motorsport
from tests.conftest import REPO

SHORT = {"training.max_steps": 30, "training.eval_frequency": 15}


@pytest.mark.slow
def test_training_is_reproducible_and_packages_scores(tmp_path):
    config = REPO / "models" / "configs" / "motorsport_blank.cfg"
    corpus = [REPO / "corpus" / "de"]
    first = train_motorsport(
        config,
        tmp_path / "a",
        corpus,
        data_dir=tmp_path / "data",
        package=tmp_path / "pkg",
        overrides=SHORT,
    )
    second = train_motorsport(
        config, tmp_path / "b", corpus, data_dir=tmp_path / "data2", overrides=SHORT
    )
    assert first == second
    meta = json.loads((tmp_path / "pkg" / "meta.json").read_text())["racereport"]
    assert meta["test"] == first and meta["seed"] == 2026
    assert meta["data"]["splits"]["train"]["sha256"]
    assert "relations_gold_entities" in first and "relations_micro" in first
