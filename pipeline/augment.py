"""Training-data augmentation: swap entity names for names seen elsewhere in the corpus.

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
"""

from __future__ import annotations

import random
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
    if not mapping:
        return None
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


def name_swap_augmenter(
    nlp: Language,
    example: Example,
    *,
    level: float,
    labels: Sequence[str],
    inventory: NameInventory,
) -> Iterator[Example]:
    """Yield ``example`` or, with probability ``level``, its name-swapped variant."""
    document = doc_to_document(example.reference)
    for ent in document.entities:
        if ent.label in labels:
            inventory.add(ent.label, ent.text)
    if random.random() >= level:
        yield example
        return
    swapped = swap_names(document, inventory, labels, random.Random(random.random()))
    if swapped is None:
        yield example
        return
    try:
        reference = document_to_doc(nlp, swapped)
    except CorpusError:  # a new surface does not tokenize along its entity boundaries
        yield example
        return
    yield Example(nlp.make_doc(swapped.text), reference)


@registry.augmenters("race.name_swap.v1")
def create_name_swap_augmenter(
    level: float, labels: list[str] | None = None
) -> Callable[[Language, Example], Iterator[Example]]:
    """An augmenter for ``[corpora.train]``: in a share ``level`` of the examples, swap the
    names of ``labels`` (default DRIVER, TEAM, CAR, TRACK) for others of the corpus."""
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return partial(
        name_swap_augmenter,
        level=level,
        labels=tuple(labels or DEFAULT_LABELS),
        inventory=NameInventory(),
    )
