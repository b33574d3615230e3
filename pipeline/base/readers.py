"""Readers for the openly licensed German NER corpora in ``shared/data/german_ner``.

Every reader yields spaCy ``Doc`` objects whose entities use one common scheme,
:data:`BASE_LABELS` (PER, LOC, ORG). GermEval's OTH and its ``-deriv``/``-part``
forms are dropped because the other corpora do not annotate them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import iob_to_biluo, tags_to_entities

BASE_LABELS: tuple[str, ...] = ("PER", "LOC", "ORG")

_SMARTDATA_LABELS = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-stop": "LOC",
    "location-street": "LOC",
    "location-route": "LOC",
}


class BaseDataError(ValueError):
    """A base-data file cannot be read; the message names the file and line."""


def _keep(tag: str) -> str:
    """Map an IOB tag to the base scheme: ``B-PER`` stays, ``B-OTH``/``B-LOCderiv`` -> ``O``."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    return tag if label in BASE_LABELS and prefix in ("B", "I") else "O"


def _doc_from_iob(nlp: Language, words: list[str], tags: list[str]) -> Doc:
    doc = Doc(nlp.vocab, words=words)
    biluo = iob_to_biluo([_keep(t) for t in tags])
    doc.ents = [
        Span(doc, start, end + 1, label=label) for label, start, end in tags_to_entities(biluo)
    ]
    return doc


def read_germeval(nlp: Language, path: Path) -> Iterator[Doc]:
    """GermEval 2014 TSV: ``#`` source line, then ``index<TAB>token<TAB>outer<TAB>inner``."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if words:
                    yield _doc_from_iob(nlp, words, tags)
                words, tags = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise BaseDataError(f"{path}:{number}: expected 4 tab-separated columns")
            words.append(cols[1])
            tags.append(cols[2])
    if words:  # the test file lacks its final newline
        yield _doc_from_iob(nlp, words, tags)


def read_uner(nlp: Language, path: Path) -> Iterator[Doc]:
    """Universal NER IOB2 (CoNLL-style, ``#`` comments, token in column 2, tag in 3)."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if words:
                    yield _doc_from_iob(nlp, words, tags)
                words, tags = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise BaseDataError(f"{path}:{number}: expected tab-separated columns")
            words.append(cols[1])
            tags.append(cols[2])
    if words:
        yield _doc_from_iob(nlp, words, tags)


def _json_objects(path: Path) -> Iterator[dict]:
    """Concatenated pretty-printed JSON objects (gzip or plain)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        text = f.read()
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise BaseDataError(f"{path}: invalid JSON at character {e.pos}: {e.msg}") from None
        yield obj


def _trim(span: Span | None) -> Span | None:
    """The span without leading or trailing whitespace tokens, or None if nothing is left."""
    if span is None:
        return None
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return Span(doc, start, end, label=span.label) if start < end else None


def smartdata_texts(path: Path) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """The document texts of a SmartData v1 JSON file, in file order, each with the
    character offsets of its person, organisation and location mentions."""
    for obj in _json_objects(path):
        names = [
            (m["span"]["start"], m["span"]["end"])
            for m in obj.get("conceptMentions", {}).get("array", [])
            if m.get("type") in _SMARTDATA_LABELS
        ]
        yield obj["text"]["string"], sorted(names)


def read_smartdata(nlp: Language, path: Path) -> Iterator[Doc]:
    """SmartData v1 JSON: text with character-offset concept mentions."""
    for obj in _json_objects(path):
        text = obj["text"]["string"]
        doc = nlp.make_doc(text)
        spans: list[Span] = []
        taken: set[int] = set()
        mentions = sorted(
            obj["conceptMentions"]["array"], key=lambda m: (m["span"]["start"], -m["span"]["end"])
        )
        for mention in mentions:
            label = _SMARTDATA_LABELS.get(mention["type"])
            if label is None:
                continue
            span = doc.char_span(
                mention["span"]["start"],
                mention["span"]["end"],
                label=label,
                alignment_mode="expand",
            )
            span = _trim(span)
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            spans.append(span)
        doc.ents = sorted(spans, key=lambda s: s.start)
        yield doc
