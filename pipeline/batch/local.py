"""Run a batch job on one machine: stream, ``n_process`` worker processes, resume."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc

from racereport.batch.chunks import (
    MAX_CHARS_PER_PART,
    document_parts,
    first_failure,
    merge_rows,
)
from racereport.batch.records import doc_row, error_row
from racereport.batch.sink import Sink
from racereport.batch.sources import InputDoc
from racereport.ml.blas_threads import one_blas_thread_for_this_process
from racereport.multilingual.router import Router
from racereport.pipe_errors import pipe_each, set_error_handlers


@dataclass
class Summary:
    """What a run did."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    def count(self, row: dict[str, Any], words: int) -> None:
        """Count one written row: done (with its words) or failed (by error reason, the
        part of the error message before the first colon)."""
        if row["error"] is None:
            self.done += 1
            self.words += words
        else:
            self.failed += 1
            reason = row["error"].split(":")[0]
            self.errors[reason] = self.errors.get(reason, 0) + 1

    @property
    def words_per_second(self) -> float:
        """Words of processed documents per second of the run."""
        return self.words / self.seconds if self.seconds else 0.0


def process_items(
    nlp: Language | Router,
    items: list[InputDoc],
    batch_size: int = 64,
    max_chars_per_part: int = MAX_CHARS_PER_PART,
) -> list[tuple[dict[str, Any], int]]:
    """Rows (and word counts) for ``items``, in order: error items become error rows,
    the others go through ``nlp.pipe`` (or, with a :class:`Router`, through the pipeline
    of each document's language); a document a component fails on becomes an error row
    and costs no other document (:func:`racereport.pipe_errors.pipe_each`); a document
    longer than ``max_chars_per_part`` is processed in paragraph-cut parts whose rows
    are merged (:mod:`racereport.batch.chunks`), and a batch holds at most twice that many
    characters, so memory stays flat in document and batch length.
    Shared by the local workers and Ray actors."""
    if isinstance(nlp, Router):
        return _process_routed(nlp, items, batch_size, max_chars_per_part)
    lang = nlp.lang or ""
    out = [(error_row(item, lang), 0) for item in items]
    parts: list[tuple[int, str, int, str]] = []  # (item index, part id, offset, text)
    for i, item in enumerate(items):
        if item.error is None and item.text:
            parts.extend((i, *p) for p in document_parts(item.id, item.text, max_chars_per_part))
    results = pipe_each(
        nlp,
        [text for _, _, _, text in parts],
        batch_size,
        [part for _, part, _, _ in parts],
        max_chars=2 * max_chars_per_part,
    )
    by_item: dict[int, list[tuple[int, Doc | str]]] = {}
    for (i, _, offset, _), result in zip(parts, results, strict=True):
        by_item.setdefault(i, []).append((offset, result))
    for i, done in by_item.items():
        item = items[i]
        error = first_failure([r for _, r in done])
        if error is not None:
            out[i] = (error_row(replace(item, text=None, error=error), lang), 0)
            continue
        rows = [doc_row(cast(Doc, r), item) for _, r in done]
        bad = next((row for row in rows if row["error"] is not None), None)
        if bad is not None:
            out[i] = (bad, 0)
            continue
        row = rows[0] if len(rows) == 1 else merge_rows(item.id, [o for o, _ in done], rows)
        out[i] = (row, len(cast(str, item.text).split()))
    return out


def _process_routed(
    router: Router, items: list[InputDoc], batch_size: int, max_chars_per_part: int
) -> list[tuple[dict[str, Any], int]]:
    """:func:`process_items` with each document through its language's pipeline;
    unsupported languages become error rows."""
    texts = [item.text if item.error is None and item.text else None for item in items]
    groups, errors = router.route(texts)
    rows = [(error_row(item, router.lang or ""), 0) for item in items]
    for i, (lang, error) in errors.items():
        rows[i] = (error_row(replace(items[i], text=None, error=error), lang), 0)
    for lang, indices in groups.items():
        done = process_items(
            router.pipeline(lang), [items[i] for i in indices], batch_size, max_chars_per_part
        )
        for i, row in zip(indices, done, strict=True):
            rows[i] = row
    return rows


logger = logging.getLogger(__name__)

_WORKER: dict[str, Any] = {}


def _init_worker(nlp: Language | Router, batch_size: int) -> None:
    one_blas_thread_for_this_process()
    _WORKER["nlp"] = nlp
    _WORKER["batch_size"] = batch_size


def _work(items: list[InputDoc]) -> list[tuple[dict[str, Any], int]]:
    return process_items(_WORKER["nlp"], items, _WORKER["batch_size"])


def _batched(items: Iterator[InputDoc], size: int) -> Iterator[list[InputDoc]]:
    chunk: list[InputDoc] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_local(
    nlp: Language | Router,
    docs: Iterator[InputDoc],
    sink: Sink,
    *,
    n_process: int = 1,
    batch_size: int = 64,
    flush_every: int = 256,
    on_row: Callable[[int], None] | None = None,
) -> Summary:
    """Process ``docs`` not yet in ``sink`` and write one row each; returns the summary.

    Documents with a read error, and repeats of a (source, id) seen before, become
    error rows; a component failing on a batch marks its documents as errors. With
    ``n_process`` > 1, worker processes (forked with the loaded pipeline; with a
    :class:`Router`, with the pipelines of the first chunk's languages) turn chunks of
    ``batch_size`` documents into rows, at most ``4 * n_process`` chunks in flight, so
    memory stays flat; rows are written in input order. Rows are flushed every
    ``flush_every`` documents, so a killed run loses at most those. More processes than
    CPUs are not started (the count is lowered, with a warning).
    """
    cpus = os.cpu_count() or 1
    if n_process > cpus:
        logger.warning("n_process %d > %d CPUs: using %d worker processes", n_process, cpus, cpus)
        n_process = cpus
    summary = Summary()
    start = time.perf_counter()
    done_before = set(sink.done)
    seen: set[tuple[str, str]] = set()
    if isinstance(nlp, Language):
        set_error_handlers(nlp)
    pending = 0

    def todo() -> Iterator[InputDoc]:
        for item in docs:
            if item.key in done_before:
                summary.skipped += 1
                if on_row is not None:
                    on_row(1)
                continue
            if item.key in seen:
                item = item.as_duplicate()
            seen.add(item.key)
            yield item

    def write(results: list[tuple[dict[str, Any], int]]) -> None:
        nonlocal pending
        sink.write(row for row, _ in results)
        for row, words in results:
            summary.count(row, words)
        pending += len(results)
        if pending >= flush_every:
            sink.flush()
            pending = 0
        if on_row is not None:
            on_row(len(results))

    if n_process <= 1:
        for chunk in _batched(todo(), batch_size):
            write(process_items(nlp, chunk, batch_size))
    else:
        methods = multiprocessing.get_all_start_methods()
        in_flight = threading.BoundedSemaphore(4 * n_process)
        batches = _batched(todo(), batch_size)
        first = next(batches, None)
        if isinstance(nlp, Router) and first is not None and "fork" in methods:
            # the languages of the first chunk are loaded here, before the fork: the
            # workers share them instead of each loading its own
            nlp.preload([item.text for item in first])

        def chunks() -> Iterator[list[InputDoc]]:
            for chunk in itertools.chain([first] if first is not None else [], batches):
                in_flight.acquire()
                yield chunk

        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(n_process, initializer=_init_worker, initargs=(nlp, batch_size)) as pool:
            for results in pool.imap(_work, chunks()):
                in_flight.release()
                write(results)
    sink.close()
    summary.seconds = time.perf_counter() - start
    return summary
