"""Word-frequency features: what the language at large says about a token.

A pipeline fine-tuned on a small corpus has seen few capitalised German words that are
not names ("Immerhin", "Regen", "Druck"). The frequency of a word in large real
corpora says how ordinary it is. ``race.WordFrequencyEmbed.v1`` embeds, per token,
the frequency class of its lower-case form (``wordfreq`` Zipf frequency in steps,
class 0 for words below ``min_zipf``) combined with its casing (lower, title, upper,
other). The word list is read from ``wordfreq`` when the pipeline is initialized and
stored with the model, so a trained pipeline needs no ``wordfreq`` at run time.
``race.FrequencyHashEmbed.v1`` puts it next to spaCy's ``MultiHashEmbed``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, cast

import numpy
from spacy.attrs import IS_LOWER, IS_TITLE, IS_UPPER, LOWER
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Embed, Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints2d

CASES = 4  # lower, title, upper, other


def frequency_classes(lang: str, min_zipf: float, step: float) -> dict[str, int]:
    """``{word: class}`` for the words of ``wordfreq``'s ``lang`` list with a Zipf
    frequency of at least ``min_zipf``; class 1 starts at ``min_zipf``, one class per
    ``step``."""
    from wordfreq import get_frequency_dict

    table = {}
    for word, frequency in get_frequency_dict(lang, wordlist="large").items():
        zipf = math.log10(frequency) + 9
        if zipf >= min_zipf:
            table[word] = int((zipf - min_zipf) // step) + 1
    return table


def n_classes(min_zipf: float, step: float, max_zipf: float = 8.0) -> int:
    """Number of frequency classes, class 0 (rare or unknown) included."""
    return int((max_zipf - min_zipf) // step) + 2


_MEMO_LIMIT = 500_000
"""Lower-case forms remembered per model before the memo starts over."""
_MEMOS: dict[int, tuple[dict[str, int], dict[int, int]]] = {}
"""Per model (by ``model.id``): its table and the frequency class * ``CASES`` of each
lower-case form met so far, by the form's hash (kept out of ``model.attrs``, which is
serialized with the model)."""


def _ids_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    table: dict[str, int] = model.attrs["table"]
    memo = _MEMOS.get(model.id)
    if memo is None or memo[0] is not table or len(memo[1]) > _MEMO_LIMIT:
        memo = _MEMOS[model.id] = (table, {})
    classes = memo[1]
    top = model.attrs["classes"] - 1
    out = []
    for doc in docs:
        rows = doc.to_array([LOWER, IS_LOWER, IS_TITLE, IS_UPPER]).reshape((-1, 4))
        strings = doc.vocab.strings
        lowers = rows[:, 0].tolist()
        for key in set(lowers).difference(classes):
            classes[key] = min(table.get(strings[key], 0), top) * CASES
        # casing: lower 0, title 1, upper 2, other 3, the first that holds (spaCy's
        # flags are str.islower, str.istitle and str.isupper of the token's text)
        case = numpy.select([rows[:, 1] == 1, rows[:, 2] == 1, rows[:, 3] == 1], [0, 1, 2], 3)
        ids = numpy.fromiter((classes[k] for k in lowers), "i", len(lowers)) + case
        out.append(model.ops.asarray2i(cast(Ints2d, ids.astype("i").reshape((-1, 1)))))
    return out, lambda d_out: []


def _ids_init(model: Model, X: Any = None, Y: Any = None) -> None:
    if not model.attrs["table"]:
        model.attrs["table"] = frequency_classes(
            model.attrs["lang"], model.attrs["min_zipf"], model.attrs["step"]
        )


def frequency_ids(lang: str, min_zipf: float, step: float) -> Model[list[Doc], list[Ints2d]]:
    """Per doc, one row per token: ``frequency class * 4 + casing``."""
    return Model(
        "frequency_ids",
        _ids_forward,
        init=_ids_init,
        attrs={
            "lang": lang,
            "min_zipf": min_zipf,
            "step": step,
            "classes": n_classes(min_zipf, step),
            "table": {},
        },
    )


@registry.architectures("race.WordFrequencyEmbed.v1")
def build_word_frequency_embed(
    width: int, lang: str, min_zipf: float, step: float
) -> Model[list[Doc], list[Floats2d]]:
    """A ``width``-wide embedding of each token's frequency class and casing."""
    rows = n_classes(min_zipf, step) * CASES
    return chain(
        frequency_ids(lang, min_zipf, step), with_array(Embed(nO=width, nV=rows, column=0))
    )


@registry.architectures("race.FrequencyHashEmbed.v1")
def build_frequency_hash_embed(
    width: int,
    attrs: list[str],
    rows: list[int],
    include_static_vectors: bool,
    frequency_width: int,
    lang: str,
    min_zipf: float,
    step: float,
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed`` and :func:`build_word_frequency_embed`, concatenated
    and mixed back to ``width`` by a maxout layer."""
    frequency = build_word_frequency_embed(frequency_width, lang, min_zipf, step)
    return hash_embed_with(
        width, attrs, rows, include_static_vectors, [(frequency, frequency_width)]
    )


def hash_embed_with(
    width: int,
    attrs: list[str],
    rows: list[int],
    include_static_vectors: bool,
    extras: list[tuple[Model[list[Doc], list[Floats2d]], int]],
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed`` concatenated with ``extras`` (embeddings and their
    widths) and mixed back to ``width`` by a maxout layer."""
    return chain(
        concatenate(
            MultiHashEmbed(width, attrs, rows, include_static_vectors), *(m for m, _ in extras)
        ),
        with_array(Maxout(width, width + sum(w for _, w in extras), nP=3, normalize=True)),
    )
