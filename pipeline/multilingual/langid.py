"""Language identification per document with langid.py (Lui & Baldwin 2012), whose
model ships inside the package: nothing is downloaded at run time.

Restricted to the languages the project has pipelines for, with a floor for text that
is clearly in another language. Race reports are full of names, and on name-heavy
results lists and tickers the unrestricted model often prefers a language with little
training text (``lb``, ``la``, ``se``, ``ga``): 22 of 609 German corpus documents were
refused or sent to another pipeline that way. Restricted to German, English and French
it picks the best of those unless the evidence against all three is overwhelming, in
the whole text and in its words outside names (:func:`words_outside_names`): the
log-probability of the best language overall exceeds the best served one by at least
:data:`FOREIGN_GAP` and by :data:`FOREIGN_GAP_PER_FEATURE` per n-gram feature of the
text. Results lists are mostly names, whose n-grams point to the names' languages
("1. Carlos Sainz / Lucas Cruz ... Motorräder: ..."), so the n-gram choice among the
served languages gets a second opinion from words outside names: a served language with
at least :data:`MIN_WORD_VOTES` words that are common in it and clearly rarer in the
others (wordfreq's small lists) and more than the chosen language takes over
(:func:`word_votes`). A text with no word of the chosen language outside names is not
*evident* (:attr:`LanguageGuess.evident`), and texts that come together
(:func:`identify_together`: one batch, one call of ``extract``) give it the language of
the evident ones, as the outlet does for a reader. Measured on the corpora with their
long-article test sets (``tests/multilingual/test_langid.py``): alone, German 836 of
841 go to the German pipeline, English 473 of 476, French 279 of 282, every one that
goes elsewhere a list of names (not evident); together in batches of 64, all of them;
every foreign race text of the tests refused (paragraphs in es, it, nl, pt, pl, sv, cs,
da, and a Spanish sentence that is half names). The thresholds were set on these
corpora and texts. The probability reported is the n-gram model's among the served
languages, so a choice the words made can have a low one. The scoring uses only the
text's non-zero features: single-threaded, 0.46 ms per German corpus document with the
word votes, against 0.79 ms for langid.py's dense product alone. langid.py ships its
model as a base64 bz2 pickle that takes about a second to unpack; it is unpacked once
into an ``.npz`` file in the user cache (:func:`cache_path`) and read from there (0.1 s)
afterwards.
"""

from __future__ import annotations

import array
import base64
import bz2
import math
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import numpy

FOREIGN_GAP = 50.0
"""Minimum log-probability lead of another language over the best served one."""
FOREIGN_GAP_PER_FEATURE = 1.4
"""Minimum lead per n-gram feature (short texts carry little evidence either way)."""
WORD_MARGIN = 1.0
"""A word counts for a served language when its Zipf frequency there is at least 3 and
this much above its frequency in every other served language."""
WORD_FLOOR = 2.5
"""Zipf frequency assumed for a word missing from a language's list (the lists stop
at 3)."""
MIN_WORD_VOTES = 2
"""Words a served language needs before they can overrule the n-gram choice."""
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_QUOTES = "\"'„“”‚‘’«»"
_CLOSING = ".,:;!?"
_PARTICLES = frozenset({"de", "da", "di", "del", "van", "von", "le", "la", "du", "dos", "by", "&"})


@dataclass(frozen=True)
class LanguageGuess:
    """The most likely language (ISO 639-1) and its probability (among the languages
    considered)."""

    lang: str
    probability: float
    evident: bool = True
    """Whether the text itself shows the language: False for a text that is names and
    nothing else a served language claims (a results list such as "GT World Challenge,
    Barcelona: 1. Comtoyou Racing, 2. Boutsen VDS"), whose language is a guess from the
    names' n-grams; :class:`~racereport.multilingual.router.Router` gives such texts the
    language of the documents they come with."""


CACHE_ENV = "RACEREPORT_CACHE"
"""Folder for the unpacked language-identification model (default: the user cache)."""


def cache_path() -> Path:
    """Where the unpacked model is kept: ``$RACEREPORT_CACHE``, else
    ``$XDG_CACHE_HOME/racereport``, else ``~/.cache/racereport``."""
    name = f"langid-{version('langid')}-v1.npz"  # a new langid model gets a new file
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return Path(folder) / name
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "racereport" / name


def _unpack() -> dict[str, numpy.ndarray]:
    """langid.py's model as arrays (its own form is a base64 bz2 pickle: about 1 s)."""
    from langid.langid import model

    nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output = pickle.loads(
        bz2.decompress(base64.b64decode(model))
    )
    states = sorted(tk_output)
    outputs = [tuple(tk_output[state]) for state in states]
    return {
        "nb_ptc": numpy.asarray(nb_ptc, dtype="float64").reshape((-1, len(nb_pc))),
        "nb_pc": numpy.asarray(nb_pc, dtype="float64"),
        "nb_classes": numpy.asarray(nb_classes),
        "tk_nextmove": numpy.frombuffer(tk_nextmove.tobytes(), dtype=tk_nextmove.typecode),
        "out_states": numpy.asarray(states, dtype="int64"),
        "out_lengths": numpy.asarray([len(o) for o in outputs], dtype="int64"),
        "out_features": numpy.asarray([f for o in outputs for f in o], dtype="int64"),
    }


def _load_arrays(path: Path) -> dict[str, numpy.ndarray]:
    """The unpacked model from ``path``, written there first when it is missing or
    unreadable (a cache that cannot be written only costs the unpacking time)."""
    try:
        with numpy.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError):
        arrays = _unpack()
    written: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as f:
            written = Path(f.name)
            cast(Any, numpy.savez)(f, **arrays)
        os.replace(written, path)
    except OSError:
        if written is not None:
            written.unlink(missing_ok=True)  # no half-written file left in the cache
    return arrays


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier

    arrays = _load_arrays(cache_path())
    nextmove = arrays["tk_nextmove"]
    ends = numpy.cumsum(arrays["out_lengths"])
    features = arrays["out_features"].tolist()
    tk_output = {
        int(state): tuple(features[end - length : end])
        for state, length, end in zip(
            arrays["out_states"].tolist(),
            arrays["out_lengths"].tolist(),
            ends.tolist(),
            strict=True,
        )
    }
    nb_ptc = arrays["nb_ptc"]
    return LanguageIdentifier(
        nb_ptc,
        arrays["nb_pc"],
        nb_ptc.shape[0],
        [str(c) for c in arrays["nb_classes"].tolist()],
        array.array(nextmove.dtype.char, nextmove.tobytes()),
        tk_output,
        norm_probs=True,
    )


@lru_cache(maxsize=8)
def _word_list(lang: str) -> dict[str, float]:
    """wordfreq's small list for ``lang``: word -> frequency (empty if it has none)."""
    from wordfreq import get_frequency_dict

    try:
        return dict(get_frequency_dict(lang, wordlist="small"))
    except LookupError:
        return {}


def _zipf(frequencies: dict[str, float], word: str) -> float:
    frequency = frequencies.get(word, 0.0)
    return math.log10(frequency) + 9 if frequency > 0 else WORD_FLOOR


def words_outside_names(text: str) -> list[str]:
    """The words of ``text`` that are not part of a name, lower-cased: text in
    parentheses (where team names stand) and runs of two or more capitalised words
    (joined at most by particles such as "de", "van" or "by") are left out, so that
    "Guillaume de Mévius", "Petit Le Mans" or "Corvette Racing by Pratt Miller" do not
    vote for the languages the names come from."""
    kept: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if sum(1 for word in run if word[:1].isupper()) < 2:
            kept.extend(run)
        run.clear()

    for raw in _PAREN.sub(" , ", text).split():
        token = raw.strip(_QUOTES)
        word = token.rstrip(_CLOSING)
        if word[:1].isupper() or (run and word.lower() in _PARTICLES):
            run.append(word)
        else:
            close_run()
            kept.append(word)
        if word != token or not word:
            close_run()
    close_run()
    return [w for word in kept for w in _WORD.findall(word.lower())]


def word_votes(text: str, languages: Collection[str]) -> dict[str, int]:
    """Per language, how many words of ``text`` outside names
    (:func:`words_outside_names`) are common in it and clearly rarer in each of the
    others."""
    return _votes(words_outside_names(text), languages)


def _votes(words: list[str], languages: Collection[str]) -> dict[str, int]:
    lists = {lang: _word_list(lang) for lang in languages}
    votes = dict.fromkeys(languages, 0)
    for word in words:
        zipf = {lang: _zipf(lists[lang], word) for lang in languages}
        best = max(zipf, key=lambda lang: zipf[lang])
        rest = max((z for lang, z in zipf.items() if lang != best), default=WORD_FLOOR)
        if zipf[best] >= 3.0 and zipf[best] - rest >= WORD_MARGIN:
            votes[best] += 1
    return votes


def _softmax(log_probs: numpy.ndarray) -> numpy.ndarray:
    shifted = numpy.exp(log_probs - log_probs.max())
    return shifted / shifted.sum()


def identify(text: str, languages: Collection[str] | None = None) -> LanguageGuess:
    """The language of ``text``: among ``languages`` when given (the most likely of
    them, unless the text is clearly in another, then that one), else among the 97
    langid.py knows."""
    ident = _identifier()
    classes = list(ident.nb_classes)
    log_probs, n_features = _scores(ident, text)
    top = int(log_probs.argmax())
    if not languages:
        return LanguageGuess(str(classes[top]), round(float(_softmax(log_probs).max()), 4))
    served = [classes.index(lang) for lang in languages if lang in classes]
    if not served:
        raise ValueError(f"langid.py knows none of {sorted(languages)}")
    words = words_outside_names(text)
    if _clearly_foreign(log_probs, n_features, served) and _clearly_foreign(
        *_scores(ident, " ".join(words)), served
    ):
        return LanguageGuess(str(classes[top]), round(float(_softmax(log_probs).max()), 4))
    served_langs = [str(classes[i]) for i in served]
    votes = _votes(words, served_langs)
    chosen = str(classes[max(served, key=lambda i: log_probs[i])])
    lexical = max(served_langs, key=lambda lang: votes[lang])
    if votes[lexical] >= MIN_WORD_VOTES and votes[lexical] > votes[chosen]:
        chosen = lexical
    probability = float(_softmax(log_probs[served])[served_langs.index(chosen)])
    return LanguageGuess(chosen, round(probability, 4), evident=votes[chosen] > 0)


def identify_together(texts: Sequence[str], languages: Collection[str]) -> list[LanguageGuess]:
    """:func:`identify` for texts that come together (one file, one batch): a text
    whose language is not evident (a results list of names) takes the served language
    most of the evident texts are in, as a reader would take it from the outlet (its
    probability stays the one of its own n-gram guess)."""
    guesses = [identify(text, languages) for text in texts]
    counts = Counter(g.lang for g in guesses if g.evident and g.lang in languages)
    if not counts:
        return guesses
    usual = counts.most_common(1)[0][0]
    return [
        g if g.evident or g.lang == usual else LanguageGuess(usual, g.probability, False)
        for g in guesses
    ]


def _scores(ident: Any, text: str) -> tuple[numpy.ndarray, float]:
    """Log-probability per language of ``text`` and its number of n-gram features
    (only the non-zero features enter the product: single-threaded and fast)."""
    features = ident.instance2fv(text)
    present = numpy.flatnonzero(features)
    log_probs = ident.nb_pc + features[present] @ ident.nb_ptc[present]
    return log_probs, float(features[present].sum())


def _clearly_foreign(log_probs: numpy.ndarray, n_features: float, served: list[int]) -> bool:
    """Whether the evidence for the most likely language over the best served one is
    overwhelming (:data:`FOREIGN_GAP`, :data:`FOREIGN_GAP_PER_FEATURE`)."""
    gap = float(log_probs.max() - max(log_probs[i] for i in served))
    return gap >= FOREIGN_GAP and gap / max(n_features, 1.0) >= FOREIGN_GAP_PER_FEATURE
