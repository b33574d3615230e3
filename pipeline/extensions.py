"""Custom attributes the project sets on spaCy objects.

Registered once on import (idempotent), so any module that reads or writes them
imports this module first.

- ``Doc._.doc_id``: the corpus document id (str or None).
- ``Doc._.doc_meta``: the document metadata (lang, series, register, date, source,
  provenance) as a JSON-compatible dict.
- ``Doc._.entity_ids``: the entity ids, aligned with ``doc.ents``.
- ``Doc._.relations``: relations as ``{"head": id, "tail": id, "label": str}`` dicts.
"""

from __future__ import annotations

from spacy.tokens import Doc

_DOC_EXTENSIONS = {
    "doc_id": None,
    "doc_meta": None,
    "entity_ids": None,
    "relations": None,
}


def register_extensions() -> None:
    """Register the project's ``Doc`` extensions (safe to call repeatedly)."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
