"""Importing a tool's export into the corpus: validation, nothing half-written, merge."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from racereport.annotate import labelstudio
from racereport.annotate.importer import ImportFailed, import_annotations, merge
from racereport.annotate.tasks import gold_task
from racereport.corpus.jsonl import load_documents, write_documents
from racereport.records import Provenance


def _ls_export(docs, path):
    tasks = labelstudio.to_tasks(gold_task(d) for d in docs)
    exported = [
        {
            "id": i,
            "data": t["data"],
            "annotations": [
                {
                    "completed_by": 3,
                    "result": t["predictions"][0]["result"],
                    "updated_at": "2026-11-25T12:00:00Z",
                }
            ],
        }
        for i, t in enumerate(tasks, 1)
    ]
    path.write_text(json.dumps(exported), encoding="utf-8")
    return exported


def test_import_writes_valid_documents_with_provenance(tmp_path, sample_docs):
    export = tmp_path / "export.json"
    _ls_export(sample_docs, export)
    into = tmp_path / "corpus" / "new.jsonl"
    imported = import_annotations(export, "labelstudio", into)
    assert len(imported.documents) == 2
    written = load_documents([into])
    assert [replace(d, provenance=()) for d in written] == [
        replace(d, provenance=()) for d in sample_docs
    ]
    assert written[0].provenance == (Provenance("user-3", "labelstudio", "2026-11-25T12:00:00Z"),)


def test_invalid_annotations_write_nothing_and_say_why(tmp_path, sample_docs):
    export = tmp_path / "export.json"
    tasks = _ls_export(sample_docs, export)
    result = tasks[1]["annotations"][0]["result"]
    # an INCIDENT without a type, and a relation with arguments the schema forbids
    tasks[1]["annotations"][0]["result"] = [
        r for r in result if not (r["type"] == "choices" and r["id"] == "i3")
    ] + [{"type": "relation", "from_id": "s1", "to_id": "d1", "labels": ["WINS"]}]
    export.write_text(json.dumps(tasks), encoding="utf-8")
    into = tmp_path / "new.jsonl"
    into.write_text("keep me\n")
    with pytest.raises(ImportFailed) as info:
        import_annotations(export, "labelstudio", into)
    problems = info.value.problems
    assert any("[f1-t2] entity i3: INCIDENT without an incident type" in p for p in problems)
    assert any("[f1-t2] relation s1 -WINS-> d1: WINS cannot go from SERIES" in p for p in problems)
    assert all(p.startswith(str(export)) for p in problems)
    assert into.read_text() == "keep me\n"


def test_entities_off_token_boundaries_are_rejected(tmp_path, sample_docs):
    doc = sample_docs[1]
    ent = replace(
        doc.entities[0],
        end=doc.entities[0].end - 2,
        text=doc.text[doc.entities[0].start : doc.entities[0].end - 2],
    )
    _ls_export([replace(doc, entities=(ent,), relations=())], tmp_path / "e.json")
    with pytest.raises(ImportFailed, match="does not align with tokens"):
        import_annotations(tmp_path / "e.json", "labelstudio", tmp_path / "out.jsonl")


def test_merge_replaces_by_id_and_keeps_history(tmp_path, sample_docs):
    old = [
        replace(d, provenance=(Provenance("core", "markup", "2026-11-01"),)) for d in sample_docs
    ]
    into = tmp_path / "c.jsonl"
    write_documents(old, into)
    export = tmp_path / "export.json"
    changed = replace(sample_docs[1], series="Formel 1", id="f1-t2")
    _ls_export([changed, replace(sample_docs[0], id="new-1")], export)
    import_annotations(export, "labelstudio", into)
    docs = load_documents([into])
    assert [d.id for d in docs] == ["alms-t1", "f1-t2", "new-1"]
    assert docs[1].series == "Formel 1"
    assert [p.tool for p in docs[1].provenance] == ["markup", "labelstudio"]
    assert merge([], docs) == docs


def test_doccano_needs_an_annotator_and_tools_are_checked(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "x"}\n')
    with pytest.raises(ImportFailed, match="pass --annotator"):
        import_annotations(path, "doccano", tmp_path / "o.jsonl")
    with pytest.raises(ImportFailed, match="unknown tool 'brat'"):
        import_annotations(path, "brat", tmp_path / "o.jsonl")
    path.write_text('{"text": "x"\n')
    with pytest.raises(ImportFailed, match=r"d.jsonl:1: invalid JSON"):
        import_annotations(path, "prodigy", tmp_path / "o.jsonl")
