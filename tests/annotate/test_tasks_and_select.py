"""Pre-annotation with confidences, the unlabelled pool, and active-learning selection."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy

from racereport.annotate.select import margins, select, uncertainty
from racereport.annotate.tasks import PoolError, Task, pre_annotate, read_pool
from racereport.corpus.jsonl import write_documents
from racereport.records import Document


@pytest.fixture(scope="module")
def tiny_nlp(tiny_pipeline_dir):
    return spacy.load(tiny_pipeline_dir)


def test_pre_annotations_match_the_pipeline_and_carry_scores(tiny_nlp, sample_docs):
    pool = [Document(id=d.id, text=d.text, series=d.series) for d in sample_docs]
    tasks = list(pre_annotate(tiny_nlp, pool, batch_size=1))
    for task, source in zip(tasks, pool, strict=True):
        doc = tiny_nlp(source.text)
        assert [(e.start, e.end, e.label) for e in task.document.entities] == [
            (e.start_char, e.end_char, e.label_) for e in doc.ents
        ]
        assert task.document.id == source.id and task.document.series == source.series
        assert set(task.entity_scores) == {e.id for e in task.document.entities}
        assert all(0.0 <= p <= 1.0 for p in task.entity_scores.values())
        for rel in task.document.relations:  # predicted relations reach their threshold
            assert (
                task.relation_scores[(rel.head, rel.tail, rel.label)] >= task.thresholds[rel.label]
            )
        assert task.vector is not None and task.vector.shape == (96,)
    # the overfitted pipeline finds the gold entities, with high confidence
    assert [(e.start, e.end, e.label) for e in tasks[0].document.entities] == [
        (e.start, e.end, e.label) for e in sample_docs[0].entities
    ]
    assert min(tasks[0].entity_scores.values()) > 0.9


def test_pool_reads_texts_and_corpus_metadata(tmp_path, sample_docs):
    write_documents(sample_docs, tmp_path / "pool" / "c.jsonl")
    (tmp_path / "pool" / "z.txt").write_text("Ein Bericht ohne Annotationen.")
    docs = read_pool([tmp_path / "pool"])
    assert [d.id for d in docs] == ["alms-t1", "f1-t2", str(tmp_path / "pool" / "z.txt")]
    assert docs[0].series == "ALMS" and docs[0].date == "2012-03-17"
    assert docs[0].entities == () and docs[0].relations == ()
    (tmp_path / "pool" / "dup.jsonl").write_text(json.dumps({"id": "f1-t2", "text": "x"}) + "\n")
    with pytest.raises(PoolError, match="'f1-t2' occurs twice"):
        read_pool([tmp_path / "pool"])
    (tmp_path / "bad.jsonl").write_text('{"id": "a"}\n')
    with pytest.raises(PoolError, match=r"bad.jsonl \(line 1\) \[a\]: missing text field"):
        read_pool([tmp_path / "bad.jsonl"])


def _task(doc_id: str, entity_probs=(), relation=None, vector=(1.0, 0.0)) -> Task:
    rel_scores = {("h", "t", "WINS"): relation} if relation is not None else {}
    return Task(
        document=Document(id=doc_id, text="x"),
        entity_candidates=list(entity_probs),
        relation_scores=rel_scores,
        thresholds={"WINS": 0.4},
        vector=numpy.asarray(vector, "f"),
    )


def test_margins_and_uncertainty():
    task = _task("a", entity_probs=(1.0, 0.5, 0.9), relation=0.4)
    assert margins(task) == pytest.approx([1.0, 0.0, 0.8, 0.0])
    assert uncertainty(task, k=2) == pytest.approx(1.0)
    assert uncertainty(task, k=4) == pytest.approx((0 + 1 + 0.2 + 1) / 4)
    # a relation score 0.7 with threshold 0.4 is halfway to certain
    assert margins(_task("b", relation=0.7)) == pytest.approx([0.5])
    assert uncertainty(_task("c")) == 0.0


def test_strategies_pick_exactly():
    tasks = [
        _task("sure", entity_probs=(1.0, 0.0), vector=(1, 0)),
        _task("unsure-1", entity_probs=(0.5,), vector=(1, 0.01)),
        _task("unsure-2", entity_probs=(0.6,), vector=(1, 0.02)),
        _task("unsure-other", entity_probs=(0.7,), vector=(0, 1)),
    ]
    ids = lambda picked: [s.task.document.id for s in picked]  # noqa: E731
    assert ids(select(tasks, 2, "uncertainty")) == ["unsure-1", "unsure-2"]
    # mixed: the most uncertain first, then the farthest of the uncertain candidates
    assert ids(select(tasks, 2, "mixed")) == ["unsure-1", "unsure-other"]
    assert ids(select(tasks, 3, "diversity"))[:2] == ["unsure-1", "unsure-other"]
    assert ids(select(tasks, 2, "random", seed=1)) == ids(select(tasks, 2, "random", seed=1))
    picked = select(tasks, 10, "uncertainty")
    assert [s.rank for s in picked] == [1, 2, 3, 4] and picked[0].uncertainty == 1.0


def test_bad_selection_settings():
    with pytest.raises(ValueError, match="unknown strategy 'smart'"):
        select([_task("a")], 1, "smart")
    with pytest.raises(ValueError, match="at least 1"):
        select([_task("a")], 0)
    no_vector = Task(document=Document(id="a", text="x"))
    with pytest.raises(ValueError, match="needs document vectors"):
        select([no_vector], 1, "mixed")
