"""Language identification per document with langid.py (Lui & Baldwin 2012), whose
model ships inside the package: nothing is downloaded at run time.

Restricted to the languages the project has pipelines for, with a floor for text that
is clearly in another language. Race reports are full of names, and on name-heavy
results lists and tickers the unrestricted model often prefers a language with little
training text (``lb``, ``la``, ``se``, ``ga``): 22 of 609 German corpus documents were
refused or sent to another pipeline that way. Restricted to German, English and French
it picks the best of those unless the evidence against all three is overwhelming: the
log-probability of the best language overall exceeds the best served one by at least
:data:`FOREIGN_GAP` and by :data:`FOREIGN_GAP_PER_FEATURE` per n-gram feature of the
text. Measured on the corpora (``tests/multilingual/test_langid.py``): German 600 of
609 to the German pipeline (1 refused, 8 to another), English 354 of 361 (1 refused),
French 275 of 282, and every foreign race text of the tests refused (paragraphs in
es, it, nl, pt, pl, sv, cs, da, and a Spanish sentence that is half names). The
thresholds were set on these corpora and texts. The scoring uses only the text's
non-zero features: single-threaded, 0.25 ms per German corpus document against
0.79 ms for langid.py's dense product. langid.py ships its model as a base64 bz2 pickle
that takes about a second to unpack; it is unpacked once into an ``.npz`` file in the
user cache (:func:`cache_path`) and read from there (0.1 s) afterwards.
"""

from __future__ import annotations

import array
import base64
import bz2
import os
import pickle
import tempfile
from collections.abc import Collection
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


@dataclass(frozen=True)
class LanguageGuess:
    """The most likely language (ISO 639-1) and its probability (among the languages
    considered)."""

    lang: str
    probability: float


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


def _softmax_max(log_probs: numpy.ndarray) -> float:
    shifted = numpy.exp(log_probs - log_probs.max())
    return float(shifted.max() / shifted.sum())


def identify(text: str, languages: Collection[str] | None = None) -> LanguageGuess:
    """The language of ``text``: among ``languages`` when given (the most likely of
    them, unless the text is clearly in another, then that one), else among the 97
    langid.py knows."""
    ident = _identifier()
    features = ident.instance2fv(text)
    present = numpy.flatnonzero(features)
    log_probs = ident.nb_pc + features[present] @ ident.nb_ptc[present]
    classes = list(ident.nb_classes)
    top = int(log_probs.argmax())
    if not languages:
        return LanguageGuess(str(classes[top]), round(_softmax_max(log_probs), 4))
    served = [classes.index(lang) for lang in languages if lang in classes]
    if not served:
        raise ValueError(f"langid.py knows none of {sorted(languages)}")
    best = max(served, key=lambda i: log_probs[i])
    gap = float(log_probs[top] - log_probs[best])
    n_features = max(float(features[present].sum()), 1.0)
    if gap >= FOREIGN_GAP and gap / n_features >= FOREIGN_GAP_PER_FEATURE:
        return LanguageGuess(str(classes[top]), round(_softmax_max(log_probs), 4))
    return LanguageGuess(str(classes[best]), round(_softmax_max(log_probs[served]), 4))
