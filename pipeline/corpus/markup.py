"""A plain-text markup for writing and editing annotated documents without offsets.

The JSONL corpus is the source of truth; this markup is an authoring and editing
format that converts to and from it losslessly (``racereport corpus from-markup``
and ``racereport corpus to-markup``)::

    ### id=alms-2012-sebring-01 | series=ALMS | register=news | date=2012-03-17
    [Scott Tucker]{d1:DRIVER} profitierte von einem [Reifenschaden]{i1:INCIDENT:PUNCTURE}.
    > i1 BENEFITED d1

A ``###`` line starts a document and carries ``key=value`` metadata separated by
``|`` (``id`` is required; ``lang``, ``series``, ``register``, ``date``, ``source``
``length`` (``short``, the default, or ``long``) and ``provenance=annotator,tool,date; ...``
are optional). Text lines follow; an
entity is ``[surface]{id:LABEL}`` or ``[surface]{id:INCIDENT:TYPE}``. Lines starting
with ``>`` hold relations ``head LABEL tail``, several separated by ``;``. A literal
``[ ] { } \\`` in the text is written with a backslash before it. Lines starting
with ``%`` are comments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from racereport.records import Document, Entity, Provenance, Relation

_SPECIAL = "[]{}\\"
_HEADER_KEYS = ("id", "lang", "series", "register", "date", "source", "length", "provenance")


class MarkupError(ValueError):
    """The markup cannot be parsed; the message names the file and line."""


def _parse_body(lines: list[tuple[int, str]], where: str) -> tuple[str, list[Entity]]:
    """Turn marked-up text lines into plain text and entities with character offsets."""
    out: list[str] = []
    entities: list[Entity] = []
    length = 0
    for index, (number, line) in enumerate(lines):
        if index:
            out.append("\n")
            length += 1
        i = 0
        open_at: int | None = None
        while i < len(line):
            ch = line[i]
            if ch == "\\" and i + 1 < len(line) and line[i + 1] in _SPECIAL:
                out.append(line[i + 1])
                length += 1
                i += 2
                continue
            if ch == "[":
                if open_at is not None:
                    raise MarkupError(f"{where}:{number}: nested '[' at column {i + 1}")
                open_at = length
                i += 1
                continue
            if ch == "]":
                if open_at is None:
                    raise MarkupError(f"{where}:{number}: ']' without '[' at column {i + 1}")
                close = line.find("}", i)
                if i + 1 >= len(line) or line[i + 1] != "{" or close < 0:
                    raise MarkupError(
                        f"{where}:{number}: ']' at column {i + 1} must be followed by "
                        "'{id:LABEL}' or '{id:INCIDENT:TYPE}'"
                    )
                parts = line[i + 2 : close].split(":")
                if len(parts) not in (2, 3) or not all(p.strip() for p in parts):
                    raise MarkupError(
                        f"{where}:{number}: bad annotation '{{{line[i + 2 : close]}}}', "
                        "expected '{id:LABEL}' or '{id:INCIDENT:TYPE}'"
                    )
                surface = "".join(out)[open_at:length]
                entities.append(
                    Entity(
                        id=parts[0].strip(),
                        start=open_at,
                        end=length,
                        label=parts[1].strip(),
                        text=surface,
                        type=parts[2].strip() if len(parts) == 3 else None,
                    )
                )
                open_at = None
                i = close + 1
                continue
            if ch in "{}":
                raise MarkupError(
                    f"{where}:{number}: stray '{ch}' at column {i + 1} (write '\\{ch}' for text)"
                )
            out.append(ch)
            length += 1
            i += 1
        if open_at is not None:
            raise MarkupError(f"{where}:{number}: '[' is not closed on the same line")
    return "".join(out), entities


def _parse_header(line: str, number: int, where: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in line[3:].split("|"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in _HEADER_KEYS:
            raise MarkupError(
                f"{where}:{number}: bad header field '{part.strip()}' "
                f"(expected key=value with key in {', '.join(_HEADER_KEYS)})"
            )
        fields[key] = value.strip()
    if not fields.get("id"):
        raise MarkupError(f"{where}:{number}: header without 'id='")
    return fields


def _parse_relations(line: str, number: int, where: str) -> list[Relation]:
    relations = []
    for part in line[1:].split(";"):
        if not part.strip():
            continue
        words = part.split()
        if len(words) != 3:
            raise MarkupError(
                f"{where}:{number}: bad relation '{part.strip()}', expected 'head LABEL tail'"
            )
        relations.append(Relation(head=words[0], tail=words[2], label=words[1]))
    return relations


def _parse_provenance(value: str, number: int, where: str) -> tuple[Provenance, ...]:
    out = []
    for item in value.split(";"):
        if not item.strip():
            continue
        parts = [p.strip() for p in item.split(",")]
        if len(parts) != 3:
            raise MarkupError(
                f"{where}:{number}: bad provenance '{item.strip()}', expected annotator,tool,date"
            )
        out.append(Provenance(*parts))
    return tuple(out)


def parse_markup(text: str, where: str = "<markup>") -> list[Document]:
    """Parse marked-up documents; raises :class:`MarkupError` naming the line."""
    docs: list[Document] = []
    header: dict[str, str] | None = None
    header_line = 0
    body: list[tuple[int, str]] = []
    relations: list[Relation] = []

    def finish() -> None:
        if header is None:
            return
        while body and not body[-1][1].strip():
            body.pop()
        while body and not body[0][1].strip():
            body.pop(0)
        plain, entities = _parse_body(body, where)
        docs.append(
            Document(
                id=header["id"],
                text=plain,
                lang=header.get("lang", "de"),
                series=header.get("series", ""),
                register=header.get("register", "news"),
                date=header.get("date") or None,
                source=header.get("source", ""),
                length=header.get("length", "short"),
                entities=tuple(entities),
                relations=tuple(relations),
                provenance=_parse_provenance(header.get("provenance", ""), header_line, where),
            )
        )

    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("###"):
            finish()
            header, header_line, body, relations = (
                _parse_header(line, number, where),
                number,
                [],
                [],
            )
        elif line.startswith("%"):
            continue
        elif header is None:
            if line.strip():
                raise MarkupError(f"{where}:{number}: text before the first '###' header")
        elif line.startswith(">"):
            relations.extend(_parse_relations(line, number, where))
        else:
            body.append((number, line))
    finish()
    return docs


def read_markup(paths: Iterable[str | Path]) -> Iterator[Document]:
    """Parse every given markup file, in order."""
    for path in map(Path, paths):
        yield from parse_markup(path.read_text(encoding="utf-8"), where=str(path))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def render_markup(doc: Document) -> str:
    """The markup for one document (the inverse of :func:`parse_markup`)."""
    fields = {
        "id": doc.id,
        "lang": doc.lang,
        "series": doc.series,
        "register": doc.register,
        "date": doc.date or "",
        "source": doc.source,
        "length": doc.length if doc.length != "short" else "",
        "provenance": "; ".join(f"{p.annotator},{p.tool},{p.date}" for p in doc.provenance),
    }
    for key, value in fields.items():
        if "|" in value or "\n" in value:
            raise MarkupError(f"{doc.id}: metadata field '{key}' contains '|' or a newline")
    for line in doc.text.split("\n"):
        if line.startswith(("###", ">", "%")):
            raise MarkupError(f"{doc.id}: a text line starts with '###', '>' or '%'")
    header = "### " + " | ".join(f"{k}={v}" for k, v in fields.items() if v)
    pieces: list[str] = []
    pos = 0
    for ent in sorted(doc.entities, key=lambda e: e.start):
        if "\n" in ent.text:
            raise MarkupError(f"{doc.id}: entity {ent.id} spans a line break")
        label = f"{ent.label}:{ent.type}" if ent.type else ent.label
        pieces.append(_escape(doc.text[pos : ent.start]))
        pieces.append(f"[{_escape(ent.text)}]{{{ent.id}:{label}}}")
        pos = ent.end
    pieces.append(_escape(doc.text[pos:]))
    lines = [header, "".join(pieces)]
    if doc.relations:
        lines.append("> " + "; ".join(f"{r.head} {r.label} {r.tail}" for r in doc.relations))
    return "\n".join(lines) + "\n"
