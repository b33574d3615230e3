"""Where the bundled pipelines are: ``models/`` in a source checkout (editable install),
else the package data of an installed ``racereport`` (``pipeline/_models``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

LANGUAGES = ("de", "en", "fr")
"""The languages with a bundled pipeline."""

SOURCE_MODELS = Path(__file__).resolve().parents[1] / "models"


def models_dir(source: Path = SOURCE_MODELS) -> Path:
    """The folder holding ``racereport-de``, ``-en`` and ``-fr``: ``source`` where it
    holds them (a checkout), else the installed package data."""
    if (source / "racereport-de").is_dir():
        return source
    return Path(str(files("pipeline") / "_models"))


def bundled_model(lang: str = "de", source: Path = SOURCE_MODELS) -> Path:
    """The bundled pipeline of ``lang`` (it may not exist for other languages)."""
    return models_dir(source) / f"racereport-{lang}"
