"""doccano: JSONL for a sequence-labeling project with relations, both directions.

One line per document: ``text``, ``entities`` (``id``, ``label``, ``start_offset``,
``end_offset``), ``relations`` (``id``, ``from_id``, ``to_id``, ``type``) and the
document metadata as extra fields (doccano keeps them as the example's metadata and
writes them back on export, at the top level or under ``meta``). Incident types travel
in the label: ``INCIDENT:CRASH``. ``label_sets`` gives the span and relation types to
create the project with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from racereport import schema
from racereport.annotate.formats import (
    DOC_ID_KEY,
    ImportedRelation,
    ImportedSpan,
    ImportFormatError,
    assemble_document,
    read_record,
    span_label,
    span_labels,
    split_span_label,
    task_meta,
)
from racereport.annotate.labelstudio import COLOURS
from racereport.annotate.tasks import Task
from racereport.records import Document, Provenance

TOOL = "doccano"


def to_record(task: Task) -> dict[str, Any]:
    """One doccano JSONL record for a task."""
    doc = task.document
    numbers = {e.id: i for i, e in enumerate(doc.entities, start=1)}
    return {
        "text": doc.text,
        "entities": [
            {
                "id": numbers[e.id],
                "label": span_label(e),
                "start_offset": e.start,
                "end_offset": e.end,
            }
            for e in doc.entities
        ],
        "relations": [
            {"id": i, "from_id": numbers[r.head], "to_id": numbers[r.tail], "type": r.label}
            for i, r in enumerate(doc.relations, start=1)
        ],
        **task_meta(doc),
    }


def label_sets() -> dict[str, list[dict[str, str]]]:
    """The span types and relation types of the doccano project (its label import
    format: ``text``, ``background_color``, ``text_color``)."""
    spans = [
        {
            "text": label,
            "background_color": COLOURS[split_span_label(label)[0]],
            "text_color": "#ffffff",
        }
        for label in span_labels()
    ]
    relations = [
        {"text": name, "background_color": "#555555", "text_color": "#ffffff"}
        for name in schema.RELATION_LABELS
    ]
    return {"span_types": spans, "relation_types": relations}


def from_records(
    lines: Iterable[tuple[int, Any]], source: str, annotator: str, date: str
) -> list[Document]:
    """Documents from doccano's JSONL export, given as ``(line number, parsed JSON)``.
    doccano's export does not say who annotated, so ``annotator`` and ``date`` are
    recorded as given."""
    documents = []
    for number, record in lines:
        where = f"{source}:{number}"
        text, meta = read_record(record, where)
        where = f"{where} [{meta.get(DOC_ID_KEY) or record.get('id')}]"
        spans = []
        for ent in _list(record, "entities", where):
            try:
                label, itype = split_span_label(str(ent["label"]))
                start, end = int(ent["start_offset"]), int(ent["end_offset"])
                spans.append(ImportedSpan(start, end, label, itype, ent["id"]))
            except (KeyError, TypeError, ValueError):
                raise ImportFormatError(
                    f"{where}: entity {ent!r} needs id, label, start_offset and end_offset"
                ) from None
        relations = []
        for rel in _list(record, "relations", where):
            try:
                relations.append(ImportedRelation(rel["from_id"], rel["to_id"], str(rel["type"])))
            except (KeyError, TypeError):
                raise ImportFormatError(
                    f"{where}: relation {rel!r} needs from_id, to_id and type"
                ) from None
        fallback = f"doccano-{record.get('id', number)}"
        provenance = [Provenance(annotator=annotator, tool=TOOL, date=date)]
        documents.append(
            assemble_document(text, meta, spans, relations, provenance, fallback, where)
        )
    return documents


def _list(record: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise ImportFormatError(f"{where}: '{key}' must be a list")
    return value


def dumps(record: Mapping[str, Any]) -> str:
    """One JSONL line."""
    return json.dumps(record, ensure_ascii=False)
