"""``--out`` never destroys what it did not write; two runs never share one output."""

import json

import pytest
from typer.testing import CliRunner

from racereport.batch.sink import (
    PARQUET_MANIFEST,
    JsonlSink,
    OutputError,
    ParquetSink,
    jsonl_manifest,
    open_sink,
    output_format,
    read_rows,
)
from racereport.cli import app

ROW = {
    "id": "d1",
    "source": "/in/a.txt",
    "lang": "de",
    "entities": [],
    "relations": [],
    "graph": {},
    "warnings": [],
    "error": None,
}

FOREIGN = {
    "pretty-printed JSON": '{\n  "a": 1\n}\n',
    "JSONL of something else": '{"text": "Max gewinnt"}\n{"text": "Lewis"}\n',
    "rows without source": '{"id": "x", "error": null}\n',
    "one line without line end": '{"a": 1}',
    "a corpus line then text": '{"id": "x", "source": "s", "error": null}\nnot json\n',
}


@pytest.mark.parametrize("content", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_jsonl_file_is_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "out.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OutputError, match="nothing was changed"):
        JsonlSink(path)
    assert path.read_text(encoding="utf-8") == content
    assert not jsonl_manifest(path).exists()


def test_an_owned_file_is_resumed_and_a_torn_line_cut(tmp_path):
    path = tmp_path / "out.jsonl"
    sink = JsonlSink(path)
    sink.write([ROW])
    sink.close()
    assert json.loads(jsonl_manifest(path).read_text())["written_by"] == "racereport process"
    with path.open("a", encoding="utf-8") as f:
        f.write('{"id": "d2", "sou')
    again = JsonlSink(path)
    assert again.done == {("/in/a.txt", "d1")}
    again.close()
    assert path.read_text(encoding="utf-8").count("\n") == 1


def test_damage_inside_an_owned_file_is_reported_not_truncated(tmp_path):
    path = tmp_path / "out.jsonl"
    sink = JsonlSink(path)
    sink.write([ROW, {**ROW, "id": "d2"}])
    sink.close()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = lines[0] + "garbage\n" + lines[1]
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(OutputError, match="line 2"):
        JsonlSink(path)
    assert path.read_text(encoding="utf-8") == damaged


def test_outputs_of_earlier_versions_are_adopted(tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps({k: v for k, v in ROW.items() if k != "warnings"}) + "\n")
    sink = JsonlSink(path)
    assert sink.done == {("/in/a.txt", "d1")}
    sink.close()
    assert jsonl_manifest(path).exists()


def test_a_second_sink_on_the_same_output_fails_fast(tmp_path):
    first = JsonlSink(tmp_path / "out.jsonl")
    with pytest.raises(OutputError, match="another racereport run"):
        JsonlSink(tmp_path / "out.jsonl")
    first.close()
    JsonlSink(tmp_path / "out.jsonl").close()  # released on close
    parquet = ParquetSink(tmp_path / "parts")
    with pytest.raises(OutputError, match="another racereport run"):
        ParquetSink(tmp_path / "parts")
    parquet.close()


def test_a_parquet_folder_with_other_files_is_refused(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"notes\.txt"):
        ParquetSink(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    (folder / "notes.txt").unlink()
    (folder / "part-00000.parquet").write_text("not parquet")
    with pytest.raises(OutputError, match="not a part"):
        ParquetSink(folder)
    assert (folder / "part-00000.parquet").read_text() == "not parquet"


def test_a_parquet_folder_gets_its_manifest_and_reads_back(tmp_path):
    sink = ParquetSink(tmp_path / "results", rows_per_part=1)
    sink.write([ROW])
    sink.close()
    assert (tmp_path / "results" / PARQUET_MANIFEST).exists()
    assert read_rows(tmp_path / "results") == [ROW]


def test_the_format_is_never_guessed_from_an_unknown_suffix(tmp_path):
    assert output_format(tmp_path / "a.jsonl", None) == "jsonl"
    assert output_format(tmp_path / "results", None) == "parquet"
    with pytest.raises(ValueError, match="cannot tell the output format"):
        output_format(tmp_path / "out.csv", None)
    with pytest.raises(OutputError, match="is a folder"):
        open_sink(tmp_path, "jsonl")


def test_process_exits_2_on_a_foreign_output_and_keeps_it(tmp_path):
    (tmp_path / "a.txt").write_text("Max Verstappen gewann.", encoding="utf-8")
    out = tmp_path / "corpus.jsonl"
    out.write_text('{"id": "c1", "text": "Mein Korpus"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["process", str(tmp_path / "a.txt"), "--out", str(out), "--lang", "de"]
    )
    assert result.exit_code == 2, result.output
    assert "was not written by racereport process" in result.output
    assert out.read_text(encoding="utf-8") == '{"id": "c1", "text": "Mein Korpus"}\n'
    bad_suffix = CliRunner().invoke(
        app, ["process", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o.csv")]
    )
    assert bad_suffix.exit_code == 2 and "cannot tell the output format" in bad_suffix.output


def test_resume_keys_on_resolved_paths_and_skips_its_own_output(
    tiny_pipeline_dir, tmp_path, monkeypatch
):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("Max Verstappen gewann für Red Bull.", encoding="utf-8")
    (folder / "b.txt").write_text("Lewis Hamilton drehte sich.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    common = ["--model", str(tiny_pipeline_dir), "--no-progress"]
    out = folder / "rows.jsonl"  # inside the input folder
    first = runner.invoke(app, ["process", "reports", "--out", "reports/rows.jsonl", *common])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["process", str(folder), "--out", str(out), *common])
    assert again.exit_code == 0, again.output
    assert "done 0, failed 0, skipped (already done) 2" in again.output
    rows = read_rows(out)
    assert sorted(r["source"] for r in rows) == [str(folder / "a.txt"), str(folder / "b.txt")]


def test_a_full_disk_is_one_line_and_the_rows_so_far_stay(tiny_pipeline_dir, tmp_path, monkeypatch):
    from racereport.batch import sink as sink_module

    (tmp_path / "a.txt").write_text("Max Verstappen gewann.", encoding="utf-8")

    def full(self):
        raise OSError(28, "No space left on device", str(self.path))

    monkeypatch.setattr(sink_module.JsonlSink, "flush", full)
    out = tmp_path / "rows.jsonl"
    result = CliRunner().invoke(
        app,
        ["process", str(tmp_path / "a.txt"), "--out", str(out), "--model",
         str(tiny_pipeline_dir), "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "No space left on device" in result.output and "run the same command again" in result.output
    )
    assert "Traceback" not in result.output


def test_more_processes_than_cpus_are_not_started(tiny_pipeline_dir, tmp_path, monkeypatch, caplog):
    import logging

    import spacy

    from racereport.batch import local
    from racereport.batch.sources import InputDoc

    monkeypatch.setattr(local.os, "cpu_count", lambda: 1)
    items = [InputDoc(f"d{i}", "s", text="Max Verstappen gewann.") for i in range(3)]
    with caplog.at_level(logging.WARNING):
        summary = local.run_local(
            spacy.load(tiny_pipeline_dir),
            iter(items),
            open_sink(tmp_path / "o.jsonl"),
            n_process=1000,
        )
    assert summary.done == 3 and "using 1 worker processes" in caplog.text


def test_process_exits_1_when_documents_failed_unless_allowed(tiny_pipeline_dir, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Max Verstappen gewann.", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("  ", encoding="utf-8")
    common = ["--model", str(tiny_pipeline_dir), "--no-progress"]
    runner = CliRunner()
    failed = runner.invoke(
        app, ["process", str(tmp_path / "in"), "-o", str(tmp_path / "a.jsonl"), *common]
    )
    assert failed.exit_code == 1 and "1 documents failed" in failed.output
    allowed = runner.invoke(
        app,
        [
            "process",
            str(tmp_path / "in"),
            "-o",
            str(tmp_path / "b.jsonl"),
            *common,
            "--allow-failures",
        ],
    )
    assert allowed.exit_code == 0, allowed.output
    assert len(read_rows(tmp_path / "b.jsonl")) == 2
