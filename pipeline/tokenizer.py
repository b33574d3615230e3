"""German tokenizer that splits hyphenated compounds so their parts can be entities.

spaCy's German rules keep ``Level-5-HPD``, ``BMW-Piloten`` or ``ALMS-Titel`` as one
token, so the team, car or series inside cannot be tagged. This tokenizer adds one
infix rule, a hyphen between two letters or digits, on top of spaCy's German
defaults: ``Level-5-HPD`` becomes ``Level - 5 - HPD`` and the entities ``Level-5``
(TEAM) and ``HPD`` (CAR) align with tokens. URLs, e-mail addresses, suspended
hyphens (``Sprint- und Hauptrennen``), abbreviations, times and the few common words
in :data:`KEEP_WHOLE` are left as they were. A sentence period after a class code
(``LMP2.``) is split off, as spaCy already does after ``DTM.``.

The rules are stored with the pipeline (``tokenizer`` folder), and the factory is
registered as ``race.GermanTokenizer.v1`` through the ``spacy_tokenizers`` entry
point, so ``spacy.load`` and ``spacy train`` need no ``--code``.
"""

from __future__ import annotations

from collections.abc import Callable

import spacy
from spacy.lang.char_classes import ALPHA, ALPHA_UPPER
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

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


@registry.tokenizers("race.GermanTokenizer.v1")
def create_german_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered factory: spaCy's tokenizer for the language plus compound splitting."""
    default_factory = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make_tokenizer(nlp: Language) -> Tokenizer:
        tokenizer: Tokenizer = default_factory(nlp)
        infixes = [*(nlp.Defaults.infixes or ()), *HYPHEN_INFIXES]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        suffixes = [*(nlp.Defaults.suffixes or ()), *CODE_PERIOD_SUFFIXES]
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
        for word in KEEP_WHOLE:
            tokenizer.add_special_case(word, [{"ORTH": word}])
        return tokenizer

    return make_tokenizer


def blank(lang: str = "de") -> Language:
    """A blank pipeline for ``lang`` that uses the compound-splitting tokenizer."""
    return spacy.blank(
        lang, config={"nlp": {"tokenizer": {"@tokenizers": "race.GermanTokenizer.v1"}}}
    )
