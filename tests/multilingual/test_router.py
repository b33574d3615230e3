"""Language identification and routing to each language's bundled pipeline."""

from __future__ import annotations

import json
import multiprocessing
import pickle

import pytest
from typer.testing import CliRunner

from racereport.batch.local import process_items, run_local
from racereport.batch.sink import JsonlSink
from racereport.batch.sources import InputDoc
from racereport.cli import app
from racereport.multilingual.langid import identify
from racereport.multilingual.router import Router, bundled_models

TEXTS = {
    "de": "Max Verstappen gewann das Rennen in Spa für Red Bull, nachdem Lewis Hamilton "
    "seinen Mercedes in der dritten Runde in die Mauer gesetzt hatte.",
    "en": "Max Verstappen won the race at Spa for Red Bull after Lewis Hamilton crashed "
    "his Mercedes into the wall on the third lap.",
    "fr": "Max Verstappen a remporté la course à Spa pour Red Bull après l'accident de "
    "Lewis Hamilton, dont la Mercedes a tapé le mur au troisième tour.",
    "es": "Max Verstappen ganó la carrera de Spa con Red Bull después de que Lewis "
    "Hamilton estrellara su Mercedes contra el muro en la tercera vuelta.",
}


@pytest.mark.parametrize("lang", list(TEXTS))
def test_identify(lang):
    guess = identify(TEXTS[lang])
    assert guess.lang == lang and guess.probability > 0.9


def test_bundled_pipelines_for_three_languages():
    assert sorted(bundled_models()) == ["de", "en", "fr"]


@pytest.fixture(scope="module")
def router() -> Router:
    return Router()


def _items() -> list[InputDoc]:
    items = [InputDoc(lang, "mixed", text=text) for lang, text in TEXTS.items()]
    return [*items, InputDoc("broken", "mixed", error="not UTF-8: bad byte")]


def test_each_document_goes_to_its_language(router):
    rows = [row for row, _ in process_items(router, _items())]
    assert [r["id"] for r in rows] == ["de", "en", "fr", "es", "broken"]
    assert [r["lang"] for r in rows[:3]] == ["de", "en", "fr"]
    for row in rows[:3]:
        assert row["error"] is None
        drivers = {e["text"] for e in row["entities"] if e["label"] == "DRIVER"}
        assert {"Max Verstappen", "Lewis Hamilton"} <= drivers, row["lang"]
    assert rows[3]["error"].startswith("unsupported language: 'es' (probability 1.00;")
    assert rows[3]["lang"] == "es" and rows[3]["entities"] == []
    assert rows[4]["error"] == "not UTF-8: bad byte"
    # only the languages seen were loaded; the router pickles without its pipelines
    assert sorted(router._loaded) == ["de", "en", "fr"]
    assert pickle.loads(pickle.dumps(router))._loaded == {}


def test_a_names_only_list_goes_with_the_documents_of_its_batch(router):
    results = (
        "GT World Challenge, Barcelona: 1. Comtoyou Racing, 2. Boutsen VDS, 3. Rutronik Racing."
    )
    groups, errors = router.route([TEXTS["de"], results, None, TEXTS["es"]])
    assert groups == {"de": [0, 1]} and sorted(errors) == [3]
    groups, _ = router.route([TEXTS["en"], results])
    assert groups == {"en": [0, 1]}


def test_a_given_language_skips_identification():
    forced = Router(lang="de")
    rows = [row for row, _ in process_items(forced, [InputDoc("es", "x", text=TEXTS["es"])])]
    assert rows[0]["lang"] == "de" and rows[0]["error"] is None
    with pytest.raises(ValueError, match="no pipeline for language 'it'"):
        Router(lang="it")


def test_two_processes_give_the_same_rows(router, tmp_path):
    items = _items() * 3
    items = [InputDoc(f"{i.id}-{n}", i.source, i.text, i.error) for n, i in enumerate(items)]
    one = [row for row, _ in process_items(router, items)]
    sink = JsonlSink(tmp_path / "out.jsonl")
    parent = Router()
    summary = run_local(parent, iter(items), sink, n_process=2, batch_size=4)
    two = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert two == one
    assert summary.errors == {"unsupported language": 3, "not UTF-8": 3}
    if "fork" in multiprocessing.get_all_start_methods():
        # the first chunk's languages were loaded before the workers forked, to share them
        assert sorted(parent._loaded) == ["de", "en", "fr"]


def test_preload_loads_the_languages_the_texts_need():
    fresh = Router()
    assert fresh.preload([TEXTS["de"], None, TEXTS["es"]]) == ["de"]
    assert sorted(fresh._loaded) == ["de"]
    assert Router(lang="en").preload([TEXTS["de"]]) == ["en"]


def test_extract_and_process_route_by_language(tmp_path):
    for lang, text in TEXTS.items():
        (tmp_path / f"{lang}.txt").write_text(text)
    runner = CliRunner()
    files = [str(tmp_path / f"{lang}.txt") for lang in TEXTS]
    result = runner.invoke(app, ["extract", *files])
    assert result.exit_code == 1, result.output  # the Spanish one has no pipeline
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["lang"] for r in records] == ["de", "en", "fr", None]
    assert records[3]["error"].startswith("unsupported language: 'es'")
    result = runner.invoke(
        app, ["process", str(tmp_path), "--out", str(tmp_path / "rows.jsonl"), "--no-progress"]
    )
    assert result.exit_code == 1, result.output  # the Spanish document failed
    assert "1 documents failed" in result.output and "--allow-failures" in result.output
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert [(r["lang"], r["error"] is None) for r in rows] == [
        ("de", True),
        ("en", True),
        ("es", False),
        ("fr", True),
    ]
