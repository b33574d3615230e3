"""``racereport annotate``: export, import, select, agreement, compare."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from racereport.cli import app
from racereport.corpus.jsonl import load_documents, write_documents

runner = CliRunner()


def _accept(tool: str, folder):
    """What each tool exports when the annotator accepts every task unchanged."""
    if tool == "labelstudio":
        tasks = json.loads((folder / "tasks.json").read_text())
        exported = [
            {"id": i, "data": t["data"], "annotations": [
                {"completed_by": 1, "result": t["predictions"][0]["result"]}]}
            for i, t in enumerate(tasks, 1)
        ]  # fmt: skip
        path = folder / "export.json"
        path.write_text(json.dumps(exported))
        return path
    lines = [json.loads(line) for line in (folder / "tasks.jsonl").read_text().splitlines()]
    if tool == "prodigy":
        lines = [{**line, "answer": "accept"} for line in lines]
    path = folder / "export.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.mark.parametrize("tool", ["labelstudio", "doccano", "prodigy"])
def test_gold_export_import_round_trip(tmp_path, sample_docs, tool):
    corpus = tmp_path / "corpus.jsonl"
    write_documents(sample_docs, corpus)
    out = str(tmp_path / tool)
    result = runner.invoke(
        app, ["annotate", "export", str(corpus), "--tool", tool, "--gold", "--out", out]
    )
    assert result.exit_code == 0, result.output
    assert "2 tasks" in result.output
    export = _accept(tool, tmp_path / tool)
    into = tmp_path / "imported.jsonl"
    command = ["annotate", "import", str(export), "--tool", tool, "--into", str(into)]
    if tool == "labelstudio":  # --annotator picks whose annotations to import
        result = runner.invoke(app, [*command, "--annotator", "anna"])
        assert result.exit_code == 1
        assert (
            "no annotations by anna to import (annotators in the export: user-1)" in result.output
        )
    result = runner.invoke(
        app, [*command, "--annotator", "user-1" if tool == "labelstudio" else "anna"]
    )
    assert result.exit_code == 0, result.output
    docs = load_documents([into])
    assert [replace(d, provenance=()) for d in docs] == [
        replace(d, provenance=()) for d in sample_docs
    ]
    assert {d.provenance[-1].tool for d in docs} == {tool}


def test_export_predictions_and_select(tmp_path, sample_docs, tiny_pipeline_dir):
    pool = tmp_path / "pool.jsonl"
    write_documents(sample_docs, pool)
    (tmp_path / "extra.txt").write_text(sample_docs[0].text.replace("Sebring", "Daytona"))
    result = runner.invoke(
        app,
        ["annotate", "select", str(pool), str(tmp_path / "extra.txt"), "--n", "2", "--strategy",
         "uncertainty", "--out", str(tmp_path / "next.jsonl"), "--model", str(tiny_pipeline_dir),
         "--exclude", str(pool)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    picked = [json.loads(line) for line in (tmp_path / "next.jsonl").read_text().splitlines()]
    assert [p["id"] for p in picked] == [str(tmp_path / "extra.txt")]  # the corpus is excluded
    assert picked[0]["selection"]["rank"] == 1 and picked[0]["entities"] == []

    result = runner.invoke(
        app,
        ["annotate", "export", str(tmp_path / "next.jsonl"), "--tool", "labelstudio",
         "--model", str(tiny_pipeline_dir), "--out", str(tmp_path / "ls")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (task,) = json.loads((tmp_path / "ls" / "tasks.json").read_text())
    regions = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    assert regions and all(0 <= r["score"] <= 1 for r in regions)
    assert (tmp_path / "ls" / "labeling_config.xml").read_text().startswith("<View>")


def test_import_errors_exit_1_and_write_nothing(tmp_path):
    export = tmp_path / "e.json"
    region = {"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["PILOT"]}}
    task = {"id": 1, "data": {"text": "Max fährt.", "doc_id": "x"},
            "annotations": [{"completed_by": 1, "result": [region]}]}  # fmt: skip
    export.write_text(json.dumps([task]))
    into = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["annotate", "import", str(export), "--tool", "labelstudio", "--into", str(into)]
    )
    assert result.exit_code == 1
    assert f"{export}: [x] entity e1: unknown label 'PILOT'" in result.output
    assert f"error: nothing written to {into}: 1 problem(s)" in result.output
    assert not into.exists()
    result = runner.invoke(
        app,
        ["annotate", "export", str(export), "--tool", "brat", "--out", str(tmp_path)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 2 and "'brat' is not one of 'labelstudio'" in result.output


def test_agreement_and_compare(tmp_path, sample_docs):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_documents(sample_docs, a)
    doc = sample_docs[1]
    write_documents([replace(doc, relations=doc.relations[:1])], b)
    result = runner.invoke(
        app, ["annotate", "agreement", str(a), str(b), "--output", str(tmp_path / "agr.json")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "agr.json").read_text())
    assert data["documents"] == 1 and data["entities"]["f"] == 1.0
    assert data["relations"]["r"] == pytest.approx(1 / 3, abs=1e-4)
    assert "only in A (not compared): alms-t1" in result.output

    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps({"ents_micro": {"f": 0.5}}))
    after.write_text(json.dumps({"ents_micro": {"f": 0.75}}))
    result = runner.invoke(app, ["annotate", "compare", str(before), str(after)])
    assert result.exit_code == 0 and "+0.250" in result.output
