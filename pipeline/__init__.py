"""racereport: a spaCy pipeline that turns motorsport race reports into structured data.

Modules: :mod:`pipeline.schema` (labels and relation types, the single source of
truth), :mod:`pipeline.records` (typed records), :mod:`pipeline.tokenizer`
(compound-splitting German tokenizer), :mod:`pipeline.corpus` (the annotated
corpus: I/O, validation, conversion, splits, stats) and :mod:`pipeline.cli`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("racereport")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
