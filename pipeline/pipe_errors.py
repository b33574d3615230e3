"""Run a pipeline over many texts so that a failing component costs only its document.

spaCy's ``TrainablePipe.pipe`` (and ``Language.pipe`` for function components) calls
the error handler for a failing batch and then drops the whole batch: with a handler
that does not raise, the documents of that batch silently never come out.
:func:`pipe_each` runs the texts through ``nlp.pipe`` in batches, then re-runs every
document that did not come out on its own, component by component, and returns for
each text either its processed ``Doc`` or the error that stopped it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

ERROR_KEY = "racereport_error"
"""``doc.user_data`` key where :func:`record_errors` leaves a component's error."""


def record_errors(proc_name: str, proc: Any, docs: list[Doc], e: Exception) -> None:
    """spaCy error handler: note the error on the docs of a failed batch instead of
    stopping (spaCy drops that batch; :func:`pipe_each` re-runs its documents)."""
    for doc in docs:
        doc.user_data[ERROR_KEY] = f"{proc_name} failed: {type(e).__name__}: {e}"


def set_error_handlers(nlp: Language) -> None:
    """Use :func:`record_errors` for every component of ``nlp`` that takes an error
    handler, and as the pipeline's default (function components such as the event
    graph). spaCy's Cython components (``ner``) take none and raise; :func:`pipe_each`
    re-runs the documents their failure left unprocessed."""
    nlp.default_error_handler = record_errors
    for _, proc in nlp.pipeline:
        try:
            proc.set_error_handler(record_errors)  # type: ignore[attr-defined]
        except AttributeError:
            continue


def _make_doc(nlp: Language, text: str, doc_id: str | None) -> Doc:
    doc = nlp.make_doc(text)
    if doc_id is not None:
        doc._.racereport_doc_id = doc_id
    return doc


def process_alone(nlp: Language, text: str, doc_id: str | None = None) -> Doc | str:
    """``text`` through every component of ``nlp`` on its own: the ``Doc``, or the
    error of the first component that failed on it (``"<component> failed: ..."``).
    ``doc_id`` becomes ``doc._.racereport_doc_id`` before any component runs."""
    try:
        doc = _make_doc(nlp, text, doc_id)
    except Exception as e:  # any tokenizer failure costs only this text
        return f"tokenizer failed: {type(e).__name__}: {e}"
    for name, proc in nlp.pipeline:
        try:
            result = proc(doc)
        except Exception as e:  # the component's own error handler re-raised
            return f"{name} failed: {type(e).__name__}: {e}"
        if result is None:  # a TrainablePipe whose error handler did not raise
            return str(doc.user_data.get(ERROR_KEY) or f"{name} failed")
        doc = result
    return doc


def char_batches(texts: Sequence[str], size: int, max_chars: int) -> Iterator[list[int]]:
    """Consecutive indices of ``texts`` in batches of at most ``size`` texts and, unless
    one text alone is longer, ``max_chars`` characters (memory follows the characters
    of a batch, not its document count)."""
    group: list[int] = []
    chars = 0
    for k, text in enumerate(texts):
        if group and (len(group) >= size or chars + len(text) > max_chars):
            yield group
            group, chars = [], 0
        group.append(k)
        chars += len(text)
    if group:
        yield group


def pipe_each(
    nlp: Language,
    texts: Sequence[str],
    batch_size: int = 64,
    doc_ids: Sequence[str | None] | None = None,
    max_chars: int | None = None,
) -> list[Doc | str]:
    """One result per text, in order: the processed ``Doc``, or the error that stopped
    it. Batches go through ``nlp.pipe``; a document missing from its output (its batch
    failed somewhere) is re-run alone, so a failure costs only the failing document.
    ``doc_ids`` (one per text) become ``doc._.racereport_doc_id`` before processing.
    With ``max_chars``, the texts go through in separate runs of :func:`char_batches`,
    so memory stays bounded however long the texts are."""
    ids: Sequence[str | None] = [None] * len(texts) if doc_ids is None else doc_ids
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} doc_ids for {len(texts)} texts")
    if max_chars is not None:
        results_in_order: list[Doc | str] = [""] * len(texts)
        for group in char_batches(texts, batch_size, max_chars):
            done = pipe_each(nlp, [texts[k] for k in group], len(group), [ids[k] for k in group])
            for k, result in zip(group, done, strict=True):
                results_in_order[k] = result
        return results_in_order
    results: list[Doc | str | None] = [None] * len(texts)

    def docs() -> Iterator[tuple[Doc, int]]:
        for i, text in enumerate(texts):
            try:
                yield _make_doc(nlp, text, ids[i]), i
            except Exception:  # re-run alone below, which reports the error
                continue

    try:
        for doc, i in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
            results[i] = doc
    except Exception:  # a component without error handling raised:
        pass  # every text not yet out is re-run alone below
    return [
        process_alone(nlp, texts[i], ids[i]) if result is None else result
        for i, result in enumerate(results)
    ]
