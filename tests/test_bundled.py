"""The bundled pipelines are found in a checkout and, installed, in the package data."""

from __future__ import annotations

from pathlib import Path

import pytest

import racereport
from racereport.bundled import bundled_model, models_dir
from tests.conftest import REPO


def test_a_checkout_uses_its_models_folder():
    assert models_dir() == REPO / "models"
    assert bundled_model("en") == REPO / "models" / "racereport-en"


def test_without_a_models_folder_the_package_data_is_used(tmp_path):
    installed = Path(racereport.__file__).parent / "_models"
    assert models_dir(source=tmp_path) == installed
    assert bundled_model("de", source=tmp_path) == installed / "racereport-de"


def test_the_wheel_ships_the_three_pipelines():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools["package-dir"]["racereport"] == "pipeline"
    assert setuptools["package-dir"]["racereport._models"] == "models"
    data = setuptools["package-data"]["racereport._models"]
    assert data == [f"racereport-{lang}/**/*" for lang in ("de", "en", "fr")]
    found = {p.name for p in (REPO / "pipeline").iterdir() if (p / "__init__.py").exists()}
    assert {f"racereport.{name}" for name in found} | {"racereport", "racereport._models"} == set(
        setuptools["packages"]
    )


def test_recorded_paths_are_relative_to_the_checkout(tmp_path):
    from racereport.bundled import display_path

    assert display_path(REPO / "corpus" / "de" / "f1.jsonl") == "corpus/de/f1.jsonl"
    assert display_path(tmp_path / "x.jsonl") == str(tmp_path / "x.jsonl")


def test_input_defaults_do_not_depend_on_the_working_directory(monkeypatch, tmp_path):
    import json

    from typer.testing import CliRunner

    from racereport.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["corpus", "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["all"]["documents"] > 1000
