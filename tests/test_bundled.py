"""The bundled pipelines are found in a checkout and, installed, in the package data."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.bundled import bundled_model, models_dir
from tests.conftest import REPO


def test_a_checkout_uses_its_models_folder():
    assert models_dir() == REPO / "models"
    assert bundled_model("en") == REPO / "models" / "racereport-en"


def test_without_a_models_folder_the_package_data_is_used(tmp_path):
    installed = Path(pipeline.__file__).parent / "_models"
    assert models_dir(source=tmp_path) == installed
    assert bundled_model("de", source=tmp_path) == installed / "racereport-de"


def test_the_wheel_ships_the_three_pipelines():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools["package-dir"]["pipeline._models"] == "models"
    data = setuptools["package-data"]["pipeline._models"]
    assert data == [f"racereport-{lang}/**/*" for lang in ("de", "en", "fr")]
    found = {p.name for p in (REPO / "pipeline").iterdir() if (p / "__init__.py").exists()}
    assert {f"pipeline.{name}" for name in found} | {"pipeline", "pipeline._models"} == set(
        setuptools["packages"]
    )
