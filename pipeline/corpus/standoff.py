"""Annotations kept apart from their text: openly licensed real text the project may read
but must not copy into its repository.

A standoff file (``*.standoff.jsonl``) holds one record per line: a corpus record (see
``corpus/README.md``) without ``text``. It names where the text is (``text_ref``:
dataset, file, sentence number) and records the text's SHA-256 (``text_sha256``), its
licence and source; its entities carry offsets only. :func:`load_standoff` reads each
text from a local copy of the dataset, checks the hash and the annotation (as
``racereport corpus validate`` does) and returns ordinary
:class:`~racereport.records.Document` records. The one dataset read so far is GermEval
2014 (CC BY 4.0), whose sentences are stored tokenised; :func:`detokenize` joins the
tokens the way the sentence was written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from racereport.bundled import SOURCE_ROOT
from racereport.corpus.jsonl import STANDOFF
from racereport.corpus.validate import check_document
from racereport.generalisation import MOTORSPORT_WORDS
from racereport.records import Document, RecordError
from racereport.tokenizer import tokenizer_for

GERMEVAL = "germeval2014"
REAL_ROOT = SOURCE_ROOT / "corpus" / "real"

_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "%", "“", "…"})
_NO_SPACE_AFTER = frozenset({"(", "[", "„"})


class StandoffError(ValueError):
    """A standoff record cannot be resolved; the message names the file, the line and what
    to do."""


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens as written: no space before closing punctuation or after an opening
    bracket; straight double quotes alternate between opening and closing (one followed
    by punctuation or ending the sentence closes)."""
    out: list[str] = []
    attach_next = False
    in_quote = False
    for i, token in enumerate(tokens):
        if token == '"':
            following = tokens[i + 1] if i + 1 < len(tokens) else ","
            in_quote = not in_quote and following not in _NO_SPACE_BEFORE
            if in_quote and out and not attach_next:
                out.append(" ")
            out.append(token)
            attach_next = in_quote
            continue
        if out and not attach_next and token not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(token)
        attach_next = token in _NO_SPACE_AFTER
    return "".join(out)


def read_germeval_sentences(path: Path) -> dict[int, tuple[str, list[str]]]:
    """GermEval 2014 TSV: ``{sentence number: (source line, tokens)}``, numbered from 0
    in file order (one ``#`` source line per sentence)."""
    sentences: dict[int, tuple[str, list[str]]] = {}
    number = -1
    source = ""
    tokens: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line_number, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                if tokens:
                    sentences[number] = (source, tokens)
                    tokens = []
                number += 1
                source = line.partition("\t")[2]
                continue
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) < 2:
                raise StandoffError(f"{path}:{line_number}: expected tab-separated columns")
            tokens.append(cols[1])
    if tokens:
        sentences[number] = (source, tokens)
    return sentences


def text_sha256(text: str) -> str:
    """The hash a standoff record keeps of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _resolve(
    obj: dict, where: str, data_dir: Path, cache: dict[str, dict[int, tuple[str, list[str]]]]
) -> Document:
    ref = obj.get("text_ref")
    if not isinstance(ref, dict) or ref.get("dataset") != GERMEVAL:
        raise StandoffError(f"{where}: 'text_ref' must name dataset '{GERMEVAL}'")
    name = str(ref.get("file", ""))
    if name not in cache:
        path = data_dir / name
        if not path.is_file():
            raise StandoffError(
                f"{where}: {path} not found; pass the folder that holds the GermEval 2014 "
                "files (NER-de-dev.tsv, NER-de-test.tsv), e.g. ../shared/data/german_ner/"
                "germeval2014"
            )
        cache[name] = read_germeval_sentences(path)
    sentence = ref.get("sentence")
    if not isinstance(sentence, int) or sentence not in cache[name]:
        raise StandoffError(f"{where}: {name} has no sentence {sentence!r}")
    text = detokenize(cache[name][sentence][1])
    if text_sha256(text) != obj.get("text_sha256"):
        raise StandoffError(
            f"{where}: the text of {name} sentence {sentence} does not match 'text_sha256' "
            "(a different version of the dataset?)"
        )
    entities = []
    for i, ent in enumerate(obj.get("entities") or []):
        if not isinstance(ent, dict):
            raise StandoffError(f"{where}, entity {i}: must be an object")
        start, end = ent.get("start"), ent.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise StandoffError(f"{where}, entity {i}: offsets outside the text")
        entities.append({**ent, "text": text[start:end]})
    record = {k: v for k, v in obj.items() if k not in ("text_ref", "text_sha256", "license")}
    try:
        return Document.from_dict({**record, "text": text, "entities": entities}, where)
    except RecordError as e:
        raise StandoffError(str(e)) from None


def default_real(lang: str) -> list[Path]:
    """The standoff files of ``corpus/real/LANG`` (real text annotated by the project)."""
    folder = REAL_ROOT / lang
    return sorted(folder.glob(f"*{STANDOFF}")) if folder.is_dir() else []


def other_texts(
    data_dir: Path, annotated: Iterable[Document], file: str = "NER-de-dev.tsv"
) -> list[Document]:
    """The sentences of a GermEval file that are not about motor racing: neither annotated
    in ``annotated`` nor containing :data:`racereport.generalisation.MOTORSPORT_WORDS`.
    Documents without entities; every entity a pipeline finds in them is wrong."""
    path = data_dir / file
    if not path.is_file():
        raise StandoffError(f"{path} not found; pass the folder that holds the GermEval files")
    taken = {d.id for d in annotated}
    split = "dev" if "dev" in file else "test"
    docs = []
    for number, (_, tokens) in sorted(read_germeval_sentences(path).items()):
        doc_id = f"{GERMEVAL}-{split}-{number}"
        text = detokenize(tokens)
        if doc_id not in taken and not MOTORSPORT_WORDS.search(text):
            docs.append(Document(id=doc_id, text=text, lang="de", source=file))
    return docs


def load_standoff(paths: Iterable[Path], data_dir: Path) -> list[Document]:
    """The documents of the standoff files ``paths`` (files, or folders of
    ``*.standoff.jsonl``), their texts read from ``data_dir``."""
    cache: dict[str, dict[int, tuple[str, list[str]]]] = {}
    docs: list[Document] = []
    files = [f for p in paths for f in (sorted(p.glob(f"*{STANDOFF}")) if p.is_dir() else [p])]
    for path in files:
        if not path.is_file():
            raise StandoffError(f"{path}: no such standoff file")
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise StandoffError(f"{where}: not JSON ({e.msg})") from None
                if not isinstance(obj, dict):
                    raise StandoffError(f"{where}: must be a JSON object")
                doc = _resolve(obj, where, data_dir, cache)
                problems = check_document(doc, tokenizer_for(doc.lang))
                if problems:
                    raise StandoffError(f"{where}: {'; '.join(problems)}")
                docs.append(doc)
    return docs


def load_real_text(
    data_dir: Path, lang: str, paths: Iterable[Path] | None = None
) -> tuple[list[Document], list[Document]]:
    """The annotated real text of ``lang`` (``paths``, default ``corpus/real/LANG``) and,
    for German, the GermEval sentences about other things (:func:`other_texts`), both
    read from ``data_dir``."""
    files = default_real(lang) if paths is None else paths
    real = [d for d in load_standoff(files, data_dir) if d.lang == lang]
    return real, (other_texts(data_dir, real) if lang == "de" else [])
