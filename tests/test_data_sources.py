"""A packaged pipeline names the data it derives from and the licence that follows."""

import json

import pytest
from thinc.api import Config

from racereport.data_sources import SOURCES, licence_meta, sources_of
from tests.conftest import REPO

PLAIN = '[components.tok2vec.model.embed]\n@architectures = "spacy.MultiHashEmbed.v2"\n'
FREQUENCY = '[components.tok2vec.model.embed]\n@architectures = "race.FrequencyHashEmbed.v1"\n'
PLACES = '[components.tok2vec.model.embed]\n@architectures = "race.LexiconHashEmbed.v1"\n'


def test_a_pipeline_of_the_corpus_alone_is_cc_by():
    keys = sources_of(PLAIN, {"corpus/en/f1.jsonl": "x", "corpus/de/a.jsonl": "y"})
    assert keys == ["corpus"]
    assert licence_meta(keys) == {"license": "CC BY 4.0", "sources": [SOURCES["corpus"]]}


def test_stored_word_frequencies_make_it_share_alike_and_place_names_are_credited():
    assert sources_of(FREQUENCY) == ["corpus", "wordfreq"]
    assert licence_meta(["corpus", "wordfreq"])["license"] == "CC BY-SA 4.0"
    assert sources_of(PLACES) == ["corpus", "wordfreq", "geonames"]


def test_a_base_is_read_from_its_manifest_and_a_sourcing_pipeline_inherits_it(tmp_path):
    trained_on = {"germeval2014/NER-de-dev.tsv": "a", "uner_german_pud/de_pud-ud-test.iob2": "b"}
    assert sources_of(PLAIN, trained_on) == ["germeval"]  # UNER: test data only
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.cfg").write_text(FREQUENCY)
    smartdata = {"smartdata/v1_20180119/test.json.gz": "c"}
    meta = {"racereport": {"data": {"sources": {**trained_on, **smartdata}}}}
    (base / "meta.json").write_text(json.dumps(meta))
    assert sources_of(PLAIN, {}, base) == ["corpus", "germeval", "smartdata", "wordfreq"]


def test_a_base_that_is_not_there_is_said(tmp_path, caplog):
    assert sources_of(PLAIN, {}, tmp_path / "missing") == ["corpus"]
    assert "is not here" in caplog.text and "missing" in caplog.text


@pytest.mark.parametrize(
    "model", ["racereport-de", "racereport-en", "racereport-fr", "base-de", "base-de-wordfreq"]
)
def test_bundled_pipelines_carry_their_licence(model, monkeypatch):
    monkeypatch.chdir(REPO)  # configs name their base relative to the repository
    folder = REPO / "models" / model
    meta = json.loads((folder / "meta.json").read_text())
    text = (folder / "config.cfg").read_text()
    base = Config().from_str(text, interpolate=False).get("paths", {}).get("base")
    keys = sources_of(text, meta["racereport"]["data"]["sources"], base and REPO / base)
    assert {k: meta[k] for k in ("license", "sources")} == licence_meta(keys)
    assert ("wordfreq" in keys) == (meta["license"] == "CC BY-SA 4.0")
