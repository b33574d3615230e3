"""Read an annotation tool's export back into the corpus: parse, validate every document
with the corpus validator, and write (merging into an existing corpus file) only when
all of them are valid. Each imported document records who annotated it, with which
tool and when (its ``provenance``, appended to what the corpus had)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from racereport.annotate import doccano, labelstudio, prodigy
from racereport.annotate.formats import TOOLS, ImportFormatError
from racereport.corpus.jsonl import (
    CorpusError,
    LineError,
    iter_parsed,
    load_documents,
    write_documents,
)
from racereport.corpus.validate import check_document
from racereport.records import Document
from racereport.tokenizer import tokenizer_for


class ImportFailed(ValueError):
    """The export could not be imported; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass
class Imported:
    """What an import read: the documents and the tasks it skipped (no accepted answer)."""

    documents: list[Document]
    skipped: list[str] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    """Everyone with an annotation in the export, where the tool records it."""


def _lines(path: Path) -> list[tuple[int, object]]:
    lines = []
    for number, obj in iter_parsed(path):
        if isinstance(obj, LineError):
            raise ImportFormatError(str(obj))
        lines.append((number, obj))
    return lines


def read_export(
    path: Path,
    tool: str,
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> Imported:
    """Parse ``path``, exported from ``tool`` (one of :data:`TOOLS`). ``annotator``:
    for Label Studio, import that annotator's annotations (e-mail or ``user-ID``); for
    doccano (whose export does not say) the annotator to record; for Prodigy, overrides
    ``_annotator_id``. Raises :class:`ImportFormatError` on a structural problem."""
    if tool not in TOOLS:
        raise ImportFormatError(f"unknown tool '{tool}' (known: {', '.join(TOOLS)})")
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    if tool == "labelstudio":
        try:
            tasks = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ImportFormatError(f"{path}: not a JSON file ({e})") from None
        except RecursionError:
            raise ImportFormatError(
                f"{path}: not a Label Studio export (nested too deeply)"
            ) from None
        docs, skipped = labelstudio.from_export(tasks, str(path), annotator, users)
        return Imported(docs, skipped, labelstudio.annotators(tasks, users))
    if tool == "doccano":
        if not annotator:
            raise ImportFormatError(
                f"{path}: doccano's export does not record who annotated; pass --annotator"
            )
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        return Imported(doccano.from_records(_lines(path), str(path), annotator, now))
    docs, skipped = prodigy.from_records(_lines(path), str(path), annotator)
    return Imported(docs, skipped)


def problems_of(documents: Sequence[Document]) -> list[str]:
    """Every reason the corpus validator rejects one of ``documents`` (``[ID] reason``),
    entity boundaries checked against each language's tokenizer; also repeated ids."""
    problems: list[str] = []
    seen: set[str] = set()
    for doc in documents:
        if doc.id in seen:
            problems.append(f"[{doc.id}] imported twice")
        seen.add(doc.id)
        problems.extend(f"[{doc.id}] {p}" for p in check_document(doc, tokenizer_for(doc.lang)))
    return problems


def merge(existing: Sequence[Document], imported: Sequence[Document]) -> list[Document]:
    """``existing`` with each imported document replacing the one of the same id (its
    provenance appended to the old one's), new documents appended in import order."""
    by_id = {d.id: d for d in imported}
    merged = []
    for doc in existing:
        new = by_id.pop(doc.id, None)
        merged.append(
            doc if new is None else replace(new, provenance=doc.provenance + new.provenance)
        )
    merged.extend(d for d in imported if d.id in by_id)
    return merged


def import_annotations(
    path: Path,
    tool: str,
    out: Path,
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> Imported:
    """Import ``path`` into the corpus file ``out`` (created, or merged by document id);
    nothing is written unless every imported document is valid (raises
    :class:`ImportFailed` with all problems)."""
    try:
        imported = read_export(path, tool, annotator, users)
    except ImportFormatError as e:
        raise ImportFailed([str(e)]) from None
    problems = problems_of(imported.documents)
    if problems:
        raise ImportFailed([f"{path}: {p}" for p in problems])
    if not imported.documents:
        return imported
    try:
        existing = load_documents([out]) if out.exists() else []
    except CorpusError as e:
        raise ImportFailed([f"cannot merge into {out}: {e}"]) from None
    write_documents(merge(existing, imported.documents), out)
    return imported
