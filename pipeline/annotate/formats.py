"""What the annotation tool formats share: tool names, span labels that carry the incident
type, document metadata fields, and assembling an imported document.

Entity ids survive a round trip through any tool: exported tasks carry a map from
character offsets to the corpus entity id (``entity_ids``), so an entity the annotator
kept gets its id back; an entity the annotator added gets a fresh ``eN`` id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from racereport import schema
from racereport.records import Document, Entity, Provenance, Relation

TOOLS = ("labelstudio", "doccano", "prodigy")
"""The annotation tools ``racereport annotate`` reads and writes."""

DOC_ID_KEY = "doc_id"
"""Task metadata key of the corpus document id (tools keep their own ``id``)."""

ENTITY_IDS_KEY = "entity_ids"
"""Task metadata key: ``{"start:end": entity id}`` of the exported entities."""

TYPE_SEPARATOR = ":"


class ImportFormatError(ValueError):
    """A tool's export cannot be read; the message says where and why."""


def span_label(entity: Entity) -> str:
    """The label an entity carries in tools without per-span attributes (doccano,
    Prodigy): ``INCIDENT:CRASH`` for an incident, the plain label otherwise."""
    if entity.label == schema.INCIDENT and entity.type:
        return f"{entity.label}{TYPE_SEPARATOR}{entity.type}"
    return entity.label


def span_labels() -> list[str]:
    """Every span label of the flat encoding, for the tools' label sets."""
    labels: list[str] = []
    for label in schema.ENTITY_LABELS:
        if label == schema.INCIDENT:
            labels.extend(f"{label}{TYPE_SEPARATOR}{t}" for t in schema.INCIDENT_TYPES)
        else:
            labels.append(label)
    return labels


def split_span_label(label: str) -> tuple[str, str | None]:
    """``INCIDENT:CRASH`` -> ``("INCIDENT", "CRASH")``; ``DRIVER`` -> ``("DRIVER", None)``."""
    head, sep, tail = label.partition(TYPE_SEPARATOR)
    return (head, tail) if sep else (label, None)


def offsets_key(start: int, end: int) -> str:
    """The key of an entity in ``entity_ids``."""
    return f"{start}:{end}"


def task_meta(doc: Document) -> dict[str, Any]:
    """The document metadata a task carries, with the entity id map."""
    return {
        DOC_ID_KEY: doc.id,
        "lang": doc.lang,
        "series": doc.series,
        "register": doc.register,
        "date": doc.date,
        "source": doc.source,
        "length": doc.length,
        ENTITY_IDS_KEY: {offsets_key(e.start, e.end): e.id for e in doc.entities},
    }


def read_record(record: Any, where: str) -> tuple[str, dict[str, Any]]:
    """The text and the metadata of one exported JSONL record (its ``meta`` object and
    its top-level fields, the latter winning); raises :class:`ImportFormatError`."""
    if not isinstance(record, Mapping):
        raise ImportFormatError(f"{where}: not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ImportFormatError(f"{where}: no 'text' string")
    nested = record.get("meta")
    return text, {**(nested if isinstance(nested, Mapping) else {}), **record}


@dataclass(frozen=True)
class ImportedSpan:
    """A span as an annotation tool returns it (character offsets into the text)."""

    start: int
    end: int
    label: str
    type: str | None = None
    key: Any = None
    """What the tool's relations use to refer to the span (region id, offsets, ...)."""


@dataclass(frozen=True)
class ImportedRelation:
    """A relation as a tool returns it, between two span keys."""

    head: Any
    tail: Any
    label: str


def assemble_document(
    text: str,
    meta: Mapping[str, Any],
    spans: Iterable[ImportedSpan],
    relations: Iterable[ImportedRelation],
    provenance: Iterable[Provenance],
    fallback_id: str,
    where: str,
) -> Document:
    """A corpus :class:`Document` from what a tool returned. Entity ids come from the
    exported ``entity_ids`` map where the offsets match, else ``e1``, ``e2``, ...
    Raises :class:`ImportFormatError` for a relation to a span that does not exist."""
    known = meta.get(ENTITY_IDS_KEY) or {}
    if not isinstance(known, Mapping):
        raise ImportFormatError(f"{where}: '{ENTITY_IDS_KEY}' must be an object")
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    used = {str(v) for v in known.values()}
    by_key: dict[Any, str] = {}
    entities: list[Entity] = []
    fresh = 0
    for span in ordered:
        ent_id = known.get(offsets_key(span.start, span.end))
        if ent_id is None or str(ent_id) in {e.id for e in entities}:
            fresh += 1
            while f"e{fresh}" in used:
                fresh += 1
            ent_id = f"e{fresh}"
            used.add(ent_id)
        entities.append(
            Entity(
                id=str(ent_id),
                start=span.start,
                end=span.end,
                label=span.label,
                text=text[span.start : span.end],
                type=span.type,
            )
        )
        by_key[span.key] = str(ent_id)
    rels: list[Relation] = []
    for rel in relations:
        missing = [k for k in (rel.head, rel.tail) if k not in by_key]
        if missing:
            raise ImportFormatError(
                f"{where}: relation {rel.label} refers to a region that does not exist "
                f"({', '.join(map(str, missing))})"
            )
        rels.append(Relation(by_key[rel.head], by_key[rel.tail], rel.label))

    def field(name: str, default: str) -> str:
        value = meta.get(name)
        return str(value) if value not in (None, "") else default

    return Document(
        id=field(DOC_ID_KEY, fallback_id),
        text=text,
        lang=field("lang", "de"),
        series=field("series", ""),
        register=field("register", "news"),
        date=str(meta["date"]) if meta.get("date") else None,
        source=field("source", ""),
        length=field("length", "short"),
        entities=tuple(entities),
        relations=tuple(rels),
        provenance=tuple(provenance),
    )
