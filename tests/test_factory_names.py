"""Namespaced factories, and pipelines saved under the old names."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from racereport.cli import app
from racereport.extract import load
from racereport.factory_names import (
    LEGACY_FACTORIES,
    LegacyPipelineError,
    check_not_legacy,
    legacy_components,
    migrate_pipeline,
)
from racereport.tokenizer import blank

runner = CliRunner()


def test_only_the_namespaced_factories_are_registered():
    import racereport.components.event_graph
    import racereport.components.generic_entities
    import racereport.components.generic_tagger
    import racereport.components.incident_typer
    import racereport.components.relation_extractor  # noqa: F401

    for old, new in LEGACY_FACTORIES.items():
        assert Language.has_factory(new)
        assert not Language.has_factory(old)
    assert Language.has_factory("racereport_generic_entities")
    assert Language.has_factory("racereport_generic_tagger")
    advertised = {e.name for e in entry_points(group="spacy_factories")}
    assert set(LEGACY_FACTORIES.values()) <= advertised
    assert {"racereport_generic_entities", "racereport_generic_tagger"} <= advertised
    assert not set(LEGACY_FACTORIES) & advertised


@pytest.fixture
def legacy_pipeline(tmp_path):
    """A saved pipeline whose config names the old event_graph factory."""
    nlp = blank("de")
    nlp.add_pipe("racereport_event_graph", name="event_graph")
    path = tmp_path / "old"
    nlp.to_disk(path)
    config = path / "config.cfg"
    text = config.read_text(encoding="utf-8")
    assert 'factory = "racereport_event_graph"' in text
    config.write_text(text.replace('"racereport_event_graph"', '"event_graph"'), encoding="utf-8")
    return path


def test_a_legacy_pipeline_is_named_with_what_to_run(legacy_pipeline):
    assert legacy_components(legacy_pipeline) == {"event_graph": "racereport_event_graph"}
    with pytest.raises(LegacyPipelineError, match="racereport migrate-model"):
        check_not_legacy(legacy_pipeline)
    with pytest.raises(LegacyPipelineError, match="event_graph"):
        load(legacy_pipeline)


def test_migrated_copy_loads_and_the_source_is_kept(legacy_pipeline, tmp_path):
    before = (legacy_pipeline / "config.cfg").read_text(encoding="utf-8")
    renamed = migrate_pipeline(legacy_pipeline, tmp_path / "new")
    assert renamed == {"event_graph": "racereport_event_graph"}
    assert (legacy_pipeline / "config.cfg").read_text(encoding="utf-8") == before
    nlp = spacy.load(tmp_path / "new")
    assert nlp.pipe_names == ["event_graph"]
    assert legacy_components(tmp_path / "new") == {}
    doc = nlp("Max Verstappen gewann in Monza.")
    assert doc._.racereport_event_graph_data is not None


def test_migrate_model_cli_refuses_to_overwrite(legacy_pipeline, tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    result = runner.invoke(app, ["migrate-model", str(legacy_pipeline), str(target)])
    assert result.exit_code == 2 and "nothing is overwritten" in result.output
    result = runner.invoke(app, ["migrate-model", str(legacy_pipeline), str(tmp_path / "ok")])
    assert result.exit_code == 0, result.output
    assert "event_graph -> racereport_event_graph" in result.output
