"""Write output rows as JSONL or Parquet, and know which documents are done (resume).

One row per input document: ``id``, ``source``, ``lang``, ``entities``,
``relations``, ``graph`` and ``error`` (``None`` when the document was processed).
JSONL rows hold them as JSON values; Parquet rows hold ``entities``, ``relations`` and
``graph`` as JSON strings (their shapes vary too much for one Arrow schema).

Both sinks survive being killed at any moment: JSONL is appended line by line and a
torn last line is cut off when the run starts again; Parquet is written as part files
(``part-00000.parquet``, ...) that appear atomically (written under a temporary name,
then renamed), so a part is either complete or absent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

COLUMNS = ("id", "source", "lang", "entities", "relations", "graph", "error")
JSON_COLUMNS = ("entities", "relations", "graph")

Key = tuple[str, str]


class Sink(Protocol):
    """Where rows go."""

    done: set[Key]

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add rows (durable once :meth:`flush` returns)."""

    def flush(self) -> None:
        """Make everything written so far durable."""

    def close(self) -> None:
        """Flush and release the output."""


class JsonlSink:
    """Append rows to one JSONL file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[Key] = set()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            self._recover()
        self._file = path.open("a", encoding="utf-8")

    def _recover(self) -> None:
        good_bytes = 0
        with self.path.open("rb") as f:
            for raw in f:
                if not raw.endswith(b"\n"):
                    break  # torn last line: the run was killed while writing it
                try:
                    row = json.loads(raw)
                except json.JSONDecodeError:
                    break
                self.done.add((row["source"], row["id"]))
                good_bytes += len(raw)
        if good_bytes != self.path.stat().st_size:
            with self.path.open("r+b") as f:
                f.truncate(good_bytes)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows, one JSON object per line."""
        for row in rows:
            self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.done.add((row["source"], row["id"]))

    def flush(self) -> None:
        """Flush to the operating system."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Flush and close."""
        self.flush()
        self._file.close()


class ParquetSink:
    """Write rows to a folder of Parquet part files, ``rows_per_part`` rows each."""

    def __init__(self, folder: Path, rows_per_part: int = 1000) -> None:
        import pyarrow.parquet as pq

        self.folder = folder
        self.rows_per_part = rows_per_part
        self.done: set[Key] = set()
        self._buffer: list[dict[str, Any]] = []
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".part-*.tmp"):
            stale.unlink()
        parts = sorted(folder.glob("part-*.parquet"))
        for part in parts:
            table = pq.read_table(part, columns=["source", "id"])
            self.done.update(zip(table["source"].to_pylist(), table["id"].to_pylist(), strict=True))
        self._next = 1 + max((int(p.stem.split("-")[1]) for p in parts), default=-1)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Buffer rows; a part file is written whenever ``rows_per_part`` are buffered."""
        for row in rows:
            self._buffer.append(row)
            self.done.add((row["source"], row["id"]))
            if len(self._buffer) >= self.rows_per_part:
                self.flush()

    def flush(self) -> None:
        """Write the buffered rows as one part file (atomically)."""
        if not self._buffer:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(
            [to_flat_row(r) for r in self._buffer], schema=parquet_schema()
        )
        name = f"part-{self._next:05d}.parquet"
        tmp = self.folder / f".{name}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self.folder / name)
        self._next += 1
        self._buffer = []

    def close(self) -> None:
        """Write what is buffered."""
        self.flush()


def parquet_schema() -> Any:
    """The Arrow schema of Parquet output rows."""
    import pyarrow as pa

    return pa.schema([(c, pa.string()) for c in COLUMNS])


def to_flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its JSON columns as strings (the Parquet form)."""
    return {
        c: json.dumps(row[c], ensure_ascii=False)
        if c in JSON_COLUMNS and row[c] is not None
        else row[c]
        for c in COLUMNS
    }


def from_flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`to_flat_row`."""
    return {
        c: json.loads(row[c]) if c in JSON_COLUMNS and row[c] is not None else row[c]
        for c in COLUMNS
    }


def output_format(path: Path, fmt: str | None) -> str:
    """``jsonl`` or ``parquet``: ``fmt`` if given, else from the path (a ``.jsonl`` file
    or anything else: a Parquet folder)."""
    if fmt is None:
        return "jsonl" if path.suffix in (".jsonl", ".json") else "parquet"
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown output format {fmt!r}; use jsonl or parquet")
    return fmt


def open_sink(path: Path, fmt: str | None = None) -> JsonlSink | ParquetSink:
    """A sink for ``path`` that already knows the documents done by earlier runs."""
    return JsonlSink(path) if output_format(path, fmt) == "jsonl" else ParquetSink(path)


def read_rows(path: Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """All rows of an output (JSON columns decoded), for tests and notebooks."""
    if output_format(path, fmt) == "jsonl":
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for part in sorted(path.glob("part-*.parquet")):
        rows.extend(from_flat_row(r) for r in pq.read_table(part).to_pylist())
    return rows
