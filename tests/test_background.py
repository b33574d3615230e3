"""Background text: real documents about other things, trained as having no entity."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import spacy

from racereport import schema
from racereport.background import (
    BackgroundText,
    BackgroundTextError,
    background_example,
    background_texts,
    create_corpus_with_background,
    sample_background,
)
from racereport.corpus.docbin import to_docbin
from racereport.tokenizer import blank

TEXTS = [
    "Die Bahn meldet Verspätungen zwischen Mannheim und Heidelberg.",
    "Siemens baut in Berlin ein neues Werk für Gasturbinen.",
    "Nach dem Rennen in Monza sprach Leclerc über die Reifen.",  # motorsport: left out
    "Der Bürgermeister eröffnet die neue Brücke über den Rhein.",
]


@pytest.fixture
def smartdata(tmp_path: Path) -> Path:
    path = tmp_path / "train.json.gz"
    objects = [{"id": str(i), "text": {"string": t}} for i, t in enumerate(TEXTS)]
    # SmartData's own annotation: organisations, places, and a type that is no name
    objects[1]["conceptMentions"] = {
        "array": [
            {"type": "organization-company", "span": {"start": 0, "end": 7}},
            {"type": "location-city", "span": {"start": 16, "end": 22}},
            {"type": "date", "span": {"start": 23, "end": 26}},
        ]
    }
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(o, indent=1) for o in objects))  # pretty, concatenated
    return path


def test_motorsport_documents_are_left_out(smartdata: Path):
    texts = background_texts(smartdata)
    assert [t.text for t in texts] == [TEXTS[0], TEXTS[1], TEXTS[3]]
    assert texts[1].names == ((0, 7), (16, 22))  # Siemens, Berlin; not the date


def test_missing_background_says_what_to_do(tmp_path: Path):
    with pytest.raises(BackgroundTextError, match="or null to train without"):
        background_texts(tmp_path / "missing.json.gz")


def test_sample_stops_at_the_words_asked_for_and_is_reproducible():
    texts = [BackgroundText(f"wort {i} " * 5) for i in range(20)]  # 10 words each
    sample = sample_background(texts, 25, seed=3)
    assert len(sample) == 3 and len(set(sample)) == 3
    assert sample == sample_background(texts, 25, seed=3)
    assert sample_background(texts, 0, seed=3) == []


def test_background_example_has_every_token_outside():
    nlp = spacy.blank("de")
    example = background_example(nlp, BackgroundText(TEXTS[1], ((0, 7), (16, 22))))
    ref = example.reference
    assert ref.text == TEXTS[1] and example.predicted.text == TEXTS[1]
    assert [t.ent_iob_ for t in ref] == ["O"] * len(ref)  # annotated as no entity, not missing
    assert list(ref.spans[schema.INCIDENT_SPANS_KEY]) == []
    assert ref._.racereport_relations == [] and ref._.racereport_entity_ids == []


def test_names_can_be_left_unannotated():
    nlp = spacy.blank("de")
    text = BackgroundText(TEXTS[1], ((0, 7), (16, 22)))
    ref = background_example(nlp, text, names="missing").reference
    iob = {t.text: t.ent_iob_ for t in ref}
    assert iob["Siemens"] == "" and iob["Berlin"] == ""  # missing: no loss either way
    assert iob["baut"] == "O" and iob["Werk"] == "O"
    # rare: capitalised words rarer than ordinary words are left out too, common ones taught
    rare = background_example(
        nlp, BackgroundText("Die Firma Quarzwerke baut eine Halle.", ()), names="rare"
    ).reference
    assert [t.ent_iob_ for t in rare] == ["O", "O", "", "O", "O", "O", "O"]
    # capitalised: every capitalised word left out, only lower-case words taught
    capitalised = background_example(
        nlp, BackgroundText("Die Firma Quarzwerke baut eine Halle.", ()), names="capitalised"
    ).reference
    assert [t.ent_iob_ for t in capitalised] == ["", "", "", "O", "O", "", "O"]
    with pytest.raises(ValueError, match="names must be one of outside, missing, rare"):
        background_example(nlp, text, names="skip")


def test_reader_adds_background_after_the_corpus(tmp_path: Path, smartdata: Path, sample_docs):
    nlp = blank("de")  # the project tokenizer, which the corpus is annotated along
    to_docbin(nlp, sample_docs).to_disk(tmp_path / "train.spacy")
    corpus_words = sum(len(e.reference) for e in _read(tmp_path, nlp, None, 0.0))
    examples = _read(tmp_path, nlp, smartdata, 100.0)  # more than there is: all of it
    assert [e.reference.text for e in examples[: len(sample_docs)]] == [d.text for d in sample_docs]
    background = [e.reference.text for e in examples[len(sample_docs) :]]
    assert sorted(background) == sorted([TEXTS[0], TEXTS[1], TEXTS[3]])
    assert corpus_words == sum(len(e.reference) for e in examples[: len(sample_docs)])
    with pytest.raises(ValueError, match="share must be at least 0"):
        create_corpus_with_background(tmp_path / "train.spacy", smartdata, share=-1)


def _read(folder: Path, nlp, background: Path | None, share: float) -> list:
    reader = create_corpus_with_background(folder / "train.spacy", background, share, seed=1)
    return list(reader(nlp))
