"""German tokenizer that splits hyphenated compounds so their parts can be entities.

spaCy's German rules keep ``Level-5-HPD``, ``BMW-Piloten`` or ``ALMS-Titel`` as one
token, so the team, car or series inside cannot be tagged. This tokenizer adds one
infix rule, a hyphen between two letters or digits, on top of spaCy's German
defaults: ``Level-5-HPD`` becomes ``Level - 5 - HPD`` and the entities ``Level-5``
(TEAM) and ``HPD`` (CAR) align with tokens. URLs, e-mail addresses, suspended
hyphens (``Sprint- und Hauptrennen``), abbreviations, times and the few common words
in :data:`KEEP_WHOLE` are left as they were. A sentence period after a class code
(``LMP2.``) is split off, as spaCy already does after ``DTM.``, and so is the period
after ``Formel 1.`` or a number that ends the text (:class:`RaceTokenizer`).

The rules are stored with the pipeline (``tokenizer`` folder), and the factory is
registered as ``race.GermanTokenizer.v1`` through the ``spacy_tokenizers`` entry
point, so ``spacy.load`` and ``spacy train`` need no ``--code``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import spacy
from spacy.attrs import ORTH
from spacy.lang.char_classes import ALPHA, ALPHA_UPPER
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

_CLOSERS = "\"'“”‘’»«)\\]"

HYPHEN_INFIXES: tuple[str, ...] = (
    # a hyphen joining two alphanumeric parts of a compound: BMW-Piloten
    rf"(?<=[{ALPHA}0-9])-(?=[{ALPHA}0-9])",
    # a closing quote or bracket before a compound hyphen: „Rast“-Team
    rf"(?<=[{ALPHA}0-9])[{_CLOSERS}](?=-[{ALPHA}0-9])",
    rf"(?<=[{_CLOSERS}])-(?=[{ALPHA}0-9])",
)
"""Infix rules added to spaCy's German defaults."""

CODE_PERIOD_SUFFIXES: tuple[str, ...] = (
    rf"(?<=[{ALPHA}][0-9])\.",
    rf"(?<=[{ALPHA}][0-9][0-9])\.",
    rf"(?<=[{ALPHA}][0-9][0-9][0-9])\.",
    rf"(?<=[{ALPHA}]-[0-9])\.",
    rf"(?<=[{ALPHA}]-[0-9][0-9])\.",
    rf"(?<=[0-9][{ALPHA_UPPER}])\.",
)
"""A sentence period after a letter-digit code (LMP2., GT3., ARX-05., 499P.); plain ordinals
such as ``24.`` keep their period."""

KEEP_WHOLE: tuple[str, ...] = (
    "E-Mail",
    "E-Mails",
    "U-Bahn",
    "S-Bahn",
    "T-Shirt",
    "T-Shirts",
    "x-mal",
)
"""Hyphenated words whose parts are never entities; kept as single tokens."""


NUMBERED_NAME_HEADS: frozenset[str] = frozenset({"Formel", "Formula", "Extreme"})
"""Words that form a name with a following number or letter (``Formel 1``, ``Extreme E``)."""

_ORDINAL_LIKE = re.compile(r"^(?:[0-9]{1,3}|[A-Z])\.$")
_MODEL_CODE = re.compile(r"^(?=.*[0-9])[A-Za-z0-9]+$")


class RaceTokenizer(Tokenizer):
    """spaCy's rule-based tokenizer plus one repair German rules cannot express.

    A number with a period (``1.``) is one token in German, an ordinal. It is split
    into number and period where it cannot be an ordinal: after a word of
    :data:`NUMBERED_NAME_HEADS` (``der Formel 1.``), a letter after a model code
    (``Porsche 911 GT3 R.``), and at the end of the text or a line. Rules, special
    cases and serialization are the base class's.
    """

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text``."""
        doc = super().__call__(text)
        orths = doc.to_array(ORTH).tolist()
        strings = doc.vocab.strings
        ordinal_like = {o for o in set(orths) if _ORDINAL_LIKE.match(strings[o])}
        if not ordinal_like:
            return doc
        to_split = [doc[i] for i, o in enumerate(orths) if o in ordinal_like and _ends_name(doc[i])]
        if to_split:
            with doc.retokenize() as retokenizer:
                for token in to_split:
                    retokenizer.split(token, [token.text[:-1], "."], heads=[(token, 1), (token, 1)])
        return doc


def _ends_name(token: Token) -> bool:
    doc = token.doc
    if token.i > 0:
        previous = doc[token.i - 1].text
        if previous in NUMBERED_NAME_HEADS:
            return True
        if token.text[0].isalpha() and _MODEL_CODE.match(previous):
            return True
    following = doc[token.i + 1 :]
    if all(t.is_space or t.is_punct for t in following):
        return True  # end of the text
    return following[0].is_space and "\n" in following[0].text  # end of a line


@registry.tokenizers("race.GermanTokenizer.v1")
def create_german_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered factory: spaCy's rules for the language plus compound splitting."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        infixes = [*(defaults.infixes or ()), *HYPHEN_INFIXES]
        suffixes = [*(defaults.suffixes or ()), *CODE_PERIOD_SUFFIXES]
        tokenizer = RaceTokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search
            if defaults.prefixes
            else None,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )
        for word in KEEP_WHOLE:
            tokenizer.add_special_case(word, [{"ORTH": word}])
        return tokenizer

    return make_tokenizer


def blank(lang: str = "de") -> Language:
    """A blank pipeline for ``lang`` that uses the compound-splitting tokenizer."""
    return spacy.blank(
        lang, config={"nlp": {"tokenizer": {"@tokenizers": "race.GermanTokenizer.v1"}}}
    )


@cache
def tokenizer_for(lang: str) -> Tokenizer | None:
    """The project tokenizer of a corpus language (``schema.LANGUAGES``), built once;
    ``None`` for any other code (such documents fail validation on their ``lang``)."""
    from racereport import schema

    return blank(lang).tokenizer if lang in schema.LANGUAGES else None
