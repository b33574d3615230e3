from pathlib import Path

import pytest

from racereport.batch.sources import Fields, count_inputs, read_inputs, read_text_file
from tests.batch.conftest import BAD, GOOD


def test_every_document_is_read_or_explained(inputs):
    docs = list(read_inputs([inputs]))
    assert len(docs) == GOOD + BAD == count_inputs([inputs])
    errors = {d.id: d.error for d in docs if d.error}
    assert len(errors) == BAD - 1  # the duplicate id is an error of the engines
    assert errors[str(inputs / "texts" / "empty.txt")] == "empty text"
    assert errors[str(inputs / "texts" / "binary.bin")].startswith("binary content")
    assert errors[str(inputs / "texts" / "latin1.txt")].startswith("not UTF-8")
    assert errors["line 2"].startswith("malformed JSON")
    assert errors["j2"] == "missing text field: no field 'text' (line 3)"
    assert not any(".hidden" in d.source for d in docs)
    # a repeated id is read twice; the engines turn the second into an error row
    assert [d.id for d in docs if d.source.endswith("docs.jsonl")].count("j1") == 2


def test_order_is_stable_and_sources_are_named(inputs):
    first = [d.key for d in read_inputs([inputs])]
    assert first == [d.key for d in read_inputs([inputs])]
    sources = {Path(source).name for source, _ in first}
    assert {"docs.parquet", "docs.jsonl", "dataset", "a.txt"} <= sources


def test_custom_fields_and_size_limit(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"key": "k1", "body": "Ein langer Text."}\n', encoding="utf-8")
    [doc] = read_inputs([path], Fields(text="body", id="key"))
    assert (doc.id, doc.text) == ("k1", "Ein langer Text.")
    [doc] = read_inputs([path], Fields(text="body", id="key"), max_chars=5)
    assert doc.error.startswith("too large")


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing"):
        list(read_inputs([tmp_path / "nothing"]))


def test_text_file_id_is_its_path(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Ein Bericht.", encoding="utf-8")
    doc = read_text_file(path)
    assert doc.id == doc.source == str(path) and doc.error is None
