"""Integration: the annotation loop against a real Label Studio server on localhost.

Starts ``label-studio`` (from ``$RACEREPORT_LABEL_STUDIO`` or the PATH; ``.ci/run``
installs it in its own virtual environment), creates a project through the REST API
with the project's labeling config (``racereport annotate push``), imports
pre-annotated tasks, annotates them through the API, reads them back through the export
API and imports them into the corpus (``racereport annotate pull``): the round trip
must be lossless. Skipped where Label Studio is not installed, unless
``RACEREPORT_REQUIRE_LABEL_STUDIO=1`` (as in CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racereport.annotate import labelstudio
from racereport.annotate.export import export_tasks
from racereport.annotate.labelstudio_api import LabelStudio
from racereport.annotate.tasks import gold_task, pre_annotate
from racereport.cli import app
from racereport.corpus.jsonl import load_documents
from racereport.evaluation import document_relation_triples
from racereport.extract import load
from racereport.records import Document

pytestmark = pytest.mark.integration

TOKEN = "racereport-test-token-0123456789"
EMAIL = "annotator@example.org"


def _binary() -> str | None:
    return os.environ.get("RACEREPORT_LABEL_STUDIO") or shutil.which("label-studio")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = _binary()
    if binary is None:
        if os.environ.get("RACEREPORT_REQUIRE_LABEL_STUDIO") == "1":
            pytest.fail("Label Studio is required here but not installed (see .ci/run)")
        pytest.skip("label-studio is not installed")
    data = tmp_path_factory.mktemp("labelstudio")
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    }
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [binary, "start", "--no-browser", "--port", str(port), "--data-dir", str(data / "d"),
         "--username", EMAIL, "--password", "not-a-secret-1", "--user-token", TOKEN,
         "--enable-legacy-api-token"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            tail = (data / "server.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"Label Studio did not start:\n{tail}")
        time.sleep(2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _gold() -> list[Document]:
    docs = load_documents([Path(__file__).resolve().parents[2] / "corpus" / "de" / "wec.jsonl"])[:4]
    # one text with a character outside the BMP: Label Studio counts UTF-16 code units
    first = docs[0]
    shifted = tuple(replace(e, start=e.start + 2, end=e.end + 2) for e in first.entities)
    return [replace(first, text="🏁 " + first.text, entities=shifted), *docs[1:]]


def _push(runner: CliRunner, env: dict[str, str], tasks_file: Path, title: str) -> int:
    pushed = runner.invoke(app, ["annotate", "push", str(tasks_file), "--title", title], env=env)
    assert pushed.exit_code == 0, pushed.output
    return int(pushed.output.split()[1])


def _pull(runner: CliRunner, env: dict[str, str], project: int, into: Path) -> list[Document]:
    pulled = runner.invoke(app, ["annotate", "pull", str(project), "--into", str(into)], env=env)
    assert pulled.exit_code == 0, pulled.output
    return load_documents([into])


def _content(doc: Document) -> tuple:
    """A document without its entity ids and provenance."""
    ents = sorted((e.start, e.end, e.label, e.type) for e in doc.entities)
    return doc.id, doc.text, doc.series, doc.date, ents, sorted(document_relation_triples(doc))


def test_round_trip_through_label_studio(server, tmp_path):
    gold = _gold()
    nlp = load()
    pool = [replace(d, entities=(), relations=(), provenance=()) for d in gold]
    tasks = list(pre_annotate(nlp, pool))
    export_tasks(tasks, "labelstudio", tmp_path / "pre", nlp)
    export_tasks([gold_task(d) for d in gold], "labelstudio", tmp_path / "review", nlp)
    runner = CliRunner()
    env = {"LABEL_STUDIO_URL": server, "LABEL_STUDIO_API_KEY": TOKEN}
    client = LabelStudio(server, TOKEN)

    # 1. pre-annotated tasks: the predictions arrive unchanged
    project = _push(runner, env, tmp_path / "pre" / "tasks.json", "racereport pre-annotated")
    task_ids = client.task_ids(project)
    assert len(task_ids) == len(gold)
    stored = [client.task(i) for i in task_ids]
    assert [t["predictions"][0]["model_version"] for t in stored] == [tasks[0].model] * len(gold)
    as_annotations = [
        {**t, "annotations": [{"completed_by": 1, "result": t["predictions"][0]["result"]}]}
        for t in stored
    ]
    predicted, _ = labelstudio.from_export(as_annotations, "export")
    assert [replace(d, provenance=()) for d in predicted] == [t.document for t in tasks]

    # the annotator corrects every task to the gold annotations; the export API returns
    # them and the import writes exactly those annotations into the corpus
    for task_id, doc in zip(task_ids, gold, strict=True):
        client.annotate(task_id, labelstudio.annotation_result(doc))
    imported = _pull(runner, env, project, tmp_path / "corpus" / "annotated.jsonl")
    assert [_content(d) for d in imported] == [_content(d) for d in gold]
    for doc in imported:
        (provenance,) = doc.provenance
        assert (provenance.annotator, provenance.tool) == (EMAIL, "labelstudio")
        assert provenance.date.startswith(time.strftime("%Y-%m-%d", time.gmtime()))

    # 2. corpus documents out for review and back: identical, entity ids included
    project = _push(runner, env, tmp_path / "review" / "tasks.json", "racereport review")
    for task_id, doc in zip(client.task_ids(project), gold, strict=True):
        client.annotate(task_id, labelstudio.annotation_result(doc))
    reviewed = _pull(runner, env, project, tmp_path / "corpus" / "reviewed.jsonl")
    assert [replace(d, provenance=()) for d in reviewed] == [
        replace(d, provenance=()) for d in gold
    ]
