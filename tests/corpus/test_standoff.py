"""Standoff annotations: real text read from a dataset folder, never stored in the repo."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from racereport.corpus.jsonl import corpus_files
from racereport.corpus.standoff import (
    StandoffError,
    default_real,
    detokenize,
    load_standoff,
    other_texts,
    read_germeval_sentences,
    text_sha256,
)
from racereport.generalisation import entities_in_other_text
from racereport.records import Document, Entity

TSV = (
    "#\thttp://example.org/a\t[2009-01-01]\n"
    "1\tDas\tO\tO\n2\tist\tO\tO\n3\tnichts\tO\tO\n4\t.\tO\tO\n\n"
    "#\thttp://example.org/b\t[2009-01-02]\n"
    '1\t"\tO\tO\n2\tIch\tO\tO\n3\twar\tO\tO\n4\tam\tO\tO\n5\tLimit\tO\tO\n6\t"\tO\tO\n'
    "7\t,\tO\tO\n8\tsagte\tO\tO\n9\tSebastian\tB-PER\tO\n10\tVettel\tI-PER\tO\n"
    "11\t(\tO\tO\n12\tRed\tB-ORG\tO\n13\tBull\tI-ORG\tO\n14\t)\tO\tO\n15\t.\tO\tO"
)
TEXT = '"Ich war am Limit", sagte Sebastian Vettel (Red Bull).'


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "germeval2014"
    folder.mkdir()
    (folder / "NER-de-test.tsv").write_text(TSV, encoding="utf-8")
    return folder


def _record(sha: str = text_sha256(TEXT), **changes: object) -> dict:
    record = {
        "id": "germeval2014-test-1",
        "lang": "de",
        "source": "http://example.org/b",
        "text_ref": {"dataset": "germeval2014", "file": "NER-de-test.tsv", "sentence": 1},
        "text_sha256": sha,
        "license": "CC BY 4.0",
        "entities": [
            {"id": "e1", "start": 26, "end": 42, "label": "DRIVER", "type": None},
            {"id": "e2", "start": 44, "end": 52, "label": "TEAM", "type": None},
        ],
        "relations": [{"head": "e1", "tail": "e2", "label": "DRIVES_FOR"}],
    }
    record.update(changes)
    return record


def _write(tmp_path: Path, *records: dict) -> Path:
    path = tmp_path / "real.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_detokenize_joins_punctuation_brackets_and_quotes():
    tokens = ['"', "Ich", "war", "am", "Limit", '"', ",", "sagte", "er", "(", "Red", "Bull", ")"]
    assert detokenize(tokens) == '"Ich war am Limit", sagte er (Red Bull)'
    # a quote left open by the previous sentence closes before punctuation
    assert detokenize(["schwierig", "ist", '"', ",", "so", "er", "."]) == 'schwierig ist", so er.'


def test_sentences_are_numbered_by_source_line(data_dir: Path):
    sentences = read_germeval_sentences(data_dir / "NER-de-test.tsv")
    assert sorted(sentences) == [0, 1]
    assert sentences[0] == ("http://example.org/a\t[2009-01-01]", ["Das", "ist", "nichts", "."])
    assert detokenize(sentences[1][1]) == TEXT


def test_standoff_record_becomes_a_document(tmp_path: Path, data_dir: Path):
    (doc,) = load_standoff([_write(tmp_path, _record())], data_dir)
    assert doc.text == TEXT
    assert [(e.text, e.label) for e in doc.entities] == [
        ("Sebastian Vettel", "DRIVER"),
        ("Red Bull", "TEAM"),
    ]
    assert [(r.head, r.tail, r.label) for r in doc.relations] == [("e1", "e2", "DRIVES_FOR")]
    assert doc.source == "http://example.org/b"


def test_changed_text_is_refused(tmp_path: Path, data_dir: Path):
    with pytest.raises(StandoffError, match=r"real.jsonl:1: .* does not match 'text_sha256'"):
        load_standoff([_write(tmp_path, _record(sha="0" * 64))], data_dir)


def test_missing_dataset_says_what_to_pass(tmp_path: Path):
    with pytest.raises(StandoffError, match=r"NER-de-test\.tsv not found; pass the folder"):
        load_standoff([_write(tmp_path, _record())], tmp_path / "nowhere")


def test_bad_offsets_and_labels_are_refused(tmp_path: Path, data_dir: Path):
    outside = _record(entities=[{"id": "e1", "start": 40, "end": 99, "label": "DRIVER"}])
    with pytest.raises(StandoffError, match="entity 0: offsets outside the text"):
        load_standoff([_write(tmp_path, outside)], data_dir)
    cut = _record(entities=[{"id": "e1", "start": 26, "end": 30, "label": "DRIVER"}], relations=[])
    with pytest.raises(StandoffError, match="token"):
        load_standoff([_write(tmp_path, cut)], data_dir)


def test_unknown_sentence_is_refused(tmp_path: Path, data_dir: Path):
    record = _record(text_ref={"dataset": "germeval2014", "file": "NER-de-test.tsv", "sentence": 7})
    with pytest.raises(StandoffError, match="has no sentence 7"):
        load_standoff([_write(tmp_path, record)], data_dir)


def test_bundled_standoff_file_stores_no_text():
    (path,) = default_real("de")
    assert path.name.endswith(".standoff.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert "text" not in record
        assert all("text" not in e for e in record["entities"])
        assert record["license"] == "CC BY 4.0" and record["source"]


def test_corpus_folders_leave_standoff_files_out(tmp_path: Path):
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "b.standoff.jsonl").write_text("")
    assert corpus_files([tmp_path]) == [tmp_path / "a.jsonl"]
    # named directly, a standoff file is read as a standoff file
    assert load_standoff([tmp_path / "b.standoff.jsonl"], tmp_path) == []


def test_other_texts_are_the_sentences_not_about_racing(tmp_path: Path, data_dir: Path):
    (data_dir / "NER-de-dev.tsv").write_text(
        TSV.replace("nichts", "Rennen") + "\n\n#\tc\n1\tDie\tO\tO\n2\tBahn\tO\tO\n3\t.\tO\tO\n",
        encoding="utf-8",
    )
    annotated = [Document(id="germeval2014-dev-1", text="x")]
    others = other_texts(data_dir, annotated)
    # sentence 0 mentions a race, sentence 1 is annotated: only the one about the railway
    assert [(d.id, d.text, d.entities) for d in others] == [("germeval2014-dev-2", "Die Bahn.", ())]
    predicted = [replace(others[0], entities=(Entity("e1", 4, 8, "DRIVER", "Bahn"),))]
    assert entities_in_other_text(predicted) == {
        "documents": 1,
        "words": 2,
        "entities": 1,
        "per_1000_words": 500.0,
        "per_label": {"DRIVER": 1},
        "most_common": {"Bahn (DRIVER)": 1},
    }
