import json
import signal
import subprocess
import sys
import time

import spacy
from spacy.language import Language
from spacy.pipeline import Pipe

from racereport.batch.local import run_local
from racereport.batch.sink import open_sink, read_rows
from racereport.batch.sources import read_inputs
from tests.batch.conftest import BAD, GOOD, TEXTS


def process(model_dir, inputs, out, **kwargs):
    nlp = spacy.load(model_dir)
    return run_local(nlp, read_inputs([inputs]), open_sink(out), **kwargs)


def test_every_input_ends_up_in_the_output_once(tiny_pipeline_dir, inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    summary = process(tiny_pipeline_dir, inputs, out)
    rows = read_rows(out)
    assert (summary.done, summary.failed, summary.skipped) == (GOOD, BAD, 0)
    assert len(rows) == GOOD + BAD == len({(r["source"], r["id"]) for r in rows})
    good = [r for r in rows if r["error"] is None]
    assert all(r["entities"] and r["graph"]["nodes"] for r in good)
    assert summary.errors["duplicate id"] == 1 and summary.words > 0
    again = process(tiny_pipeline_dir, inputs, out)
    assert (again.done, again.failed, again.skipped) == (0, 0, GOOD + BAD)
    assert len(read_rows(out)) == GOOD + BAD


def test_two_processes_and_parquet_give_the_same_rows(tiny_pipeline_dir, inputs, tmp_path):
    process(tiny_pipeline_dir, inputs, tmp_path / "one.jsonl")
    process(tiny_pipeline_dir, inputs, tmp_path / "two", n_process=2, batch_size=2)
    key = lambda r: (r["source"], r["id"])  # noqa: E731
    one = sorted(read_rows(tmp_path / "one.jsonl"), key=key)
    two = sorted(read_rows(tmp_path / "two"), key=key)
    assert one == two


class Exploding(Pipe):
    def __call__(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("cannot handle this document")
        return doc

    def pipe(self, docs, batch_size=128):
        for doc in docs:
            try:
                yield self(doc)
            except Exception as e:
                self.get_error_handler()(self.name, self, [doc], e)
                yield doc


@Language.factory("test_exploding")
def make_exploding(nlp, name):
    return Exploding()


def test_a_failing_component_makes_an_error_row(tiny_pipeline_dir, tmp_path):
    nlp = spacy.load(tiny_pipeline_dir)
    nlp.add_pipe("test_exploding", name="exploding")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "in" / "boom.txt").write_text("BOOM " + TEXTS[1], encoding="utf-8")
    summary = run_local(nlp, read_inputs([tmp_path / "in"]), open_sink(tmp_path / "o.jsonl"))
    rows = {r["id"].rsplit("/", 1)[1]: r for r in read_rows(tmp_path / "o.jsonl")}
    assert (summary.done, summary.failed) == (1, 1)
    assert rows["boom.txt"]["error"].startswith("exploding failed: ValueError")
    assert rows["ok.txt"]["error"] is None


def test_killed_run_resumes_without_losing_or_duplicating(tmp_path):
    n = 3000
    source = tmp_path / "many.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"d{i}", "text": f"{TEXTS[i % 3]} ({i})"}) + "\n")
    out = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-c",
        "from racereport.cli import app; app()",
        "process",
        str(source),
        "--out",
        str(out),
        "--no-progress",
        "--batch-size",
        "16",
    ]
    first = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 200_000):
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    partial = out.read_bytes().count(b"\n")
    assert 0 < partial < n, "the first run was killed part way"
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    ids = [r["id"] for r in read_rows(out)]
    assert len(ids) == n and set(ids) == {f"d{i}" for i in range(n)}
