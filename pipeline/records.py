"""Typed records for annotated documents: what the corpus, the CLI and exporters exchange.

The JSON form of these records is the corpus format documented in
``corpus/README.md``. ``from_dict`` is strict about structure (missing or
mistyped fields raise :class:`RecordError`); label and offset checks belong to
:mod:`racereport.corpus.validate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def mention_key(text: str) -> str:
    """A mention's surface case-folded with whitespace collapsed: two mentions with the
    same key say the same words ("Der Reifenschaden" / "der reifenschaden")."""
    return " ".join(text.casefold().split())


class RecordError(ValueError):
    """A JSON object does not have the structure of a corpus record."""


def _field(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise RecordError(f"{where}: missing field '{key}'")
    value = obj[key]
    # bool is an int subclass; offsets must be real integers.
    if isinstance(value, bool) and kind is int:
        raise RecordError(f"{where}: field '{key}' must be int, got bool")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RecordError(f"{where}: field '{key}' must be {names}, got {type(value).__name__}")
    return value


def _mapping(obj: Any, where: str, what: str = "an object") -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise RecordError(f"{where}: must be {what}, got {type(obj).__name__}")
    return obj


def _optional_str(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    if obj.get(key) is None:
        return None
    return str(_field(obj, key, str, where))


@dataclass(frozen=True)
class Entity:
    """An entity mention: character offsets into the document text, label, incident type."""

    id: str
    start: int
    end: int
    label: str
    text: str
    type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with keys in the documented order."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "type": self.type,
        }

    @classmethod
    def from_dict(cls, obj: Any, where: str = "entity") -> Entity:
        """Build from the JSON form; raises :class:`RecordError` on a structural problem."""
        obj = _mapping(obj, where)
        return cls(
            id=_field(obj, "id", str, where),
            start=_field(obj, "start", int, where),
            end=_field(obj, "end", int, where),
            label=_field(obj, "label", str, where),
            text=_field(obj, "text", str, where),
            type=_optional_str(obj, "type", where),
        )


@dataclass(frozen=True)
class Relation:
    """A directed, typed relation between two entity ids of the same document."""

    head: str
    tail: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"head": self.head, "tail": self.tail, "label": self.label}

    @classmethod
    def from_dict(cls, obj: Any, where: str = "relation") -> Relation:
        """Build from the JSON form; raises :class:`RecordError` on a structural problem."""
        obj = _mapping(obj, where)
        return cls(
            head=_field(obj, "head", str, where),
            tail=_field(obj, "tail", str, where),
            label=_field(obj, "label", str, where),
        )


@dataclass(frozen=True)
class Provenance:
    """Who produced or corrected a document's annotations, with which tool, and when."""

    annotator: str
    tool: str
    date: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"annotator": self.annotator, "tool": self.tool, "date": self.date}

    @classmethod
    def from_dict(cls, obj: Any, where: str = "provenance") -> Provenance:
        """Build from the JSON form; raises :class:`RecordError` on a structural problem."""
        obj = _mapping(obj, where)
        return cls(
            annotator=_field(obj, "annotator", str, where),
            tool=_field(obj, "tool", str, where),
            date=_field(obj, "date", str, where),
        )


@dataclass(frozen=True)
class Document:
    """An annotated race report: text, metadata, entity mentions and relations."""

    id: str
    text: str
    lang: str = "de"
    series: str = ""
    register: str = "news"
    date: str | None = None
    source: str = ""
    length: str = "short"
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    provenance: tuple[Provenance, ...] = field(default=())

    def entity(self, entity_id: str) -> Entity:
        """The entity with ``entity_id``; raises ``KeyError`` if there is none."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with keys in the documented order."""
        return {
            "id": self.id,
            "lang": self.lang,
            "series": self.series,
            "register": self.register,
            "date": self.date,
            "source": self.source,
            "length": self.length,
            "text": self.text,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "provenance": [p.to_dict() for p in self.provenance],
        }

    @classmethod
    def from_dict(cls, obj: Any, where: str = "document") -> Document:
        """Build from the JSON form; raises :class:`RecordError` on a structural problem."""
        obj = _mapping(obj, where, "a JSON object")
        entities = _field(obj, "entities", list, where)
        relations = obj.get("relations") or []
        provenance = obj.get("provenance") or []
        if not isinstance(relations, list):
            raise RecordError(f"{where}: field 'relations' must be list")
        if not isinstance(provenance, list):
            raise RecordError(f"{where}: field 'provenance' must be list")
        return cls(
            id=_field(obj, "id", str, where),
            text=_field(obj, "text", str, where),
            lang=_optional_str(obj, "lang", where) or "de",
            series=_optional_str(obj, "series", where) or "",
            register=_optional_str(obj, "register", where) or "news",
            date=_optional_str(obj, "date", where),
            source=_optional_str(obj, "source", where) or "",
            length=_optional_str(obj, "length", where) or "short",
            entities=tuple(
                Entity.from_dict(e, f"{where}, entity {i}") for i, e in enumerate(entities)
            ),
            relations=tuple(
                Relation.from_dict(r, f"{where}, relation {i}") for i, r in enumerate(relations)
            ),
            provenance=tuple(
                Provenance.from_dict(p, f"{where}, provenance {i}")
                for i, p in enumerate(provenance)
            ),
        )
