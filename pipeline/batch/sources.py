"""Read input documents lazily, one :class:`InputDoc` at a time.

Inputs are files or folders (searched recursively): ``.jsonl``/``.json`` and
``.parquet`` files hold one document per line/row (text and id fields named by the
caller), a folder with ``dataset_info.json`` or ``state.json`` is a saved Hugging Face
dataset, anything else is a plain text file (one document; its id is its path).
A document that cannot be read (undecodable, binary, empty, too large, a malformed
JSON line, a missing text field) becomes an :class:`InputDoc` with an ``error``
(``"<reason>: <details>"``) instead of stopping the run.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from racereport.batch.sink import JSONL_MANIFEST_SUFFIX, PARQUET_MANIFEST, jsonl_manifest

MAX_CHARS = 5_000_000
"""Documents longer than this are refused. Long documents are processed in parts
(:mod:`racereport.batch.chunks`), so this bounds only the time one document takes
(about two minutes on one core) and the size of its row."""

RECORD_SUFFIXES = {".jsonl", ".json", ".parquet"}


@dataclass(frozen=True)
class InputDoc:
    """One input document, or the reason it cannot be processed."""

    id: str
    source: str
    text: str | None = None
    error: str | None = None
    where: str = ""
    """Where in its source the document is (``line 3``, ``row 7``; empty for a file)."""

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the document across runs (for resuming)."""
        return (self.source, self.id)

    def as_duplicate(self) -> InputDoc:
        """The error document for a repeated (source, id): named by its place, so that
        resuming never mistakes it for the first one."""
        place = self.where or "again"
        return InputDoc(
            f"{self.id} ({place})",
            self.source,
            error=f"duplicate id: '{self.id}' already seen in {self.source}",
            where=self.where,
        )


@dataclass(frozen=True)
class Fields:
    """Which fields of a JSONL/Parquet/dataset record hold the text and the id."""

    text: str = "text"
    id: str = "id"


DEFAULT_FIELDS = Fields()


def printable(value: str) -> str:
    """``value`` with anything UTF-8 cannot encode (lone surrogates, from JSON escapes
    or undecodable file names) written as backslash escapes: safe in every output."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _unencodable(text: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return f"U+{ord(text[e.start]):04X} at character {e.start}"
    return None


def _check_text(doc_id: str, source: str, text: Any, max_chars: int, where: str = "") -> InputDoc:
    doc_id, source = printable(doc_id), printable(source)
    at = f" ({where})" if where else ""
    if not isinstance(text, str):
        error = f"not a string: the text{at} is {type(text).__name__}"
    elif (bad := _unencodable(text)) is not None:
        error = f"unencodable text: a lone surrogate {bad}{at}; fix the input's escapes"
    elif "\x00" in text:
        error = f"binary content: NUL characters{at}"
    elif not text.strip():
        error = f"empty text{at}"
    elif len(text) > max_chars:
        error = f"too large: {len(text):,} characters > {max_chars:,}{at}"
    else:
        return InputDoc(doc_id, source, text=text, where=where)
    return InputDoc(doc_id, source, error=error, where=where)


def is_hf_dataset(path: Path) -> bool:
    """Whether ``path`` is a folder written by ``Dataset.save_to_disk``."""
    return path.is_dir() and (
        (path / "dataset_info.json").exists() or (path / "state.json").exists()
    )


def _is_output(root: Path, path: Path) -> bool:
    """Whether ``path`` (found under ``root``) belongs to an output of ``racereport
    process``: a manifest, a JSONL file with one, or anything in a Parquet output folder."""
    if path.name == PARQUET_MANIFEST or path.name.endswith(JSONL_MANIFEST_SUFFIX):
        return True
    if path.is_file() and jsonl_manifest(path).exists():
        return True
    inside = [p for p in path.parents if p == root or root in p.parents]
    return any((p / PARQUET_MANIFEST).exists() for p in inside)


def expand(inputs: list[Path]) -> Iterator[Path]:
    """Files and dataset folders named by ``inputs``, folders searched recursively
    (sorted, so every run sees the same order; hidden files and the outputs of ``racereport
    process`` skipped), as absolute paths: a document's source
    is the same whichever working folder a run starts from (resume keys on it)."""
    for path in inputs:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        path = path.resolve()
        if not path.is_dir() or is_hf_dataset(path):
            yield path
            continue
        for child in sorted(path.rglob("*")):
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue  # hidden files and folders
            if _is_output(path, child):
                continue  # rows and manifests of racereport process are not inputs
            inside_dataset = any(is_hf_dataset(p) for p in child.parents)
            if inside_dataset:
                continue
            if is_hf_dataset(child) or not child.is_dir():
                yield child  # not a file or folder (a FIFO, a dangling link): an error row


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when ``data`` looks like mostly-Latin UTF-16 text without a
    byte-order mark (every other byte zero), else ``None``."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """``(text, None)`` or ``(None, error)``: decoded by its byte-order mark (UTF-8,
    UTF-16, UTF-32; the mark is not part of the text), as BOM-less UTF-16 where the
    bytes say so, else as UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as e:
                return (
                    None,
                    f"not {encoding.upper()}: {e} (the file starts with its byte-order mark)",
                )
    if b"\x00" in data[:8192]:
        guess = _utf16_without_bom(data)
        if guess is None:
            return (
                None,
                "binary content: NUL bytes (not text, or an encoding without a byte-order mark)",
            )
        try:
            return data.decode(guess), None
        except UnicodeDecodeError as e:
            return None, f"binary content: NUL bytes, and not {guess.upper()}: {e}"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"not UTF-8: {e}"


def read_text_file(path: Path, max_chars: int = MAX_CHARS, name: str | None = None) -> InputDoc:
    """A plain text file as one document (id and source: ``name``, default the path)."""
    source = printable(name or str(path))
    try:
        data = path.read_bytes()
    except OSError as e:
        return InputDoc(source, source, error=f"cannot read: {e.strerror or e}")
    text, error = decode_bytes(data)
    if text is None:
        return InputDoc(source, source, error=error)
    return _check_text(source, source, text, max_chars)


def _record_doc(record: Any, where: str, source: str, fields: Fields, max_chars: int) -> InputDoc:
    if not isinstance(record, dict):
        return InputDoc(where, source, error=f"not an object: {where}", where=where)
    doc_id = record.get(fields.id)
    doc_id = where if doc_id is None else printable(str(doc_id))
    if fields.text not in record:
        error = f"missing text field: no field '{fields.text}' ({where})"
        return InputDoc(doc_id, source, error=error, where=where)
    return _check_text(doc_id, source, record[fields.text], max_chars, where)


def read_jsonl(
    path: Path, fields: Fields, max_chars: int = MAX_CHARS, name: str | None = None
) -> Iterator[InputDoc]:
    """One document per non-empty line; a bad line is an error document named by its line.
    ``name``: the source name (default: the path)."""
    source = name or str(path)
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            where = f"line {number}"
            if not raw.strip():
                continue
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield InputDoc(where, source, error=f"malformed JSON: {e} ({where})", where=where)
                continue
            except RecursionError:
                error = f"malformed JSON: nested too deeply ({where})"
                yield InputDoc(where, source, error=error, where=where)
                continue
            yield _record_doc(record, where, source, fields, max_chars)


def read_parquet(
    path: Path,
    fields: Fields,
    max_chars: int = MAX_CHARS,
    name: str | None = None,
    batch_size: int = 1024,
) -> Iterator[InputDoc]:
    """One document per row, read in record batches (memory stays flat).
    ``name``: the source name (default: the path)."""
    import pyarrow.parquet as pq

    source = name or str(path)
    parquet = pq.ParquetFile(path)
    columns = [c for c in (fields.text, fields.id) if c in parquet.schema_arrow.names]
    row = 0
    for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield _record_doc(record, f"row {row}", source, fields, max_chars)


def read_hf_dataset(
    path: Path, fields: Fields, max_chars: int = MAX_CHARS, name: str | None = None
) -> Iterator[InputDoc]:
    """One document per row of a dataset saved with ``save_to_disk`` (memory-mapped).
    ``name``: the source name (default: the path)."""
    from datasets import load_from_disk

    dataset = load_from_disk(str(path))
    base = name or str(path)
    if hasattr(dataset, "keys"):  # a DatasetDict: every split, in order
        parts = [(f"{base}[{split}]", dataset[split]) for split in dataset]
    else:
        parts = [(base, dataset)]
    for source, part in parts:
        for row, record in enumerate(part, start=1):
            yield _record_doc(record, f"row {row}", source, fields, max_chars)


def read_path(
    path: Path, fields: Fields = DEFAULT_FIELDS, max_chars: int = MAX_CHARS, name: str | None = None
) -> Iterator[InputDoc]:
    """The documents of one file or dataset folder, by its kind; ``name`` is the source
    the documents carry (default: the path). Anything else (a FIFO, a socket, a
    dangling link) is one error document, never read (reading a FIFO would block)."""
    if not path.is_file() and not is_hf_dataset(path):
        source = printable(name or str(path))
        what = (
            "a dangling link" if path.is_symlink() and not path.exists() else "not a regular file"
        )
        yield InputDoc(source, source, error=f"cannot read: {what}")
        return
    if is_hf_dataset(path):
        yield from read_hf_dataset(path, fields, max_chars, name)
    elif path.suffix in (".jsonl", ".json"):
        yield from read_jsonl(path, fields, max_chars, name)
    elif path.suffix == ".parquet":
        yield from read_parquet(path, fields, max_chars, name)
    else:
        yield read_text_file(path, max_chars, name)


def read_inputs(
    inputs: list[Path], fields: Fields = DEFAULT_FIELDS, max_chars: int = MAX_CHARS
) -> Iterator[InputDoc]:
    """Every document of ``inputs``, lazily, in a stable order."""
    for path in expand(inputs):
        yield from read_path(path, fields, max_chars)


def count_inputs(inputs: list[Path], fields: Fields = DEFAULT_FIELDS) -> int:
    """How many documents :func:`read_inputs` will yield (cheap: line and row counts)."""
    import pyarrow.parquet as pq

    total = 0
    for path in expand(inputs):
        if is_hf_dataset(path):
            from datasets import load_from_disk

            dataset = load_from_disk(str(path))
            total += (
                sum(len(dataset[s]) for s in dataset) if hasattr(dataset, "keys") else len(dataset)
            )
        elif not path.is_file():
            total += 1
        elif path.suffix in (".jsonl", ".json"):
            with path.open("rb") as f:
                total += sum(1 for line in f if line.strip())
        elif path.suffix == ".parquet":
            total += pq.ParquetFile(path).metadata.num_rows
        else:
            total += 1
    return total
