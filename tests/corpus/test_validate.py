import json

import pytest

from racereport.corpus.jsonl import write_documents
from racereport.corpus.validate import check_document, validate_paths
from racereport.tokenizer import blank

TEXT = "Scott Tucker fuhr den HPD von Level 5 in Sebring."


def record(**overrides):
    obj = {
        "id": "doc-1",
        "text": TEXT,
        "entities": [
            {"id": "d1", "start": 0, "end": 12, "label": "DRIVER", "text": "Scott Tucker"},
            {"id": "c1", "start": 22, "end": 25, "label": "CAR", "text": "HPD"},
            {"id": "t1", "start": 30, "end": 37, "label": "TEAM", "text": "Level 5"},
        ],
        "relations": [
            {"head": "d1", "tail": "c1", "label": "DRIVES"},
            {"head": "c1", "tail": "t1", "label": "ENTERED_BY"},
        ],
    }
    obj.update(overrides)
    return obj


def write_lines(path, objs):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs))
    return path


def with_entity(i, **changes):
    obj = record()
    obj["entities"][i] = {**obj["entities"][i], **changes}
    return obj


def test_valid_records_pass(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "a.jsonl")
    write_lines(tmp_path / "b.jsonl", [record()])
    assert validate_paths([tmp_path]) == []


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        (with_entity(0, end=99), "offsets 0-99 outside the text"),
        (with_entity(0, start=5, end=5), "empty or reversed offsets"),
        (with_entity(0, text="Scott Tuckre"), "does not match 'Scott Tucker'"),
        (with_entity(0, label="PILOT"), "unknown label 'PILOT'"),
        (with_entity(0, type="CRASH"), "type 'CRASH' on a DRIVER"),
        (with_entity(1, label="INCIDENT"), "INCIDENT without an incident type"),
        (with_entity(1, label="INCIDENT", type="BOOM"), "unknown incident type 'BOOM'"),
        (with_entity(1, id="d1"), "duplicate entity id 'd1'"),
        (with_entity(1, start=6, end=25, text="Tucker fuhr den HPD"), "overlap"),
        (with_entity(0, start=0, end=13, text="Scott Tucker "), "whitespace"),
        (with_entity(0, start=0, end=9, text="Scott Tuc"), "does not align with tokens"),
        (
            record(relations=[{"head": "d1", "tail": "x9", "label": "DRIVES"}]),
            "no entity with id x9",
        ),
        (
            record(relations=[{"head": "d1", "tail": "c1", "label": "OWNS"}]),
            "unknown relation type",
        ),
        (
            record(relations=[{"head": "c1", "tail": "d1", "label": "DRIVES"}]),
            "DRIVES cannot go from CAR to DRIVER",
        ),
        (
            record(relations=[{"head": "d1", "tail": "c1", "label": "DRIVES"}] * 2),
            "duplicate relation",
        ),
        (record(register="blog"), "unknown register 'blog'"),
        (record(date="17.03.2012"), "is not YYYY"),
        (record(text="  "), "empty text"),
        (
            record(entities=list(reversed(record()["entities"])), relations=[]),
            "not listed in text order",
        ),
    ],
)
def test_rejects_with_file_line_and_reason(tmp_path, obj, reason):
    path = write_lines(tmp_path / "c.jsonl", [record(id="ok"), obj])
    problems = validate_paths([path])
    assert problems, reason
    assert any(reason in p.message for p in problems), [str(p) for p in problems]
    assert all(p.path == path and p.line == 2 for p in problems)
    assert str(problems[0]).startswith(f"{path}:2: [doc-1]")


def test_structural_and_json_errors_do_not_stop_the_run(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "x"}\n'  # line 1: no entities
        b"{not json\n"  # line 2
        b"\xff\xfe\n"  # line 3: not UTF-8
        b"\n"  # line 4: blank, skipped
        + json.dumps(record()).encode()
        + b"\n"  # line 5: fine
        + json.dumps(record()).encode()
        + b"\n"  # line 6: duplicate id
    )
    problems = validate_paths([path])
    by_line = {p.line: p.message for p in problems}
    assert set(by_line) == {1, 2, 3, 6}
    assert "missing field 'entities'" in by_line[1]
    assert "invalid JSON" in by_line[2]
    assert "not UTF-8" in by_line[3]
    assert f"duplicate document id (first at {path}:5)" in by_line[6]


def test_duplicate_ids_across_files(tmp_path):
    write_lines(tmp_path / "a.jsonl", [record()])
    write_lines(tmp_path / "b.jsonl", [record()])
    problems = validate_paths([tmp_path])
    assert len(problems) == 1 and problems[0].path == tmp_path / "b.jsonl"


def test_missing_path_is_reported(tmp_path):
    problems = validate_paths([tmp_path / "nope.jsonl"])
    assert len(problems) == 1 and "no such file or folder" in problems[0].message


def test_check_document_on_memory_docs(sample_docs):
    tokenizer = blank("de").tokenizer
    assert all(check_document(d, tokenizer) == [] for d in sample_docs)
