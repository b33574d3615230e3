"""The language-identification model is unpacked once and read back from a cache file."""

from __future__ import annotations

import pytest

from racereport.multilingual import langid as rr_langid

TEXTS = [
    "Max Verstappen gewann den Großen Preis von Monaco vor Charles Leclerc.",
    "Lando Norris took pole position at Silverstone ahead of Oscar Piastri.",
    "Pierre Gasly a abandonné après un accrochage dans le premier virage.",
    "Carlos Sainz ganó en Singapur por delante de Lando Norris.",
]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv(rr_langid.CACHE_ENV, str(tmp_path))
    rr_langid._identifier.cache_clear()
    yield rr_langid.cache_path()
    rr_langid._identifier.cache_clear()


def test_cached_model_classifies_as_langid_itself(fresh):
    from langid.langid import LanguageIdentifier, model

    original = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    first = [rr_langid._identifier().classify(t) for t in TEXTS]  # unpacks, writes
    assert fresh.is_file()
    rr_langid._identifier.cache_clear()
    second = [rr_langid._identifier().classify(t) for t in TEXTS]  # reads the cache
    assert first == second == [original.classify(t) for t in TEXTS]


def test_a_broken_cache_is_rewritten(fresh):
    fresh.write_bytes(b"not a zip file")
    assert rr_langid.identify(TEXTS[0], ["de", "en", "fr"]).lang == "de"
    rr_langid._identifier.cache_clear()
    assert rr_langid.identify(TEXTS[1], ["de", "en", "fr"]).lang == "en"
    assert fresh.stat().st_size > 1_000_000


def test_an_unwritable_cache_only_costs_time(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(rr_langid.CACHE_ENV, str(blocker / "sub"))
    rr_langid._identifier.cache_clear()
    try:
        assert rr_langid.identify(TEXTS[2], ["de", "en", "fr"]).lang == "fr"
    finally:
        rr_langid._identifier.cache_clear()
