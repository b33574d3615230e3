"""Name augmentation (swapped or invented names): names change, everything attached to
them stays."""

from __future__ import annotations

import random

import pytest
from spacy.training import Example
from spacy.util import registry

from racereport.augment import (
    COMMON_NAME_WORD,
    NameInventory,
    NameWordModel,
    invent_names,
    swap_names,
)
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


def _word_model(names: dict[str, list[str]]) -> NameWordModel:
    model = NameWordModel()
    for label, surfaces in names.items():
        for surface in surfaces:
            model.add(label, surface)
    return model


def test_invented_names_are_new_and_keep_a_person_one_person(alms):
    model = _word_model(
        {
            "DRIVER": ["Nico Berger", "Tom Kessler", "Lena Marten", "Jan Bergmann"],
            # "Racing" is in COMMON_NAME_WORD team names: it stays
            "TEAM": [f"Team{'x' * i} Racing" for i in range(COMMON_NAME_WORD)],
        }
    )
    renamed = invent_names(alms, model, ["DRIVER", "TEAM"], random.Random(0))
    before, after = by_id(alms), by_id(renamed)
    seen_words = {"scott", "tucker", "nico", "berger", "tom", "kessler", "lena", "marten"}
    full, surname = after["d1"][2], after["d2"][2]
    assert full != before["d1"][2] and full.split()[-1] == surname  # one person
    assert not {w.lower() for w in full.split()} & seen_words
    assert full.split()[0][0].isupper() and full.split()[0][1:].islower()
    for ent_id, (label, type_, text) in before.items():
        if label not in ("DRIVER", "TEAM"):
            assert after[ent_id] == (label, type_, text)
    assert renamed.relations == alms.relations


def test_common_name_words_are_kept():
    model = _word_model({"TEAM": [f"Team{'x' * i} Racing" for i in range(COMMON_NAME_WORD)]})
    assert model.is_common("TEAM", "Racing") and not model.is_common("TEAM", "Teamx")
    assert not model.is_common("DRIVER", "Racing")
    assert _word_model({}).invent("Tucker", random.Random(0)) is None  # nothing learnt yet


def test_invented_names_augmenter_keeps_ids_types_and_relations():
    nlp = blank("de")
    first, second = (document_to_doc(nlp, d) for d in parse_markup(SAMPLE_MARKUP))
    augment = registry.augmenters.get("race.invented_names.v1")(level=1.0)
    random.seed(1)
    list(augment(nlp, Example(nlp.make_doc(second.text), second)))
    (renamed,) = augment(nlp, Example(nlp.make_doc(first.text), first))
    reference = renamed.reference
    assert reference.text != first.text and renamed.predicted.text == reference.text
    before, after = doc_to_document(first), doc_to_document(reference)
    assert [(e.id, e.label, e.type) for e in after.entities] == [
        (e.id, e.label, e.type) for e in before.entities
    ]
    assert after.relations == before.relations
    with pytest.raises(ValueError, match="level"):
        registry.augmenters.get("race.invented_names.v1")(level=-0.1)
