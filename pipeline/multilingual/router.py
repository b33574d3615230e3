"""Route each document to the pipeline for its language.

A :class:`Router` holds one pipeline per supported language (loaded on first use, so a
German-only corpus never loads the others) and turns a batch of documents into rows:
it identifies each document's language (or takes the one given), runs each language's
documents through that language's pipeline, and makes a document in a language it has
no pipeline for an error row (``unsupported language: ...``). It pickles without its
loaded pipelines, so Ray actors and spawned worker processes load their own; forked
local workers share what :meth:`Router.preload` loaded before the fork.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from racereport.bundled import LANGUAGES, models_dir
from racereport.multilingual.langid import LanguageGuess, identify_together

MODELS_DIR = models_dir()
AUTO = "auto"
"""The ``lang`` option value that means: identify each document's language."""


def bundled_models() -> dict[str, str]:
    """The pipelines committed with the repository, by language
    (``models/racereport-LANG``); ``$RACEREPORT_MODEL_LANG`` overrides one."""
    models = {}
    for lang in LANGUAGES:
        env = os.environ.get(f"RACEREPORT_MODEL_{lang.upper()}")
        path = MODELS_DIR / f"racereport-{lang}"
        if env or path.exists():
            models[lang] = env or str(path)
    return models


@dataclass
class Router:
    """Pipelines by language, and how to pick one for a document."""

    models: Mapping[str, str | Path] = field(default_factory=bundled_models)
    """Language -> pipeline path or package name."""
    lang: str | None = None
    """Every document is in this language (no identification)."""
    _loaded: dict[str, Language] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.lang is not None and self.lang not in self.models:
            raise ValueError(
                f"no pipeline for language '{self.lang}' (have: {', '.join(self.models)})"
            )

    @classmethod
    def for_option(cls, lang: str = AUTO) -> Router:
        """The bundled pipelines, for a ``--lang`` value: :data:`AUTO` identifies each
        document's language, a language code sends every document to its pipeline."""
        return cls(lang=None if lang == AUTO else lang)

    def __getstate__(self) -> dict[str, Any]:
        return {"models": dict(self.models), "lang": self.lang, "_loaded": {}}

    @property
    def languages(self) -> list[str]:
        """The languages with a pipeline."""
        return sorted(self.models)

    def pipeline(self, lang: str) -> Language:
        """The pipeline for ``lang`` (loaded once)."""
        if lang not in self._loaded:
            import spacy

            from racereport.factory_names import check_not_legacy
            from racereport.pipe_errors import set_error_handlers

            check_not_legacy(self.models[lang])
            nlp = spacy.load(self.models[lang])
            set_error_handlers(nlp)
            self._loaded[lang] = nlp
        return self._loaded[lang]

    def preload(self, texts: Sequence[str | None]) -> list[str]:
        """Load the pipelines ``texts`` need (and the language identifier) now, and
        return their languages: a caller about to fork worker processes shares them with
        the workers instead of each worker loading its own."""
        groups, _ = self.route(texts)
        for lang in groups:
            self.pipeline(lang)
        return sorted(groups)

    def _checked(self, guess: LanguageGuess) -> tuple[str, str | None]:
        """``(language, error)``: the guessed language, and why it cannot be processed
        (None when it can)."""
        if guess.lang not in self.models:
            return guess.lang, (
                f"unsupported language: '{guess.lang}' (probability {guess.probability:.2f}; "
                f"pipelines for {', '.join(self.languages)}; pass the language if it is wrong)"
            )
        return guess.lang, None

    def route(
        self, texts: Sequence[str | None]
    ) -> tuple[dict[str, list[int]], dict[int, tuple[str, str]]]:
        """Indices of ``texts`` by the language to process them in, and ``(language,
        error)`` by index for those that cannot be; ``None`` entries are in neither (the
        caller knows why they are missing). The texts are identified together
        (:func:`~racereport.multilingual.langid.identify_together`): one that is only
        names goes with the language of the others."""
        present = [(i, text) for i, text in enumerate(texts) if text is not None]
        if self.lang is not None:
            return ({self.lang: [i for i, _ in present]} if present else {}), {}
        guesses = identify_together([text for _, text in present], self.languages)
        groups: dict[str, list[int]] = {}
        errors: dict[int, tuple[str, str]] = {}
        for (i, _), guess in zip(present, guesses, strict=True):
            lang, error = self._checked(guess)
            if error is not None:
                errors[i] = (lang, error)
            else:
                groups.setdefault(lang, []).append(i)
        return groups, errors
