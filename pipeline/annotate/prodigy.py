"""Prodigy: JSONL tasks for ``rel.manual`` / ``spans.manual``, both directions.

One line per document: ``text``, ``tokens`` (the project tokenizer's tokens, so span
boundaries fall on tokens), ``spans`` (character and inclusive token offsets, label),
``relations`` (``head`` / ``child``: the last token of each span, as Prodigy stores
them, with ``head_span`` / ``child_span``) and ``meta`` (the document metadata).
Incident types travel in the label: ``INCIDENT:CRASH``. On import only accepted
answers are read; ``_annotator_id`` and ``_timestamp`` become the provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from spacy.language import Language

from racereport.annotate.formats import (
    DOC_ID_KEY,
    ImportedRelation,
    ImportedSpan,
    ImportFormatError,
    assemble_document,
    read_record,
    span_label,
    split_span_label,
    task_meta,
)
from racereport.annotate.tasks import Task
from racereport.records import Document, Provenance
from racereport.tokenizer import tokenizer_for

TOOL = "prodigy"


def to_record(task: Task, nlp: Language | None = None) -> dict[str, Any]:
    """One Prodigy task, tokenized by ``nlp`` (default: the project tokenizer of the
    document's language)."""
    doc = task.document
    tokenizer = tokenizer_for(doc.lang) if nlp is None else nlp.tokenizer
    if tokenizer is None:
        raise ValueError(f"[{doc.id}] no tokenizer for language '{doc.lang}'")
    tokens = tokenizer(doc.text)
    spans: dict[str, dict[str, Any]] = {}
    for ent in doc.entities:
        span = tokens.char_span(ent.start, ent.end)
        if span is None:
            raise ValueError(
                f"[{doc.id}] entity {ent.id} ({ent.text!r}) does not align with the tokenizer"
            )
        spans[ent.id] = {
            "start": ent.start,
            "end": ent.end,
            "token_start": span.start,
            "token_end": span.end - 1,
            "label": span_label(ent),
        }
        if ent.id in task.entity_scores:
            spans[ent.id]["score"] = task.entity_scores[ent.id]
    return {
        "text": doc.text,
        "tokens": [
            {
                "text": t.text,
                "start": t.idx,
                "end": t.idx + len(t),
                "id": t.i,
                "ws": bool(t.whitespace_),
            }
            for t in tokens
        ],
        "spans": list(spans.values()),
        "relations": [
            {
                "head": spans[r.head]["token_end"],
                "child": spans[r.tail]["token_end"],
                "head_span": _plain(spans[r.head]),
                "child_span": _plain(spans[r.tail]),
                "label": r.label,
            }
            for r in doc.relations
        ],
        "meta": task_meta(doc),
    }


def _plain(span: Mapping[str, Any]) -> dict[str, Any]:
    return {k: span[k] for k in ("start", "end", "token_start", "token_end", "label")}


def _span(obj: Any, where: str) -> ImportedSpan:
    try:
        label, itype = split_span_label(str(obj["label"]))
        start, end = int(obj["start"]), int(obj["end"])
    except (KeyError, TypeError, ValueError):
        raise ImportFormatError(f"{where}: span {obj!r} needs start, end and label") from None
    return ImportedSpan(start, end, label, itype, (start, end))


def from_records(
    lines: Iterable[tuple[int, Any]], source: str, annotator: str | None = None
) -> tuple[list[Document], list[str]]:
    """Documents from Prodigy's JSONL export (``prodigy db-out``), given as ``(line
    number, parsed JSON)``, and the ids of rejected or ignored answers (skipped).
    ``annotator`` overrides the ``_annotator_id`` Prodigy records."""
    documents: list[Document] = []
    skipped: list[str] = []
    for number, record in lines:
        where = f"{source}:{number}"
        text, meta = read_record(record, where)
        fallback = f"prodigy-{record.get('_input_hash', number)}"
        doc_id = str(meta.get(DOC_ID_KEY) or fallback)
        where = f"{where} [{doc_id}]"
        if record.get("answer", "accept") != "accept":
            skipped.append(doc_id)
            continue
        spans = [_span(s, where) for s in record.get("spans") or []]
        relations = []
        for rel in record.get("relations") or []:
            if not isinstance(rel, Mapping) or "head_span" not in rel or "child_span" not in rel:
                raise ImportFormatError(f"{where}: relation {rel!r} needs head_span and child_span")
            head, child = _span(rel["head_span"], where), _span(rel["child_span"], where)
            relations.append(ImportedRelation(head.key, child.key, str(rel.get("label"))))
        stamp = record.get("_timestamp")
        date = (
            dt.datetime.fromtimestamp(int(stamp), dt.UTC).isoformat().replace("+00:00", "Z")
            if isinstance(stamp, int | float)
            else ""
        )
        who = annotator or str(
            record.get("_annotator_id") or record.get("_session_id") or "unknown"
        )
        provenance = [Provenance(annotator=who, tool=TOOL, date=date)]
        documents.append(
            assemble_document(text, meta, spans, relations, provenance, fallback, where)
        )
    return documents, skipped
