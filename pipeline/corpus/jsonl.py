"""Read and write the corpus JSONL format (one :class:`~racereport.records.Document` a line).

Every document read keeps where it came from (:class:`Located`), so that the
validator and the converters can point at a file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from racereport.records import Document, RecordError


class CorpusError(ValueError):
    """A corpus file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Located:
    """A document with the file and 1-based line it was read from."""

    path: Path
    line: int
    doc: Document

    @property
    def where(self) -> str:
        """``file:line`` for messages."""
        return f"{self.path}:{self.line}"


STANDOFF = ".standoff.jsonl"


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively, ``*.jsonl``) into a sorted list of files.
    Standoff files in folders (``*.standoff.jsonl``: annotations without their text, see
    :mod:`racereport.corpus.standoff`) are not corpus files and are left out."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*.jsonl")) if not f.name.endswith(STANDOFF))
        elif p.is_file():
            files.append(p)
        else:
            raise CorpusError(f"{p}: no such file or folder")
    return files


class LineError(CorpusError):
    """One line of a corpus file cannot be parsed."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


def iter_parsed(path: Path) -> Iterator[tuple[int, object | LineError]]:
    """Yield ``(line number, parsed JSON or the LineError)`` for each non-blank line."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield number, LineError(path, number, f"not UTF-8 ({e.reason})")
                continue
            if not line.strip():
                continue
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError as e:
                yield number, LineError(path, number, f"invalid JSON: {e.msg} (column {e.colno})")
                continue
            except RecursionError:
                yield number, LineError(path, number, "invalid JSON: nested too deeply")
                continue
            yield number, parsed


def iter_raw(path: Path) -> Iterator[tuple[int, object]]:
    """Yield ``(line number, parsed JSON)``; raises :class:`LineError` on a bad line."""
    for number, obj in iter_parsed(path):
        if isinstance(obj, LineError):
            raise obj
        yield number, obj


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Located]:
    """Yield every document of the given files or folders with its location.

    Raises :class:`CorpusError` on the first line that is not a well-formed record.
    """
    for path in corpus_files(paths):
        for number, obj in iter_raw(path):
            try:
                doc = Document.from_dict(obj, where="record")
            except RecordError as e:
                raise CorpusError(f"{path}:{number}: {e}") from None
            yield Located(path, number, doc)


def load_documents(paths: Iterable[str | Path]) -> list[Document]:
    """All documents of the given files or folders, in file and line order."""
    return [located.doc for located in iter_documents(paths)]


def dumps(doc: Document) -> str:
    """One JSONL line (without newline): UTF-8 text, keys in the documented order."""
    return json.dumps(doc.to_dict(), ensure_ascii=False)


def write_documents(docs: Iterable[Document], path: str | Path) -> int:
    """Write ``docs`` to ``path`` as JSONL, atomically (temp file + rename); returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for doc in docs:
            f.write(dumps(doc) + "\n")
            count += 1
    tmp.replace(path)
    return count
