"""Background text for training: real German text about other things, with no entity.

The motorsport corpus is written so that almost every sentence is about racing; a model
fine-tuned on it reads any capitalised word as a name and any unfamiliar verb as an
incident. On real German news about other things (Universal NER's German PUD, GermEval
2014 sentences without motorsport words) the bundled pipeline of 2026-12-05 predicted
54 to 59 motorsport entities per 1,000 words, every person a DRIVER and every place a
TRACK; real race reports mix such sentences (people who do not drive, places that are
not venues, business and politics of the sport) with the racing ones.

``race.CorpusWithBackground.v1`` (``[corpora.train]``) reads the motorsport training
corpus as ``spacy.Corpus.v1`` does and adds real documents of the DFKI SmartData corpus
(German news, RSS and tweets about traffic and industry; CC BY 4.0; read from where it
lies, never copied into the project) as examples in which every token is outside every
entity: no DRIVER, TEAM, CAR, INCIDENT, ..., no relation. Documents matching
``exclude`` (by default :data:`racereport.generalisation.MOTORSPORT_WORDS`, matched
anywhere in the text) are left out, so nothing about racing is taught as "no entity".
``share`` sets how many background words come with each motorsport word; the sample is
drawn once with ``seed``. With ``names = "missing"`` the persons, organisations and
places that SmartData annotates are left unannotated rather than taught as "no entity":
the background then teaches that ordinary words are not incidents or names, and says
nothing about whether a person who appears outside racing could be a driver; with
``names = "rare"`` capitalised words rarer than ordinary words (which could be names the
source did not annotate: products, events, clubs) are left unannotated as well.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.training import Corpus, Example
from spacy.util import filter_spans, registry

from racereport import extensions, schema
from racereport.base.readers import smartdata_texts
from racereport.generalisation import MOTORSPORT_WORDS, is_common_word

extensions.register_extensions()

DEFAULT_EXCLUDE = MOTORSPORT_WORDS.pattern
NAME_MODES = ("outside", "missing", "rare", "capitalised")


class BackgroundTextError(ValueError):
    """The background text cannot be read; the message says where and what to do."""


@dataclass(frozen=True)
class BackgroundText:
    """A background document: its text and the character offsets of the names in it
    (persons, organisations, places, as the source annotates them)."""

    text: str
    names: tuple[tuple[int, int], ...] = ()


def background_texts(path: Path, exclude: str = DEFAULT_EXCLUDE) -> list[BackgroundText]:
    """The SmartData v1 documents of ``path`` whose text does not match ``exclude``."""
    if not path.is_file():
        raise BackgroundTextError(
            f"background text {path} not found: give [paths] background the SmartData v1 "
            "file (e.g. ../shared/data/german_ner/smartdata/v1_20180119/train.json.gz), "
            "or null to train without background text"
        )
    pattern = re.compile(exclude)
    return [
        BackgroundText(text, tuple(names))
        for text, names in smartdata_texts(path)
        if text.strip() and not pattern.search(text)
    ]


def sample_background(texts: list[BackgroundText], words: int, seed: int) -> list[BackgroundText]:
    """Texts drawn without replacement (order fixed by ``seed``) until ``words`` words."""
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    chosen: list[BackgroundText] = []
    total = 0
    for i in order:
        if total >= words:
            break
        chosen.append(texts[i])
        total += len(texts[i].text.split())
    return chosen


def _is_rare_capitalised(word: str, lang: str) -> bool:
    return word[:1].isupper() and not is_common_word(word, lang)


def background_example(nlp: Language, text: BackgroundText, names: str = "outside") -> Example:
    """``text`` as a training example with every token outside every entity. With
    ``names="missing"`` the tokens of its names are left unannotated instead (the
    model learns nothing about them from this example); with ``names="rare"`` so are
    capitalised words rarer than ordinary words
    (:data:`racereport.generalisation.COMMON_WORD_ZIPF`), which could be names; with
    ``names="capitalised"`` every capitalised word (the example then teaches only that
    lower-case words, verbs among them, are neither incidents nor names)."""
    if names not in NAME_MODES:
        raise ValueError(f"names must be one of {', '.join(NAME_MODES)}, got {names!r}")
    reference = nlp.make_doc(text.text)
    missing = []
    if names != "outside":
        for start, end in text.names:
            span = reference.char_span(start, end, alignment_mode="expand")
            if span is not None:
                missing.append(span)
    if names == "rare":
        lang = str(nlp.lang)
        rare = [t.i for t in reference if _is_rare_capitalised(t.text, lang)]
        missing.extend(reference[i : i + 1] for i in rare)
    elif names == "capitalised":
        missing.extend(reference[t.i : t.i + 1] for t in reference if t.text[:1].isupper())
    reference.set_ents([], missing=filter_spans(missing), default="outside")
    reference.spans[schema.INCIDENT_SPANS_KEY] = []
    reference._.racereport_entity_ids = []
    reference._.racereport_relations = []
    return Example(nlp.make_doc(text.text), reference)


def corpus_with_background(
    nlp: Language,
    corpus: Corpus,
    background: Path | None,
    share: float,
    seed: int,
    names: str = "outside",
) -> Iterator[Example]:
    """The examples of ``corpus``, then background examples of about ``share`` times
    their words (none when ``background`` is None)."""
    words = 0
    for example in corpus(nlp):
        words += len(example.reference)
        yield example
    if background is None or share <= 0:
        return
    for text in sample_background(background_texts(background), int(words * share), seed):
        yield background_example(nlp, text, names)


@registry.readers("race.CorpusWithBackground.v1")
def create_corpus_with_background(
    path: Path,
    background: Path | None = None,
    share: float = 0.25,
    seed: int = 0,
    max_length: int = 0,
    gold_preproc: bool = False,
    limit: int = 0,
    names: str = "outside",
) -> Callable[[Language], Iterator[Example]]:
    """A ``[corpora.train]`` reader: the DocBin ``path`` as ``spacy.Corpus.v1`` reads it,
    plus SmartData v1 documents from ``background`` as examples without entities
    (``names``: ``outside``, ``missing`` to leave the source's names unannotated, or
    ``rare`` to leave rare capitalised words unannotated too, or ``capitalised`` for every
    capitalised word)."""
    if share < 0:
        raise ValueError(f"share must be at least 0, got {share}")
    if names not in NAME_MODES:
        raise ValueError(f"names must be one of {', '.join(NAME_MODES)}, got {names!r}")
    corpus = Corpus(path, max_length=max_length, gold_preproc=gold_preproc, limit=limit)
    bg = Path(background) if background is not None else None

    def read(nlp: Language) -> Iterator[Example]:
        return corpus_with_background(nlp, corpus, bg, share, seed, names)

    return read
