"""Side-by-side speed measurement: rows, NER part, blank tokenizer, ratios, CLI."""

from __future__ import annotations

import json

import spacy
from typer.testing import CliRunner

from racereport.cli import app
from racereport.speed import measure, ratios, texts_for

TEXTS = ["Max Verstappen gewann in Monza.", "Ein Reifenschaden warf Norris zurück."]


def test_texts_are_repeated_to_the_word_count():
    batch, count = texts_for(TEXTS, 12)
    assert batch == TEXTS + TEXTS[:1] and count == 15


def test_rows_and_ratios(tiny_pipeline_dir):
    nlp = spacy.load(tiny_pipeline_dir)
    other = spacy.blank("de")
    other.add_pipe("sentencizer")
    rows = measure({"racereport": nlp, "other": other}, TEXTS, 40, repeats=2)
    names = [r.name for r in rows]
    assert names == [
        "racereport",
        "racereport, NER part",
        "other",
        "spacy.blank('de'), distinct texts",
    ]
    assert rows[1].components == ("tok2vec", "ner")
    assert all(len(r.runs) == 2 and r.words_per_second > 0 for r in rows[:3])
    relative = ratios(rows, "other")
    assert set(relative["racereport"]) == {"to_blank_tokenizer", "to other"}
    assert set(relative["racereport, NER part"]) == {"to_blank_tokenizer"}  # other has no NER
    assert relative["other"] == {"to_blank_tokenizer": relative["other"]["to_blank_tokenizer"]}


def test_benchmark_cli_compares_and_skips_what_is_not_installed(tiny_pipeline_dir, tmp_path):
    other = spacy.blank("de")
    other.add_pipe("sentencizer")
    other.to_disk(tmp_path / "other")
    out = tmp_path / "speed.json"
    result = CliRunner().invoke(
        app,
        ["benchmark", "-m", str(tiny_pipeline_dir), "--compare", str(tmp_path / "other"),
         "--compare", "xx_not_installed", "--words", "300", "--repeats", "1", "--output", str(out)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "skipped xx_not_installed" in result.output
    data = json.loads(out.read_text())
    assert [r["name"] for r in data["rows"]][:3] == [
        "racereport",
        "racereport, NER part",
        str(tmp_path / "other"),
    ]
    assert f"to {tmp_path / 'other'}" in data["ratios"]["racereport"]
