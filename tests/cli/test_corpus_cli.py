import json

from typer.testing import CliRunner

from racereport.cli import app
from racereport.corpus.jsonl import load_documents, write_documents
from tests.conftest import SAMPLE_MARKUP

runner = CliRunner()


def test_validate_ok_and_failure(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "ok.jsonl")
    result = runner.invoke(app, ["corpus", "validate", str(tmp_path / "ok.jsonl")])
    assert result.exit_code == 0, result.output
    assert "2 documents valid" in result.output

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "Hi", "entities": [{"id": "e", "start": 0, '
        '"end": 2, "label": "PILOT", "text": "Hi"}]}\n'
    )
    result = runner.invoke(app, ["corpus", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: [a] entity e: unknown label 'PILOT'" in result.output


def test_markup_to_jsonl_and_back(tmp_path, sample_docs):
    src = tmp_path / "docs.txt"
    src.write_text(SAMPLE_MARKUP)
    result = runner.invoke(
        app, ["corpus", "from-markup", str(src), "--out", str(tmp_path / "d.jsonl")]
    )
    assert result.exit_code == 0, result.output
    assert load_documents([tmp_path / "d.jsonl"]) == sample_docs
    result = runner.invoke(
        app,
        ["corpus", "to-markup", str(tmp_path / "d.jsonl"), "--out", str(tmp_path / "again.txt")],
    )
    assert result.exit_code == 0, result.output


def test_from_markup_writes_nothing_when_invalid(tmp_path):
    src = tmp_path / "docs.txt"
    src.write_text("### id=x\n[Scott]{d1:DRIVER} [Tuc]{d2:DRIVER}ker\n> d1 DRIVES d2\n")
    target = tmp_path / "d.jsonl"
    result = runner.invoke(app, ["corpus", "from-markup", str(src), "--out", str(target)])
    assert result.exit_code == 1
    assert "does not align with tokens" in result.output
    assert "DRIVES cannot go from DRIVER to DRIVER" in result.output
    assert not target.exists()


def test_stats_json(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "c.jsonl")
    result = runner.invoke(app, ["corpus", "stats", str(tmp_path / "c.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["all"]["documents"] == 2
    assert sum(s["documents"] for s in data["splits"].values()) == 2


def test_build(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "c.jsonl")
    result = runner.invoke(
        app,
        [
            "corpus",
            "build",
            str(tmp_path / "c.jsonl"),
            "--out",
            str(tmp_path / "spacy"),
            "--dev",
            "0",
            "--test",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "spacy" / "manifest.json").exists()


def test_suspects_lists_bare_series_names(tmp_path):
    src = tmp_path / "docs.txt"
    src.write_text(
        "### id=a\nEin Lauf zur Rallye-Europameisterschaft mit [Walter Röhrl]{d1:DRIVER}.\n"
    )
    corpus = tmp_path / "d.jsonl"
    converted = runner.invoke(app, ["corpus", "from-markup", str(src), "--out", str(corpus)])
    assert converted.exit_code == 0, converted.output
    result = runner.invoke(app, ["corpus", "suspects", "--series-names", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "[a] 13-39 'Rallye-Europameisterschaft' (SERIES)" in result.output
    assert "1 suspect(s) in 1 documents" in result.output
    both = runner.invoke(
        app, ["corpus", "suspects", "--series-names", "--incident-verbs", str(corpus)]
    )
    assert both.exit_code == 2
    assert "pass one" in both.output
