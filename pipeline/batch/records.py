"""The output row of one document (shared by the local and the Ray engine)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from racereport.batch.sources import InputDoc
from racereport.extract import extraction_record
from racereport.pipe_errors import ERROR_KEY, record_errors, set_error_handlers

__all__ = ["ERROR_KEY", "doc_row", "error_row", "record_errors", "set_error_handlers"]


def error_row(doc: InputDoc, lang: str) -> dict[str, Any]:
    """The row of a document that could not be processed."""
    return {
        "id": doc.id,
        "source": doc.source,
        "lang": lang,
        "entities": [],
        "relations": [],
        "graph": {},
        "warnings": [],
        "error": doc.error or "not processed: no text",
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
        "warnings": record["warnings"],
        "error": None,
    }
