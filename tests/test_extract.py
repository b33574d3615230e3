import json

import pytest
from typer.testing import CliRunner

import racereport
from racereport.cli import app
from racereport.extract import ModelNotFoundError, extraction_record

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tiny_pipeline_dir):
    return tiny_pipeline_dir


TEXT = "Scott Tucker und der Level-5-HPD profitierten in Sebring von einem Reifenschaden."


def test_load_and_record_offsets(model_dir):
    nlp = racereport.load(str(model_dir))
    assert nlp.pipe_names == [
        "tok2vec",
        "ner",
        "incident_typer",
        "relation_extractor",
        "event_graph",
    ]
    record = extraction_record(nlp(TEXT), "x")
    assert set(record) == {"id", "lang", "text", "entities", "relations", "graph", "warnings"}
    assert record["text"] == TEXT and record["lang"] == "de"
    assert record["entities"], "the overfitted pipeline finds entities"
    for ent in record["entities"]:
        assert TEXT[ent["start"] : ent["end"]] == ent["text"]
        assert (ent["type"] is not None) == (ent["label"] == "INCIDENT")
    ids = {ent["id"] for ent in record["entities"]}
    assert record["relations"], "the overfitted pipeline finds relations"
    for rel in record["relations"]:
        assert rel["head"] in ids and rel["tail"] in ids and 0.0 <= rel["score"] <= 1.0
    assert {"nodes", "edges"} <= set(record["graph"])


def test_missing_model_is_a_clear_error(tmp_path):
    from pathlib import Path

    with pytest.raises(ModelNotFoundError, match="racereport train"):
        racereport.extract.load(Path(tmp_path / "nothing"))


def test_extract_cli_files_and_stdin(model_dir, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.strip().splitlines()[0])
    assert record["id"] == str(tmp_path / "a.txt") and record["text"] == TEXT
    result = runner.invoke(app, ["extract", "--model", str(model_dir), "-f", "json"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["id"] == "stdin"
    result = runner.invoke(app, ["extract", "--model", str(model_dir), "-f", "table"], input=TEXT)
    assert result.exit_code == 0 and "Reifenschaden" in result.output


def test_extract_cli_bad_input(model_dir, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"PK\x03\x04\x00\x00 kaputt")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a[").mkdir()  # a path with rich markup in it: ".../a[/x].txt"
    (tmp_path / "a[" / "x].txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    files = [tmp_path / "bad.txt", tmp_path / "x" / "a.txt", tmp_path / "a[" / "x].txt"]
    result = runner.invoke(app, ["extract", *map(str, files), "--model", str(model_dir)])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in records] == [str(f) for f in files]
    assert records[0]["error"].startswith("binary content") and not records[0]["entities"]
    assert records[1]["entities"] and records[2]["entities"]
    assert records[2]["text"] == TEXT  # the byte-order mark is not text
    assert "1 of 3 documents failed" in result.output
    result = runner.invoke(
        app, ["extract", "--model", str(model_dir), "-f", "xml"], input="x", env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2 and "'xml' is not one of 'jsonl', 'json', 'table'" in result.output


def test_two_processes_give_identical_output(model_dir):
    nlp = racereport.load(str(model_dir))
    texts = [TEXT, "Runde 12: Max Verstappen erhält eine Fünf-Sekunden-Strafe.", ""] * 3
    single = [extraction_record(d, "x") for d in nlp.pipe(texts)]
    multi = [extraction_record(d, "x") for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert multi == single


def test_extract_cli_processes_a_long_text_in_parts_with_offsets_into_the_whole(
    model_dir, tmp_path, monkeypatch
):
    from racereport.batch import chunks

    paragraphs = [TEXT] * 3
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    whole = json.loads(
        runner.invoke(app, ["extract", str(path), "--model", str(model_dir), "-f", "json"]).output
    )[0]
    monkeypatch.setattr(chunks, "MAX_CHARS_PER_PART", len(TEXT) + 5)
    result = runner.invoke(app, ["extract", str(path), "--model", str(model_dir), "-f", "json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.output)
    text = path.read_text(encoding="utf-8")
    assert record["id"] == str(path) and record["text"] == text
    assert any("3 parts" in w for w in record["warnings"])
    # each part is a whole paragraph here, so the parts find what the whole text gives
    assert [(e["start"], e["end"], e["label"]) for e in record["entities"]] == [
        (e["start"], e["end"], e["label"]) for e in whole["entities"]
    ]
    assert all(text[e["start"] : e["end"]] == e["text"] for e in record["entities"])
    ids = {e["id"] for e in record["entities"]}
    assert all(r["head"] in ids and r["tail"] in ids for r in record["relations"])


def test_texts_go_through_the_pipeline_in_groups_of_bounded_length():
    from racereport.extract import MAX_BATCH_CHARS
    from racereport.pipe_errors import char_batches

    half = MAX_BATCH_CHARS // 2
    texts = ["x" * half, "x" * half, "x", "x" * (2 * MAX_BATCH_CHARS)]
    assert list(char_batches(texts, 64, MAX_BATCH_CHARS)) == [[0, 1], [2], [3]]
    assert list(char_batches([], 64, MAX_BATCH_CHARS)) == []


def test_long_texts_go_through_pipe_each_in_separate_runs(model_dir, monkeypatch):
    from racereport import pipe_errors

    nlp = racereport.load(model_dir)
    calls = []
    real = nlp.pipe
    monkeypatch.setattr(nlp, "pipe", lambda docs, **kw: calls.append(kw) or real(docs, **kw))
    texts = [TEXT, TEXT, TEXT]
    single = pipe_errors.pipe_each(nlp, texts)
    grouped = pipe_errors.pipe_each(nlp, texts, max_chars=len(TEXT))
    # one run for all three texts, then one run per text (each is max_chars long)
    assert [kw["batch_size"] for kw in calls if kw.get("as_tuples")] == [64, 1, 1, 1]
    assert [extraction_record(d, "x") for d in grouped] == [
        extraction_record(d, "x") for d in single
    ]
