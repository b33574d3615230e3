"""Name-swap augmentation: names change, everything attached to them stays."""

from __future__ import annotations

import random

import pytest
from spacy.training import Example
from spacy.util import registry

from racereport.augment import NameInventory, swap_names
from racereport.corpus.docbin import doc_to_document, document_to_doc
from racereport.corpus.markup import parse_markup
from racereport.tokenizer import blank
from tests.conftest import SAMPLE_MARKUP


@pytest.fixture
def alms():
    return parse_markup(SAMPLE_MARKUP)[0]


def by_id(document):
    return {e.id: (e.label, e.type, document.text[e.start : e.end]) for e in document.entities}


def test_a_driver_and_his_surname_get_one_new_name(alms):
    inventory = NameInventory()
    inventory.add("DRIVER", "Nico Berger")
    swapped = swap_names(alms, inventory, ["DRIVER"], random.Random(0))
    names = by_id(swapped)
    assert names["d1"] == ("DRIVER", None, "Nico Berger")
    assert names["d2"] == ("DRIVER", None, "Berger")
    assert swapped.text.startswith("Nico Berger und der Level-5-HPD")
    assert "Berger gewann die LMP2" in swapped.text
    # everything else is where it was, relations untouched
    for ent_id, (label, type_, text) in by_id(alms).items():
        if label != "DRIVER":
            assert names[ent_id] == (label, type_, text)
    assert swapped.relations == alms.relations


def test_nothing_to_swap_without_other_names(alms):
    inventory = NameInventory()
    inventory.add("TEAM", "Prema")  # a team name is never a driver's
    assert swap_names(alms, inventory, ["DRIVER"], random.Random(0)) is None


def test_augmenter_keeps_ids_types_and_relations():
    nlp = blank("de")
    first, second = (document_to_doc(nlp, d) for d in parse_markup(SAMPLE_MARKUP))
    augment = registry.augmenters.get("race.name_swap.v1")(level=1.0)
    random.seed(1)
    list(augment(nlp, Example(nlp.make_doc(second.text), second)))  # names of the 2nd doc
    (swapped,) = augment(nlp, Example(nlp.make_doc(first.text), first))
    reference = swapped.reference
    assert reference.text != first.text
    assert swapped.predicted.text == reference.text
    before, after = doc_to_document(first), doc_to_document(reference)
    assert [e.id for e in after.entities] == [e.id for e in before.entities]
    assert [(e.label, e.type) for e in after.entities] == [
        (e.label, e.type) for e in before.entities
    ]
    assert after.relations == before.relations
    assert {s.label_ for s in reference.spans["incident_types"]} == {"PUNCTURE", "RETIREMENT"}


def test_level_zero_yields_the_example_itself():
    nlp = blank("de")
    doc = document_to_doc(nlp, parse_markup(SAMPLE_MARKUP)[0])
    example = Example(nlp.make_doc(doc.text), doc)
    augment = registry.augmenters.get("race.name_swap.v1")(level=0.0)
    assert list(augment(nlp, example)) == [example]
    with pytest.raises(ValueError, match="level"):
        registry.augmenters.get("race.name_swap.v1")(level=1.5)
