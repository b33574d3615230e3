"""The fixed choices of command-line options, as Enums: the help lists them and a value
outside them is a usage error (exit status 2) naming the choices, before any work."""

from __future__ import annotations

from enum import Enum

from racereport.annotate.formats import TOOLS
from racereport.annotate.select import STRATEGIES


class Split(str, Enum):
    """Corpus split to score."""

    train = "train"
    dev = "dev"
    test = "test"
    all = "all"


class PrintFormat(str, Enum):
    """How ``extract`` prints its records."""

    jsonl = "jsonl"
    json = "json"
    table = "table"


class Engine(str, Enum):
    """Where ``process`` runs."""

    local = "local"
    ray = "ray"


Tool = Enum("Tool", {name: name for name in TOOLS}, type=str)  # type: ignore[misc]
"""An annotation tool ``racereport annotate`` reads and writes."""

Strategy = Enum("Strategy", {name: name for name in STRATEGIES}, type=str)  # type: ignore[misc]
"""How ``annotate select`` picks documents."""


class GraphFormat(str, Enum):
    """How ``graph`` writes the event graph (:data:`racereport.graph.export.FORMATS`)."""

    json = "json"
    graphml = "graphml"
    html = "html"
