"""Hostile or odd annotation exports give a clear error (or a correct import), never a
traceback, never a silent change of offsets; the corpus file is never touched on error."""

import json

import pytest

from racereport.annotate import labelstudio
from racereport.annotate.importer import ImportFailed, import_annotations
from racereport.annotate.tasks import gold_task
from racereport.corpus.jsonl import load_documents


def export_of(docs, **annotation):
    tasks = labelstudio.to_tasks(gold_task(d) for d in docs)
    return [
        {
            "id": i,
            "data": t["data"],
            "annotations": [
                {"completed_by": 3, "result": t["predictions"][0]["result"], **annotation}
            ],
        }
        for i, t in enumerate(tasks, 1)
    ]


def first_region(tasks):
    return next(r for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels")


def run(tmp_path, tasks, raw=None):
    export = tmp_path / "export.json"
    export.write_text(raw if raw is not None else json.dumps(tasks), encoding="utf-8")
    into = tmp_path / "corpus.jsonl"
    if not into.exists():
        into.write_text("", encoding="utf-8")
    before = into.read_bytes()
    try:
        return import_annotations(export, "labelstudio", into), into
    except ImportFailed as e:
        assert into.read_bytes() == before
        return e, into


def test_a_user_name_in_completed_by_is_the_annotator(tmp_path, sample_docs):
    imported, into = run(tmp_path, export_of(sample_docs, completed_by="anna"))
    assert not isinstance(imported, ImportFailed)
    assert load_documents([into])[0].provenance[-1].annotator == "anna"


@pytest.mark.parametrize("start", [0.9, float("inf"), "3", True, None, -1])
def test_offsets_that_are_not_whole_numbers_in_the_text_are_refused(tmp_path, sample_docs, start):
    tasks = export_of(sample_docs)
    first_region(tasks)["value"]["start"] = start
    failed, _ = run(tmp_path, tasks)
    assert isinstance(failed, ImportFailed)
    assert any("no valid start/end offsets" in p for p in failed.problems), failed.problems


def test_a_float_that_is_a_whole_number_is_an_offset(tmp_path, sample_docs):
    tasks = export_of(sample_docs)
    region = first_region(tasks)
    region["value"]["start"] = float(region["value"]["start"])
    imported, _ = run(tmp_path, tasks)
    assert not isinstance(imported, ImportFailed)


def test_infinity_and_deep_nesting_in_the_file_are_clear_errors(tmp_path, sample_docs):
    raw = json.dumps(export_of(sample_docs)).replace('"start": 0', '"start": Infinity', 1)
    failed, _ = run(tmp_path, None, raw=raw)
    assert isinstance(failed, ImportFailed)
    failed, _ = run(tmp_path, None, raw="[" * 100_000 + "]" * 100_000)
    assert isinstance(failed, ImportFailed)
    assert any("nested too deeply" in p for p in failed.problems)
