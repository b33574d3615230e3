import json

import pytest

from racereport.corpus.build import build_docbins
from racereport.corpus.jsonl import CorpusError, write_documents
from racereport.corpus.split import split_documents, split_of
from racereport.corpus.stats import compute_stats
from racereport.records import Document


def fake_docs(n):
    return [Document(id=f"doc-{i}", text="Text.") for i in range(n)]


def test_split_is_deterministic_and_seeded():
    ids = [f"doc-{i}" for i in range(500)]
    assert [split_of(i) for i in ids] == [split_of(i) for i in ids]
    assert [split_of(i, seed=1) for i in ids] != [split_of(i, seed=2) for i in ids]


def test_split_fractions_and_disjointness():
    groups = split_documents(fake_docs(5000))
    sizes = {k: len(v) for k, v in groups.items()}
    assert sum(sizes.values()) == 5000
    assert 400 < sizes["test"] < 600 and 400 < sizes["dev"] < 600
    ids = [{d.id for d in g} for g in groups.values()]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])


def test_growing_the_corpus_moves_no_document():
    before = {d.id: name for name, g in split_documents(fake_docs(300)).items() for d in g}
    after = {d.id: name for name, g in split_documents(fake_docs(600)).items() for d in g}
    assert all(after[i] == s for i, s in before.items())


def test_bad_fractions():
    with pytest.raises(ValueError, match="fractions"):
        split_of("x", dev=0.6, test=0.5)


def test_build_writes_docbins_and_manifest(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "c.jsonl")
    manifest = build_docbins([tmp_path / "c.jsonl"], tmp_path / "out", dev=0.0, test=0.0)
    assert manifest["splits"]["train"]["documents"] == 2
    assert (tmp_path / "out" / "train.spacy").exists()
    on_disk = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert on_disk == manifest
    assert len(on_disk["sources"][str(tmp_path / "c.jsonl")]) == 64


def test_rebuilding_replaces_files_whole_and_leaves_no_temporary_files(tmp_path, sample_docs):
    """Two training runs may rebuild the same corpus folder while one of them already
    reads it: each file is written beside its target and moved into place."""
    write_documents(sample_docs, tmp_path / "c.jsonl")
    out = tmp_path / "out"
    first = build_docbins([tmp_path / "c.jsonl"], out, dev=0.0, test=0.0)
    old_inode = (out / "train.spacy").stat().st_ino
    with (out / "train.spacy").open("rb") as reader:  # a run reading the old file
        second = build_docbins([tmp_path / "c.jsonl"], out, dev=0.0, test=0.0)
        assert reader.read() == (tmp_path / "out" / "train.spacy").read_bytes()
    assert (out / "train.spacy").stat().st_ino != old_inode  # moved in, not rewritten
    assert second["splits"]["train"]["sha256"] == first["splits"]["train"]["sha256"]
    assert sorted(p.name for p in out.iterdir()) == [
        "dev.spacy",
        "manifest.json",
        "test.spacy",
        "train.spacy",
    ]


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    from racereport.corpus.build import _replace_atomically

    target = tmp_path / "train.spacy"
    target.write_bytes(b"old")

    def fail(path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        _replace_atomically(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["train.spacy"]


def test_build_refuses_an_invalid_corpus(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"id": "a", "text": "x", "entities": [], "lang": "xx"}\n')
    with pytest.raises(CorpusError, match="1 problem"):
        build_docbins([tmp_path / "c.jsonl"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_stats_count_everything(sample_docs):
    stats = compute_stats(sample_docs).to_dict()
    assert stats["documents"] == 2
    assert stats["entities"]["DRIVER"] == 3 and stats["entities"]["RACE"] == 1
    assert stats["incident_types"]["PUNCTURE"] == 2 and stats["incident_types"]["CRASH"] == 0
    assert stats["relations"]["ENTERED_BY"] == 2
    assert stats["series"] == {"ALMS": 1, "F1": 1}
    assert stats["registers"]["ticker"] == 1


def test_build_is_reproducible(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "c.jsonl")
    first = build_docbins([tmp_path / "c.jsonl"], tmp_path / "a", dev=0.0, test=0.0)
    second = build_docbins([tmp_path / "c.jsonl"], tmp_path / "b", dev=0.0, test=0.0)
    assert first["splits"]["train"]["sha256"] == second["splits"]["train"]["sha256"]


def test_transfer_documents_join_the_training_split_only(tmp_path, sample_docs):
    from dataclasses import replace

    from racereport.corpus.docbin import read_docbin
    from racereport.tokenizer import blank

    english = [
        replace(d, id=f"en-{i}", lang="en", date=f"2020-01-{i + 10}", entities=(), relations=())
        for i, d in enumerate(sample_docs * 6)
    ]
    write_documents(english, tmp_path / "en.jsonl")
    plain = build_docbins([tmp_path / "en.jsonl"], tmp_path / "plain", lang="en")
    test_date = next(d.date for d in english if d.id in plain["splits"]["test"]["ids"])
    # the second German report covers the same event as an English test report
    german = [sample_docs[0], replace(sample_docs[1], date=test_date)]
    write_documents(german, tmp_path / "de.jsonl")
    manifest = build_docbins(
        [tmp_path / "en.jsonl"], tmp_path / "out", lang="en", transfer=[tmp_path / "de.jsonl"]
    )
    assert manifest["transfer"]["documents"] == 1
    assert manifest["transfer"]["left_out_same_date_as_held_out"] == 1
    assert manifest["transfer"]["left_out_misaligned"] == 0
    assert manifest["splits"]["train"]["documents"] == plain["splits"]["train"]["documents"] + 1
    for split in ("dev", "test"):
        assert manifest["splits"][split]["ids"] == plain["splits"][split]["ids"]
    train = list(read_docbin(blank("en"), tmp_path / "out" / "train.spacy"))
    assert "alms-t1" in {d.id for d in train} and "f1-t2" not in {d.id for d in train}


def test_transfer_documents_about_a_long_article_test_event_are_left_out(tmp_path, sample_docs):
    from dataclasses import replace

    english = [
        replace(d, id=f"en-{i}", lang="en", date=f"2020-01-{i + 10}", entities=(), relations=())
        for i, d in enumerate(sample_docs * 6)
    ]
    write_documents(english, tmp_path / "en.jsonl")
    heldout = [replace(english[0], id="en-long-1", date="1966-06-19", length="long")]
    write_documents(heldout, tmp_path / "heldout.jsonl")
    # a German article about the event of the English long-article test document
    german = [sample_docs[0], replace(sample_docs[1], date="1966-06-19")]
    write_documents(german, tmp_path / "de.jsonl")
    without = build_docbins(
        [tmp_path / "en.jsonl"], tmp_path / "a", lang="en", transfer=[tmp_path / "de.jsonl"]
    )
    with_heldout = build_docbins(
        [tmp_path / "en.jsonl"],
        tmp_path / "b",
        lang="en",
        transfer=[tmp_path / "de.jsonl"],
        heldout=[tmp_path / "heldout.jsonl"],
    )
    assert with_heldout["transfer"]["documents"] == without["transfer"]["documents"] - 1
    assert (
        with_heldout["transfer"]["left_out_same_date_as_held_out"]
        == without["transfer"]["left_out_same_date_as_held_out"] + 1
    )
