"""racereport: a spaCy pipeline that turns motorsport race reports into structured data.

Modules: :mod:`racereport.schema` (labels and relation types, the single source of
truth), :mod:`racereport.records` (typed records), :mod:`racereport.tokenizer`
(compound-splitting German tokenizer), :mod:`racereport.corpus` (the annotated
corpus: I/O, validation, conversion, splits, stats) and :mod:`racereport.cli`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

try:
    __version__ = version("racereport")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def load(model: str | None = None, **kwargs: Any) -> Language:
    """The pipeline: ``model`` (path or package name), else ``$RACEREPORT_MODEL``, else the
    bundled ``models/racereport-de``. See :func:`racereport.extract.load`."""
    from racereport.extract import load as _load

    return _load(model, **kwargs)


__all__ = ["__version__", "load"]
