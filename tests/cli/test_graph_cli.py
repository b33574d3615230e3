import json

from typer.testing import CliRunner

from racereport.cli import app

runner = CliRunner()
TEXT = "Scott Tucker und der Level-5-HPD profitierten in Sebring von einem Reifenschaden am Morgan von Conquest."


def test_graph_cli_formats(tiny_pipeline_dir, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    result = runner.invoke(app, ["graph", *files, "--model", str(tiny_pipeline_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["graph"]["doc_ids"] == files
    incidents = [n["id"] for n in data["nodes"] if n["label"] == "INCIDENT"]
    assert len(incidents) == 2 and len(set(incidents)) == 2  # one per document
    out = tmp_path / "g.html"
    result = runner.invoke(
        app, ["graph", *files, "-m", str(tiny_pipeline_dir), "-f", "html", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    result = runner.invoke(
        app, ["graph", "-m", str(tiny_pipeline_dir), "-f", "graphml"], input=TEXT
    )
    assert result.exit_code == 0 and "<graphml" in result.output


def test_graph_cli_bad_format(tiny_pipeline_dir):
    result = runner.invoke(
        app,
        ["graph", "-m", str(tiny_pipeline_dir), "-f", "dot"],
        input=TEXT,
        env={"COLUMNS": "200"},
    )
    assert (
        result.exit_code == 2 and "'dot' is not one of 'json', 'graphml', 'html'" in result.output
    )
