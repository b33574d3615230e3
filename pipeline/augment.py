"""Training-data augmentation: entity names swapped for others, seen or invented.

A model that has seen "Verstappen" fifty times in the same kind of sentence learns the
name, not the sentence; on real reports most names are new. ``race.name_swap.v1``
(``[corpora.train] augmenter``) replaces, in a share ``level`` of the training examples,
every mention of the chosen labels with another surface of the same label, drawn from
the names the augmenter has seen in earlier training examples (so it needs no list of its
own and draws only from the training split). Within one document the same surface
always gets the same replacement, and a driver's surname mention follows its full name
("Scott Tucker" -> "Nico Berger", "Tucker" -> "Berger"). Entity ids, incident types
and relations move with the entities; an example whose new text would not tokenize
along the entity boundaries is kept unchanged.

``race.invented_names.v1`` gives names the corpus does not have: each rare word of a
name (one that occurs in fewer than :data:`COMMON_NAME_WORD` different names of its
label: "Tucker", "Conquest", not "Racing", "Porsche", "Team") is replaced by a word
drawn from a character-trigram model of the name words seen so far and never seen
itself ("Tucker" -> "Harnel"), the same word always by the same within a document (so
"Scott Tucker" and "Tucker" stay one person); words with digits and the common words
stay. The model has to find such names from their context and shape, as on real
reports, where most names are new.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from racereport.corpus.docbin import doc_to_document, document_to_doc
from racereport.corpus.jsonl import CorpusError
from racereport.records import Document, Entity

DEFAULT_LABELS = ("DRIVER", "TEAM", "CAR", "TRACK")
COMMON_NAME_WORD = 5
"""A word in at least this many different names of one label is kept, not invented."""
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
_MAX_TRIES = 20


class NameInventory:
    """Surfaces seen per label, in the order first seen (sampling is reproducible)."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, None]] = {}

    def add(self, label: str, surface: str) -> None:
        """Remember ``surface`` as a name of ``label``."""
        self._seen.setdefault(label, {})[surface] = None

    def names(self, label: str) -> list[str]:
        """The surfaces of ``label`` seen so far."""
        return list(self._seen.get(label, {}))


def swap_names(
    document: Document, inventory: NameInventory, labels: Sequence[str], rng: random.Random
) -> Document | None:
    """``document`` with the entities of ``labels`` renamed from ``inventory`` (None when
    nothing could be swapped). Offsets, ids, types and relations are kept consistent."""
    targets = [e for e in document.entities if e.label in labels]
    mapping: dict[tuple[str, str], str] = {}
    # full names first, so a surname mention can follow its full name
    for ent in sorted(targets, key=lambda e: -len(e.text.split())):
        key = (ent.label, ent.text)
        if key in mapping:
            continue
        candidates = [n for n in inventory.names(ent.label) if n != ent.text]
        if not candidates:
            continue
        mapping[key] = rng.choice(candidates)
        if ent.label == "DRIVER" and len(ent.text.split()) > 1:
            surname = ent.text.split()[-1]
            new_surname = mapping[key].split()[-1]
            mapping.setdefault((ent.label, surname), new_surname)
    return _renamed(document, mapping) if mapping else None


def _renamed(document: Document, mapping: dict[tuple[str, str], str]) -> Document:
    """``document`` with each entity's text replaced by ``mapping[(label, text)]``."""
    pieces: list[str] = []
    entities: list[Entity] = []
    cursor = shift = 0
    for ent in sorted(document.entities, key=lambda e: e.start):
        new_text = mapping.get((ent.label, ent.text), ent.text)
        pieces.append(document.text[cursor : ent.start])
        pieces.append(new_text)
        start = ent.start + shift
        entities.append(replace(ent, start=start, end=start + len(new_text), text=new_text))
        shift += len(new_text) - (ent.end - ent.start)
        cursor = ent.end
    pieces.append(document.text[cursor:])
    return replace(document, text="".join(pieces), entities=tuple(entities))


def _example_or_original(nlp: Language, example: Example, renamed: Document | None) -> Example:
    """The example for ``renamed``, or ``example`` when there is none or its new names do
    not tokenize along the entity boundaries."""
    if renamed is None:
        return example
    try:
        reference = document_to_doc(nlp, renamed)
    except CorpusError:
        return example
    return Example(nlp.make_doc(renamed.text), reference)


def _augment(
    nlp: Language,
    example: Example,
    *,
    level: float,
    labels: Sequence[str],
    names: NameInventory | NameWordModel,
    rename: Callable[..., Document | None],
) -> Iterator[Example]:
    """Yield ``example`` or, with probability ``level``, its variant with the names of
    ``labels`` renamed by ``rename`` (which draws on ``names``, learnt as it goes)."""
    document = doc_to_document(example.reference)
    for ent in document.entities:
        if ent.label in labels:
            names.add(ent.label, ent.text)
    if random.random() >= level:
        yield example
        return
    renamed = rename(document, names, labels, random.Random(random.random()))
    yield _example_or_original(nlp, example, renamed)


class NameWordModel:
    """Name words seen per label, and a character-trigram model that invents new ones."""

    def __init__(self) -> None:
        self._names_of_word: dict[str, Counter[str]] = defaultdict(Counter)
        self._seen_names: set[tuple[str, str]] = set()
        self._words: set[str] = set()
        self._next: dict[str, list[str]] = defaultdict(list)

    def add(self, label: str, surface: str) -> None:
        """Learn the words of ``surface``, a name of ``label``."""
        if (label, surface) in self._seen_names:
            return
        self._seen_names.add((label, surface))
        for word in _NAME_WORD.findall(surface):
            self._names_of_word[label][word] += 1
            lower = word.lower()
            if lower not in self._words:
                self._words.add(lower)
                padded = f"^^{lower}$"
                for i in range(len(padded) - 2):
                    self._next[padded[i : i + 2]].append(padded[i + 2])

    def is_common(self, label: str, word: str) -> bool:
        """Whether ``word`` is in :data:`COMMON_NAME_WORD` or more names of ``label``."""
        return self._names_of_word[label][word] >= COMMON_NAME_WORD

    def invent(self, like: str, rng: random.Random) -> str | None:
        """A word never seen, about as long as ``like``, capitalised like it (None when
        the model has not seen enough words to make one)."""
        for _ in range(_MAX_TRIES):
            word, state = "", "^^"
            while len(word) <= 2 * len(like) + 2:
                choices = self._next.get(state)
                if not choices:
                    break
                char = rng.choice(choices)
                if char == "$":
                    break
                word += char
                state = state[1] + char
            if len(word) >= 3 and abs(len(word) - len(like)) <= 3 and word not in self._words:
                return word.upper() if like.isupper() else word.capitalize()
        return None


def invent_names(
    document: Document, model: NameWordModel, labels: Sequence[str], rng: random.Random
) -> Document | None:
    """``document`` with the rare words of its ``labels`` names replaced by invented
    ones (None when none could be). Offsets, ids, types and relations stay consistent."""
    words: dict[str, str] = {}
    mapping: dict[tuple[str, str], str] = {}
    for ent in document.entities:
        if ent.label not in labels or (ent.label, ent.text) in mapping:
            continue

        def renamed(match: re.Match[str], label: str = ent.label) -> str:
            word = match.group(0)
            if model.is_common(label, word):
                return word
            if word not in words:
                words[word] = model.invent(word, rng) or word
            return words[word]

        new_text = _NAME_WORD.sub(renamed, ent.text)
        if new_text != ent.text:
            mapping[(ent.label, ent.text)] = new_text
    return _renamed(document, mapping) if mapping else None


@registry.augmenters("race.name_swap.v1")
def create_name_swap_augmenter(
    level: float, labels: list[str] | None = None
) -> Callable[[Language, Example], Iterator[Example]]:
    """An augmenter for ``[corpora.train]``: in a share ``level`` of the examples, swap the
    names of ``labels`` (default DRIVER, TEAM, CAR, TRACK) for others of the corpus."""
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return partial(
        _augment,
        level=level,
        labels=tuple(labels or DEFAULT_LABELS),
        names=NameInventory(),
        rename=swap_names,
    )


@registry.augmenters("race.invented_names.v1")
def create_invented_names_augmenter(
    level: float, labels: list[str] | None = None
) -> Callable[[Language, Example], Iterator[Example]]:
    """An augmenter for ``[corpora.train]``: in a share ``level`` of the examples, replace
    the rare words of the names of ``labels`` (default DRIVER, TEAM, CAR, TRACK) by
    invented words no training name has."""
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return partial(
        _augment,
        level=level,
        labels=tuple(labels or DEFAULT_LABELS),
        names=NameWordModel(),
        rename=invent_names,
    )
