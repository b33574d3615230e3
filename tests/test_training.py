"""Training end to end on the bundled corpus (slow: run with ``pytest -m slow``)."""

import json

import pytest

from racereport.training import train_motorsport
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
    package_meta = json.loads((tmp_path / "pkg" / "meta.json").read_text())
    assert package_meta["license"] == "CC BY 4.0"  # the corpus alone, no stored word lists
    assert [s["license"] for s in package_meta["sources"]] == ["CC BY 4.0"]
    meta = package_meta["racereport"]
    assert meta["test"] == first and meta["seed"] == 2026
    assert meta["data"]["splits"]["train"]["sha256"]
    assert "relations_gold_entities" in first and "relations_micro" in first


def test_series_held_out_never_trains_on_the_series(tmp_path, sample_docs):
    from dataclasses import replace

    from racereport.corpus.jsonl import write_documents
    from racereport.training import train_series_held_out

    docs = [
        replace(doc, id=f"{doc.id}-{i}", series=series)
        for i in range(12)
        for doc, series in zip(sample_docs, ("ALMS", "F1"), strict=True)
    ]
    write_documents(docs, tmp_path / "corpus.jsonl")
    long_doc = replace(sample_docs[1], id="f1-long", length="long")
    write_documents([long_doc], tmp_path / "heldout.jsonl")
    # other-language documents: the F1 ones stay out, the others join the training part
    series_of_others = ("F1", "F1", "ALMS", "WEC")
    others = [
        replace(doc, id=f"en-{i}", lang="en", series=series, date=f"2020-01-{i + 1:02d}")
        for i, (doc, series) in enumerate(zip(sample_docs * 2, series_of_others, strict=True))
    ]
    write_documents(others, tmp_path / "transfer.jsonl")
    report = train_series_held_out(
        REPO / "models" / "configs" / "motorsport_blank.cfg",
        tmp_path / "run",
        [tmp_path / "corpus.jsonl"],
        "F1",
        heldout=[tmp_path / "heldout.jsonl"],
        overrides={"training.max_steps": 4, "training.eval_frequency": 2},
        transfer=[tmp_path / "transfer.jsonl"],
    )
    assert report["series"] == "F1"
    assert report["documents"] == 13  # every F1 document of the corpus and the held-out one
    # the training split held no F1 document: every F1 name is unseen
    assert report["unseen_names"]["share_of_names"] == 1.0
    assert "ents_micro_overlap" in report and "common_words" in report
    assert (tmp_path / "run" / "series_scores.json").exists()
    assert 0 < report["train_documents"] < 12
    assert report["transfer_documents"] == 2  # ALMS and WEC, not the two F1 reports


def test_background_text_is_recorded_with_its_hash(tmp_path):
    from thinc.api import Config

    from racereport.corpus.build import sha256_file
    from racereport.training import background_provenance

    source = tmp_path / "train.json.gz"
    source.write_bytes(b"smartdata")
    reader = {"@readers": "race.CorpusWithBackground.v1", "path": "x", "share": 0.25}
    config = Config({"corpora": {"train": {**reader, "background": str(source), "names": "rare"}}})
    found = background_provenance(config)
    assert found is not None and found["sha256"] == sha256_file(source)
    assert (found["share"], found["names"]) == (0.25, "rare")
    assert found["license"] == "CC BY 4.0 (DFKI SmartData corpus)"
    without = Config({"corpora": {"train": {**reader, "background": None}}})
    assert background_provenance(without) is None
    plain = Config({"corpora": {"train": {"@readers": "spacy.Corpus.v1", "path": "x"}}})
    assert background_provenance(plain) is None
