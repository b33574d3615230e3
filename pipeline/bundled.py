"""Where the bundled pipelines are: ``models/`` in a source checkout (editable install),
else the package data of an installed ``racereport`` (``racereport._models``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

LANGUAGES = ("de", "en", "fr")
"""The languages with a bundled pipeline."""

SOURCE_ROOT = Path(__file__).resolve().parents[1]
"""The checkout this package was imported from (inputs such as ``corpus/`` and
``models/configs/`` are found here, whatever the working directory)."""

SOURCE_MODELS = SOURCE_ROOT / "models"


def models_dir(source: Path = SOURCE_MODELS) -> Path:
    """The folder holding ``racereport-de``, ``-en`` and ``-fr``: ``source`` where it
    holds them (a checkout), else the installed package data."""
    if (source / "racereport-de").is_dir():
        return source
    return Path(str(files("racereport") / "_models"))


def bundled_model(lang: str = "de", source: Path = SOURCE_MODELS) -> Path:
    """The bundled pipeline of ``lang`` (it may not exist for other languages)."""
    return models_dir(source) / f"racereport-{lang}"


def display_path(path: Path) -> str:
    """``path`` relative to the checkout where it lies inside it (so recorded paths
    such as a model's data sources do not depend on where the checkout is), else as
    given."""
    try:
        return str(Path(path).resolve().relative_to(SOURCE_ROOT))
    except ValueError:
        return str(path)
