"""racereport evaluate: the split and the long-article test set side by side."""

import json
from dataclasses import replace

from typer.testing import CliRunner

from racereport.cli import app
from racereport.corpus.jsonl import write_documents
from racereport.corpus.split import split_of

runner = CliRunner()


def test_evaluate_scores_split_and_long_articles(tiny_pipeline_dir, tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "corpus.jsonl")
    long_docs = [replace(d, id=f"{d.id}-long", length="long") for d in sample_docs]
    write_documents(long_docs, tmp_path / "long.jsonl")
    out = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        ["evaluate", "--model", str(tiny_pipeline_dir), "--corpus", str(tmp_path / "corpus.jsonl"),
         "--split", "all", "--heldout", str(tmp_path / "long.jsonl"), "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["documents"] == 2
    assert report["heldout_long"]["documents"] == 2
    # the pipeline was overfitted on these texts: the long copies score like the originals
    assert report["heldout_long"]["ents_micro"] == report["ents_micro"]
    for key in ("ents_micro_overlap", "common_words", "unseen_names"):
        assert key in report and key in report["heldout_long"]
    train_ids = [d.id for d in sample_docs if split_of(d.id) == "train"]
    # names of training-split documents are seen, so unseen names are at most the others
    assert report["unseen_names"]["support"] <= sum(
        len(d.entities) for d in sample_docs if d.id not in train_ids
    )
    assert "long articles" in result.output and "summary" in result.output


def test_evaluate_unknown_split_is_an_error(tiny_pipeline_dir):
    result = runner.invoke(
        app, ["evaluate", "--model", str(tiny_pipeline_dir), "--split", "x"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2  # a usage error
    assert "'x' is not one of 'train', 'dev', 'test', 'all'" in result.output
