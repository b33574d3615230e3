"""The output row of one document (shared by the local and the Ray engine)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from pipeline.batch.sources import InputDoc
from pipeline.extract import extraction_record

ERROR_KEY = "racereport_error"
"""``doc.user_data`` key where the pipeline's error handler leaves a component's error."""


def error_row(doc: InputDoc, lang: str) -> dict[str, Any]:
    """The row of a document that could not be processed."""
    return {
        "id": doc.id,
        "source": doc.source,
        "lang": lang,
        "entities": [],
        "relations": [],
        "graph": {},
        "error": doc.error,
    }


def doc_row(doc: Doc, item: InputDoc) -> dict[str, Any]:
    """The row of a processed document."""
    error = doc.user_data.get(ERROR_KEY)
    if error is not None:
        return error_row(InputDoc(item.id, item.source, error=error), doc.lang_)
    record = extraction_record(doc, item.id)
    return {
        "id": item.id,
        "source": item.source,
        "lang": record["lang"],
        "entities": record["entities"],
        "relations": record["relations"],
        "graph": record["graph"],
        "error": None,
    }


def record_errors(proc_name: str, proc: Any, docs: list[Doc], e: Exception) -> None:
    """spaCy error handler: mark the docs of a failed batch instead of stopping."""
    for doc in docs:
        doc.user_data[ERROR_KEY] = f"{proc_name} failed: {type(e).__name__}: {e}"


def set_error_handlers(nlp: Any) -> None:
    """Use :func:`record_errors` for every component that supports error handlers
    (spaCy's Cython parsers do not; they are not expected to fail on read-checked text)."""
    for _, proc in nlp.pipeline:
        try:
            proc.set_error_handler(record_errors)
        except AttributeError:
            continue
