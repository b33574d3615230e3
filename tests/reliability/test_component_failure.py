"""A component failing on one document costs that document only: spaCy drops the whole
batch after calling the error handler, the batch code re-runs its documents alone."""

import spacy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from thinc.api import Model

from racereport.batch.local import process_items, run_local
from racereport.batch.sink import open_sink, read_rows
from racereport.batch.sources import InputDoc, read_inputs
from racereport.pipe_errors import pipe_each, set_error_handlers
from tests.batch.conftest import TEXTS


class DropsItsBatch(TrainablePipe):
    """Fails on every batch holding a document with "BOOM" (as a real component would on
    one bad document); spaCy's ``TrainablePipe.pipe`` then drops the batch."""

    def __init__(self, vocab, name="drops"):
        self.vocab = vocab
        self.name = name
        self.model = Model("noop", lambda model, X, is_train: (X, lambda dY: dY))
        self.cfg = {}

    def predict(self, docs):
        if any("BOOM" in doc.text for doc in docs):
            raise ValueError("cannot handle this document")
        return None

    def set_annotations(self, docs, scores):
        for doc in docs:
            doc.user_data["seen_by_drops"] = True


@Language.factory("test_drops_its_batch")
def make_drops(nlp, name):
    return DropsItsBatch(nlp.vocab, name)


@Language.component("test_graph_fails")
def graph_fails(doc):
    if "GRAPH" in doc.text:
        raise RuntimeError("graph build failed")
    return doc


def failing_nlp(tiny_pipeline_dir, component="test_drops_its_batch"):
    nlp = spacy.load(tiny_pipeline_dir)
    nlp.add_pipe(component, name="drops" if component == "test_drops_its_batch" else "graph")
    set_error_handlers(nlp)
    return nlp


def test_spacy_drops_the_batch_of_a_failing_document(tiny_pipeline_dir):
    nlp = failing_nlp(tiny_pipeline_dir)
    texts = [TEXTS[0], "BOOM " + TEXTS[1], TEXTS[2]]
    assert list(nlp.pipe(texts)) == []  # what the batch code must not lose


def test_pipe_each_returns_every_document_and_the_one_error(tiny_pipeline_dir):
    nlp = failing_nlp(tiny_pipeline_dir)
    texts = [TEXTS[0], "BOOM " + TEXTS[1], TEXTS[2]]
    results = pipe_each(nlp, texts, batch_size=64)
    assert [r.text if not isinstance(r, str) else None for r in results] == [
        TEXTS[0], None, TEXTS[2]
    ]  # fmt: skip
    assert results[1] == "drops failed: ValueError: cannot handle this document"
    assert all(r.user_data["seen_by_drops"] and r.ents for r in (results[0], results[2]))


def test_pipe_each_gives_the_same_docs_as_the_pipeline_alone(tiny_pipeline_dir):
    nlp = failing_nlp(tiny_pipeline_dir)
    plain = spacy.load(tiny_pipeline_dir)
    texts = [TEXTS[0], "BOOM " + TEXTS[1], TEXTS[2]]
    results = pipe_each(nlp, texts)
    for text, result in zip(texts, results, strict=True):
        if not isinstance(result, str):
            expected = plain(text)
            assert [(e.start, e.end, e.label_) for e in result.ents] == [
                (e.start, e.end, e.label_) for e in expected.ents
            ]
            assert result._.racereport_relations == expected._.racereport_relations


def test_a_failing_function_component_costs_its_document_only(tiny_pipeline_dir):
    nlp = failing_nlp(tiny_pipeline_dir, component="test_graph_fails")
    results = pipe_each(nlp, [TEXTS[0], "GRAPH " + TEXTS[1]])
    assert results[0].ents
    assert results[1] == "graph failed: RuntimeError: graph build failed"


def test_process_items_gives_an_error_row_never_an_empty_one(tiny_pipeline_dir):
    nlp = failing_nlp(tiny_pipeline_dir)
    items = [
        InputDoc("a", "s", text=TEXTS[0]),
        InputDoc("b", "s", text="BOOM " + TEXTS[1]),
        InputDoc("c", "s", error="empty text"),
        InputDoc("d", "s", text=TEXTS[2]),
    ]
    rows = [row for row, _ in process_items(nlp, items)]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert [r["error"] is None for r in rows] == [True, False, False, True]
    assert rows[1]["error"].startswith("drops failed: ValueError")
    assert all(r["entities"] for r in rows if r["error"] is None)


def test_run_counts_the_failure_and_a_rerun_does_not_skip_it_silently(tiny_pipeline_dir, tmp_path):
    nlp = failing_nlp(tiny_pipeline_dir)
    (tmp_path / "in").mkdir()
    for i, text in enumerate([TEXTS[0], "BOOM " + TEXTS[1], TEXTS[2], TEXTS[0]]):
        (tmp_path / "in" / f"{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_local(nlp, read_inputs([tmp_path / "in"]), open_sink(out), batch_size=4)
    assert (summary.done, summary.failed) == (3, 1)
    rows = read_rows(out)
    assert len(rows) == 4
    assert [r["id"].rsplit("/", 1)[1] for r in rows if r["error"]] == ["1.txt"]
    assert all(r["entities"] for r in rows if r["error"] is None)
