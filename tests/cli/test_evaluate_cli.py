"""racereport evaluate: the split and the long-article test set side by side."""

import json
from dataclasses import replace

from typer.testing import CliRunner

from racereport.cli import app
from racereport.corpus.jsonl import write_documents
from racereport.corpus.split import split_of
from racereport.corpus.standoff import text_sha256

runner = CliRunner()


def _evaluate_all(model, tmp_path, long_docs):
    """``racereport evaluate --split all`` on tmp_path/corpus.jsonl with ``long_docs`` as
    the long-article test set: the CLI result and the JSON report."""
    write_documents(long_docs, tmp_path / "long.jsonl")
    out = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        ["evaluate", "--model", str(model), "--corpus", str(tmp_path / "corpus.jsonl"),
         "--split", "all", "--heldout", str(tmp_path / "long.jsonl"), "--output", str(out)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result, json.loads(out.read_text())


def test_evaluate_scores_split_and_long_articles(tiny_pipeline_dir, tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "corpus.jsonl")
    long_docs = [replace(d, id=f"{d.id}-long", length="long") for d in sample_docs]
    result, report = _evaluate_all(tiny_pipeline_dir, tmp_path, long_docs)
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


def test_evaluate_scores_long_articles_per_register(tiny_pipeline_dir, tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "corpus.jsonl")
    registers = ["ticker", "fan_report"]
    long_docs = [
        replace(d, id=f"{d.id}-long", length="long", register=r)
        for d, r in zip(sample_docs, registers, strict=True)
    ]
    result, report = _evaluate_all(tiny_pipeline_dir, tmp_path, long_docs)
    by_register = report["heldout_long_by_register"]
    assert sorted(by_register) == ["fan_report", "ticker"]
    for register, doc in zip(registers, long_docs, strict=True):
        scores = by_register[register]
        assert scores["documents"] == 1
        # overfitted pipeline: each document is found exactly
        assert scores["ents_micro"]["support"] == len(doc.entities)
        assert scores["ents_micro"]["f"] == 1.0
    assert "long: fan_report" in result.output and "long: ticker" in result.output


def test_dev_split_leaves_the_long_article_test_set_out(tiny_pipeline_dir, tmp_path, sample_docs):
    """Dev figures choose models: the test set is scored with --split dev only when
    --heldout names it."""
    docs = [replace(d, id=f"{d.id}-{i}") for i in range(40) for d in sample_docs]
    assert any(split_of(d.id) == "dev" for d in docs)
    write_documents(docs, tmp_path / "corpus.jsonl")
    write_documents([replace(sample_docs[0], id="long", length="long")], tmp_path / "long.jsonl")
    base = ["evaluate", "--model", str(tiny_pipeline_dir), "--corpus",
            str(tmp_path / "corpus.jsonl"), "--split", "dev"]  # fmt: skip
    reports, said = [], []
    for extra in ([], ["--heldout", str(tmp_path / "long.jsonl")]):
        out = tmp_path / f"scores{len(extra)}.json"
        result = runner.invoke(app, [*base, *extra, "--output", str(out)], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        reports.append(json.loads(out.read_text()))
        said.append(result.stderr)
    assert "heldout_long" not in reports[0]
    assert "not scored with --split dev" in said[0]
    assert reports[1]["heldout_long"]["documents"] == 1
    assert "not scored" not in said[1]


def test_evaluate_unknown_split_is_an_error(tiny_pipeline_dir):
    result = runner.invoke(
        app, ["evaluate", "--model", str(tiny_pipeline_dir), "--split", "x"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2  # a usage error
    assert "'x' is not one of 'train', 'dev', 'test', 'all'" in result.output


def _standoff(tmp_path):
    data = tmp_path / "germeval2014"
    data.mkdir()
    (data / "NER-de-test.tsv").write_text(
        "#\thttp://example.org/a\t[2009-01-01]\n1\tVettel\tB-PER\tO\n2\tgewann\tO\tO\n3\t.\tO\tO\n"
    )
    record = {
        "id": "germeval2014-test-0",
        "lang": "de",
        "source": "http://example.org/a",
        "text_ref": {"dataset": "germeval2014", "file": "NER-de-test.tsv", "sentence": 0},
        "text_sha256": text_sha256("Vettel gewann."),
        "license": "CC BY 4.0",
        "entities": [{"id": "e1", "start": 0, "end": 6, "label": "DRIVER", "type": None}],
    }
    (data / "NER-de-dev.tsv").write_text(
        "#\tx\n1\tDas\tO\tO\n2\tRennen\tO\tO\n3\tbegann\tO\tO\n\n"
        "#\ty\n1\tDie\tO\tO\n2\tBahn\tO\tO\n3\tfährt\tO\tO\n4\t.\tO\tO\n"
    )
    real = tmp_path / "real.jsonl"
    real.write_text(json.dumps(record) + "\n")
    return data, real


def test_evaluate_scores_real_text_read_from_its_dataset(tiny_pipeline_dir, tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "corpus.jsonl")
    data, real = _standoff(tmp_path)
    out = tmp_path / "scores.json"
    corpus = str(tmp_path / "corpus.jsonl")
    args = ["evaluate", "--model", str(tiny_pipeline_dir), "--corpus", corpus,
            "--split", "all", "--heldout", corpus, "--real", str(real)]  # fmt: skip
    result = runner.invoke(app, [*args, "--real-text", str(data), "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["real_text"]["documents"] == 1
    assert report["real_text"]["ents_micro"]["support"] == 1
    assert "real text" in result.output
    # sentences about other things (not the one about a race) are scored for stray entities
    assert (
        report["other_text"]["documents"] == 1 and report["other_text"]["words"] == 3
    )  # "Die Bahn fährt."
    assert "other text" in result.output
    # without its dataset the real-text set is not scored, and a wrong folder is an error
    skipped = runner.invoke(app, [*args, "--output", str(out)])
    assert skipped.exit_code == 0 and "real_text" not in json.loads(out.read_text())
    nowhere = runner.invoke(app, [*args, "--real-text", str(tmp_path / "nowhere")])
    assert nowhere.exit_code == 2  # a usage error: the folder does not exist
    (tmp_path / "empty").mkdir()
    missing = runner.invoke(app, [*args, "--real-text", str(tmp_path / "empty")])
    assert missing.exit_code == 1
    assert "NER-de-test.tsv not found" in missing.output
