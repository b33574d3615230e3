"""Corpus validator: every problem with file, line, document id and reason.

Structural problems (bad JSON, missing fields) and annotation problems (offsets,
labels, overlaps, relations, duplicate ids) are collected, not raised, so one
run reports everything that needs fixing. :func:`check_document` is the
per-document check that importers reuse on documents held in memory.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokenizer import Tokenizer

from racereport import schema
from racereport.corpus.jsonl import CorpusError, LineError, corpus_files, iter_parsed
from racereport.records import Document, RecordError
from racereport.tokenizer import tokenizer_for

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Problem:
    """One reason a corpus record is rejected."""

    path: Path | None
    line: int | None
    doc_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path is not None else "<memory>"
        doc = f" [{self.doc_id}]" if self.doc_id else ""
        return f"{where}:{doc} {self.message}"


def check_document(doc: Document, tokenizer: Tokenizer | None = None) -> list[str]:
    """Reasons ``doc`` is invalid (empty list when it is valid).

    With a ``tokenizer``, entity boundaries must also fall on token boundaries of
    it, so that the entity can be represented in a spaCy ``Doc``.
    """
    problems: list[str] = []
    text = doc.text
    if not doc.id.strip():
        problems.append("empty document id")
    if not text.strip():
        problems.append("empty text")
    if doc.lang not in schema.LANGUAGES:
        problems.append(f"unknown lang '{doc.lang}' (known: {', '.join(schema.LANGUAGES)})")
    if doc.register not in schema.REGISTERS:
        problems.append(f"unknown register '{doc.register}' (known: {', '.join(schema.REGISTERS)})")
    if doc.length not in schema.LENGTHS:
        problems.append(f"unknown length '{doc.length}' (known: {', '.join(schema.LENGTHS)})")
    if doc.date is not None and not _DATE.match(doc.date):
        problems.append(f"date '{doc.date}' is not YYYY, YYYY-MM or YYYY-MM-DD")

    ids: dict[str, str] = {}
    spans: list[tuple[int, int, str]] = []
    for ent in doc.entities:
        name = f"entity {ent.id}"
        if ent.id in ids:
            problems.append(f"duplicate entity id '{ent.id}'")
            continue
        ids[ent.id] = ent.label
        if ent.label not in schema.ENTITY_LABELS:
            problems.append(
                f"{name}: unknown label '{ent.label}' (known: {', '.join(schema.ENTITY_LABELS)})"
            )
        if ent.label == schema.INCIDENT:
            if ent.type is None:
                problems.append(f"{name}: INCIDENT without an incident type")
            elif ent.type not in schema.INCIDENT_TYPES:
                problems.append(
                    f"{name}: unknown incident type '{ent.type}' "
                    f"(known: {', '.join(schema.INCIDENT_TYPES)})"
                )
        elif ent.type is not None:
            problems.append(f"{name}: type '{ent.type}' on a {ent.label} (only INCIDENT has one)")
        if not 0 <= ent.start < ent.end <= len(text):
            problems.append(
                f"{name}: offsets {ent.start}-{ent.end} outside the text (length {len(text)})"
                if ent.start < ent.end
                else f"{name}: empty or reversed offsets {ent.start}-{ent.end}"
            )
            continue
        surface = text[ent.start : ent.end]
        if surface != ent.text:
            problems.append(
                f"{name}: text {ent.text!r} does not match {surface!r} at {ent.start}-{ent.end}"
            )
            continue
        if surface != surface.strip():
            problems.append(f"{name}: span {surface!r} starts or ends with whitespace")
            continue
        spans.append((ent.start, ent.end, ent.id))

    if spans != sorted(spans):
        problems.append("entities are not listed in text order (sort them by start offset)")
    spans.sort()
    for (s1, e1, id1), (s2, e2, id2) in itertools.pairwise(spans):
        if s2 < e1:
            problems.append(f"entities {id1} ({s1}-{e1}) and {id2} ({s2}-{e2}) overlap")

    if tokenizer is not None and spans:
        tokens = tokenizer(text)
        starts = {t.idx for t in tokens}
        ends = {t.idx + len(t) for t in tokens}
        for start, end, ent_id in spans:
            if start not in starts or end not in ends:
                covering = [t.text for t in tokens if t.idx < end and t.idx + len(t) > start]
                problems.append(
                    f"entity {ent_id}: {text[start:end]!r} does not align with tokens {covering}; "
                    "move its boundaries to token boundaries"
                )

    seen_relations: set[tuple[str, str, str]] = set()
    for rel in doc.relations:
        name = f"relation {rel.head} -{rel.label}-> {rel.tail}"
        rtype = schema.RELATION_TYPES.get(rel.label)
        if rtype is None:
            problems.append(
                f"{name}: unknown relation type (known: {', '.join(schema.RELATION_LABELS)})"
            )
        missing = [i for i in (rel.head, rel.tail) if i not in ids]
        if missing:
            problems.append(f"{name}: no entity with id {', '.join(missing)}")
        elif rtype is not None and not rtype.allows(ids[rel.head], ids[rel.tail]):
            problems.append(
                f"{name}: {rel.label} cannot go from {ids[rel.head]} to {ids[rel.tail]} "
                f"(allowed: {'|'.join(sorted(rtype.heads))} -> {'|'.join(sorted(rtype.tails))})"
            )
        if rel.head == rel.tail:
            problems.append(f"{name}: relation from an entity to itself")
        key = (rel.head, rel.tail, rel.label)
        if key in seen_relations:
            problems.append(f"{name}: duplicate relation")
        seen_relations.add(key)
    return problems


def validate_paths(paths: Iterable[str | Path], check_tokens: bool = True) -> list[Problem]:
    """Validate every record of the given corpus files or folders.

    Also reports document ids used more than once anywhere in them. With
    ``check_tokens``, entity boundaries are checked against the project tokenizer
    of each document's language.
    """
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    try:
        files = corpus_files(paths)
    except CorpusError as e:
        return [Problem(None, None, None, str(e))]
    for path in files:
        for number, obj in iter_parsed(path):
            if isinstance(obj, LineError):
                problems.append(Problem(path, number, None, obj.reason))
                continue
            try:
                doc = Document.from_dict(obj, where="record")
            except RecordError as e:
                doc_id = obj.get("id") if isinstance(obj, dict) else None
                problems.append(Problem(path, number, doc_id, str(e)))
                continue
            if doc.id in first_seen:
                problems.append(
                    Problem(
                        path,
                        number,
                        doc.id,
                        f"duplicate document id (first at {first_seen[doc.id]})",
                    )
                )
            else:
                first_seen[doc.id] = f"{path}:{number}"
            tokenizer = tokenizer_for(doc.lang) if check_tokens else None
            problems.extend(
                Problem(path, number, doc.id, message) for message in check_document(doc, tokenizer)
            )
    return problems
