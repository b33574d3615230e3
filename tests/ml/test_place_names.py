"""race.PlaceNameEmbed.v1 / race.LexiconHashEmbed.v1: a place-name tag per token, the
names stored with the model."""

import numpy
import pytest
from spacy.util import registry

from racereport.ml.place_names import (
    FIRST,
    LATER,
    OUTSIDE,
    SINGLE,
    build_lexicon_hash_embed,
    build_place_name_embed,
    geonames_places,
    name_tokens,
    place_table,
    place_tags,
)
from racereport.tokenizer import blank

ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
ROWS = [500, 100, 250, 250]
NAMES = ["Kansas", "Kansas City", "New York", "New York City", "York", "Aix-en-Provence"]


def _tags_layer(model):
    return next(node for node in model.walk() if node.name == "place_name_tags")


def test_names_are_cut_like_tokens_and_longest_first():
    assert name_tokens("Aix-en-Provence") == ("Aix", "-", "en", "-", "Provence")
    assert name_tokens("  ") == ()
    table = place_table(NAMES)
    assert table["New"] == [["York", "City"], ["York"]]
    assert table["Kansas"] == [["City"], []]


def test_longest_name_wins_and_matched_words_start_no_other():
    table = place_table(NAMES)
    words = [
        "From",
        "New",
        "York",
        "City",
        "to",
        "Kansas",
        ",",
        "then",
        "York",
        "and",
        "Kansas",
        "City",
    ]
    assert place_tags(words, table) == [
        OUTSIDE, FIRST, LATER, LATER, OUTSIDE, SINGLE, OUTSIDE, OUTSIDE, SINGLE, OUTSIDE,
        FIRST, LATER,
    ]  # fmt: skip
    # "York" inside "New York" is not a name of its own; exact text only
    assert place_tags(["New", "York"], table) == [FIRST, LATER]
    assert place_tags(["kansas", "KANSAS", "New"], table) == [OUTSIDE, OUTSIDE, OUTSIDE]
    assert place_tags([], table) == []


def test_embedding_reads_a_given_table_and_survives_serialisation():
    nlp = blank("en")
    docs = [nlp("Jordan won in Kansas City and New York."), nlp("")]
    model = build_lexicon_hash_embed(16, ATTRS, ROWS, False, 8, "en", 2.5, 0.5, 4, 15000)
    tags = _tags_layer(model)
    tags.attrs["table"] = place_table(NAMES)
    model.initialize(X=docs)
    assert tags.attrs["table"] == place_table(NAMES)  # not replaced
    got = [row.ravel().tolist() for row in tags.predict(docs)]
    assert got == [[OUTSIDE, OUTSIDE, OUTSIDE, FIRST, LATER, OUTSIDE, FIRST, LATER, OUTSIDE], []]
    vectors = model.predict(docs)
    assert [v.shape for v in vectors] == [(9, 16), (0, 16)]
    copy = build_lexicon_hash_embed(16, ATTRS, ROWS, False, 8, "en", 2.5, 0.5, 4, 15000)
    copy.from_bytes(model.to_bytes())
    assert _tags_layer(copy).attrs["table"] == tags.attrs["table"]
    numpy.testing.assert_allclose(copy.predict(docs)[0], vectors[0])


def test_the_tag_changes_the_vector():
    nlp = blank("en")
    model = build_place_name_embed(4, 15000)
    _tags_layer(model).attrs["table"] = place_table(["Mosport"])
    model.initialize(X=[nlp("Mosport")])
    (place,) = model.predict([nlp("Mosport")])
    (other,) = model.predict([nlp("Mossport")])
    assert not numpy.allclose(place, other)


@pytest.fixture(scope="module")
def geonames():
    return geonames_places(15000)


def test_initialization_reads_geonames(geonames):
    assert {"Germany", "Kansas", "Kansas City", "Europe", "Le Mans", "Monza"} <= set(geonames)
    nlp = blank("en")
    doc = nlp("Sainz won at Monza, in Kansas City and in Germany.")
    model = build_place_name_embed(4, 15000)
    model.initialize(X=[doc])
    (tags,) = _tags_layer(model).predict([doc])
    tagged = [t.text for t, tag in zip(doc, tags.ravel().tolist(), strict=True) if tag]
    assert tagged == ["Monza", "Kansas", "City", "Germany"]


def test_registered_for_configs():
    assert registry.architectures.get("race.PlaceNameEmbed.v1") is build_place_name_embed
    assert registry.architectures.get("race.LexiconHashEmbed.v1") is build_lexicon_hash_embed
