"""Run a batch job on one machine: stream, ``nlp.pipe`` with ``n_process`` workers, resume."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from pipeline.batch.records import doc_row, error_row, set_error_handlers
from pipeline.batch.sink import Sink
from pipeline.batch.sources import InputDoc


@dataclass
class Summary:
    """What a run did."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def words_per_second(self) -> float:
        """Words of processed documents per second of the run."""
        return self.words / self.seconds if self.seconds else 0.0


def run_local(
    nlp: Language,
    docs: Iterator[InputDoc],
    sink: Sink,
    *,
    n_process: int = 1,
    batch_size: int = 64,
    flush_every: int = 256,
    on_row: Callable[[int], None] | None = None,
) -> Summary:
    """Process ``docs`` not yet in ``sink`` and write one row each; returns the summary.

    Documents with a read error, and duplicates of a (source, id) seen before, become
    error rows; a component failing on a batch marks its documents as errors. Rows are
    flushed every ``flush_every`` documents, so a killed run loses at most those.
    """
    summary = Summary()
    start = time.perf_counter()
    seen = set(sink.done)
    lang = nlp.lang or ""
    set_error_handlers(nlp)
    pending = 0

    def count(row_error: str | None) -> None:
        nonlocal pending
        if row_error is None:
            summary.done += 1
        else:
            summary.failed += 1
            reason = row_error.split(":")[0]
            summary.errors[reason] = summary.errors.get(reason, 0) + 1
        pending += 1
        if pending >= flush_every:
            sink.flush()
            pending = 0
        if on_row is not None:
            on_row(1)

    def good_docs() -> Iterator[tuple[str, InputDoc]]:
        for item in docs:
            if item.key in sink.done:
                summary.skipped += 1
                if on_row is not None:
                    on_row(1)
                continue
            if item.key in seen:
                item = item.as_duplicate()
            seen.add(item.key)
            if item.error is not None or item.text is None:
                sink.write([error_row(item, lang)])
                count(item.error)
                continue
            yield item.text, item

    for doc, item in nlp.pipe(
        good_docs(), as_tuples=True, n_process=n_process, batch_size=batch_size
    ):
        row = doc_row(doc, item)
        sink.write([row])
        if row["error"] is None:
            summary.words += len(item.text.split()) if item.text else 0
        count(row["error"])
    sink.close()
    summary.seconds = time.perf_counter() - start
    return summary


def default_model_path() -> Path:
    """The bundled pipeline (what ``racereport process`` uses without ``--model``)."""
    from pipeline.extract import BUNDLED_MODEL

    return BUNDLED_MODEL
