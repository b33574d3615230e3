"""Write output rows as JSONL or Parquet, and know which documents are done (resume).

One row per input document: ``id``, ``source``, ``lang``, ``entities``,
``relations``, ``graph``, ``warnings`` (what was left out of a processed document) and
``error`` (``None`` when the document was processed).
JSONL rows hold them as JSON values; Parquet rows hold ``entities``, ``relations`` and
``graph`` as JSON strings (their shapes vary too much for one Arrow schema).

Both sinks survive being killed at any moment: JSONL is appended line by line and a
torn last line is cut off when the run starts again; Parquet is written as part files
(``part-00000.parquet``, ...) that appear atomically (written under a temporary name,
then renamed), so a part is either complete or absent.

Outputs are owned: a sink writes a manifest (``results.jsonl.manifest.json`` next to a
JSONL file, ``_racereport.json`` inside a Parquet folder), refuses to write to an
existing file or folder that holds anything but its own rows (:class:`OutputError`),
and holds an exclusive lock on the output while it is open, so a second run into the
same output fails at once instead of interleaving rows.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Protocol

COLUMNS = ("id", "source", "lang", "entities", "relations", "graph", "warnings", "error")
JSON_COLUMNS = ("entities", "relations", "graph", "warnings")

Key = tuple[str, str]

ROW_KEYS = frozenset({"id", "source", "error"})
"""Keys every output row has (rows of earlier versions included)."""
JSONL_MANIFEST_SUFFIX = ".manifest.json"
PARQUET_MANIFEST = "_racereport.json"


class OutputError(Exception):
    """An output path the sink must not write to: it holds something else, or another
    run is writing to it (the user must choose another path or wait)."""


def jsonl_manifest(path: Path) -> Path:
    """The manifest of a JSONL output: ``results.jsonl.manifest.json``."""
    return path.with_name(path.name + JSONL_MANIFEST_SUFFIX)


def _manifest(fmt: str) -> str:
    created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return json.dumps(
        {"written_by": "racereport process", "format": fmt, "columns": list(COLUMNS),
         "created": created},
        indent=2,
    ) + "\n"  # fmt: skip


def _lock(handle: IO[Any], path: Path) -> None:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputError(
            f"{path} is being written by another racereport run; wait for it to finish "
            "or choose another --out"
        ) from None


def _row_problem(raw: bytes) -> str | None:
    """Why a JSONL line is not an output row (``None``: it is one)."""
    try:
        row = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return f"not JSON ({e})"
    if not isinstance(row, dict):
        return f"a JSON {type(row).__name__}, not a row object"
    missing = ROW_KEYS - set(row)
    if missing:
        return f"a JSON object without {', '.join(sorted(missing))}"
    if not isinstance(row["source"], str) or not isinstance(row["id"], str):
        return "a row whose source or id is not a string"
    return None


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
    """Append rows to one JSONL file (created with its manifest, or one this sink wrote
    before, resumed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[Key] = set()
        if path.is_dir():
            raise OutputError(f"{path} is a folder; a JSONL output is a file (or use --format)")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        _lock(self._file, path)
        try:
            self._recover(owned=jsonl_manifest(path).exists())
        except BaseException:
            self._file.close()
            raise
        if not jsonl_manifest(path).exists():
            jsonl_manifest(path).write_text(_manifest("jsonl"), encoding="utf-8")

    def _recover(self, owned: bool) -> None:
        """Read the done keys; cut a torn last line (a run killed while writing it).
        A file without manifest is adopted only when every line is a row (output of an
        earlier version, or empty); any other line stops with :class:`OutputError`."""
        good_bytes = 0
        with self.path.open("rb") as f:
            lines = f.readlines()
        for number, raw in enumerate(lines, start=1):
            problem = _row_problem(raw) if raw.strip() else None
            torn = not raw.endswith(b"\n") or problem is not None
            if owned and number == len(lines) and torn:
                break  # torn last line: cut below
            if problem is None and not raw.endswith(b"\n"):
                problem = "a row without its line end"
            if problem is not None:
                what = "was not written by racereport process" if not owned else "is damaged"
                raise OutputError(
                    f"{self.path} {what}: line {number} is {problem}; nothing was changed. "
                    "Choose another --out (or move the file away)"
                )
            if raw.strip():
                row = json.loads(raw)
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
        """Flush, release the lock and close."""
        if self._file.closed:
            return
        self.flush()
        self._file.close()


class ParquetSink:
    """Write rows to a folder of Parquet part files, ``rows_per_part`` rows each."""

    def __init__(self, folder: Path, rows_per_part: int = 1000) -> None:
        self.folder = folder
        self.rows_per_part = rows_per_part
        self.done: set[Key] = set()
        self._buffer: list[dict[str, Any]] = []
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder} is a file; a Parquet output is a folder")
        manifest = folder / PARQUET_MANIFEST
        if folder.exists() and not manifest.exists():
            foreign = sorted(
                p.name
                for p in folder.iterdir()
                if not _is_part(p.name) and not (p.name.startswith(".part-") and p.suffix == ".tmp")
            )
            if foreign:
                raise OutputError(
                    f"{folder} holds files racereport process did not write "
                    f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                    "nothing was changed. Choose another --out"
                )
        folder.mkdir(parents=True, exist_ok=True)
        self._lock_file = manifest.open("a+", encoding="utf-8")
        _lock(self._lock_file, folder)
        try:
            self._read_parts()
        except BaseException:
            self._lock_file.close()
            raise
        if manifest.stat().st_size == 0:
            self._lock_file.write(_manifest("parquet"))
            self._lock_file.flush()

    def _read_parts(self) -> None:
        import pyarrow.parquet as pq

        for stale in self.folder.glob(".part-*.tmp"):
            stale.unlink()
        parts = sorted(p for p in self.folder.glob("part-*.parquet") if _is_part(p.name))
        for part in parts:
            try:
                table = pq.read_table(part, columns=["source", "id"])
            except Exception as e:  # not Parquet, or not rows of this tool
                raise OutputError(
                    f"{part} is not a part racereport process wrote ({e}); nothing was "
                    "changed. Choose another --out"
                ) from None
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
        """Write what is buffered and release the lock."""
        if self._lock_file.closed:
            return
        self.flush()
        self._lock_file.close()


def _is_part(name: str) -> bool:
    stem, _, suffix = name.partition(".")
    return suffix == "parquet" and stem.startswith("part-") and stem[5:].isdigit()


def parquet_schema() -> Any:
    """The Arrow schema of Parquet output rows."""
    import pyarrow as pa

    return pa.schema([(c, pa.string()) for c in COLUMNS])


def to_flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its JSON columns as strings (the Parquet form); a row without
    ``warnings`` has none."""
    row = {"warnings": [], **row}
    return {
        c: json.dumps(row[c], ensure_ascii=False)
        if c in JSON_COLUMNS and row[c] is not None
        else row[c]
        for c in COLUMNS
    }


def from_flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`to_flat_row` (parts written before ``warnings`` existed
    read as having none)."""
    row = {"warnings": "[]", **row}
    return {
        c: json.loads(row[c]) if c in JSON_COLUMNS and row[c] is not None else row[c]
        for c in COLUMNS
    }


def output_format(path: Path, fmt: str | None) -> str:
    """``jsonl`` or ``parquet``: ``fmt`` if given, else from the path (a ``.jsonl`` or
    ``.json`` file; a folder: no suffix or ``.parquet``). Any other suffix is an error
    rather than a guess."""
    if fmt is None:
        if path.suffix in (".jsonl", ".json"):
            return "jsonl"
        if path.suffix in ("", ".parquet") or path.is_dir():
            return "parquet"
        raise ValueError(
            f"cannot tell the output format from '{path.name}': use a .jsonl file, a "
            "folder for Parquet, or --format"
        )
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
