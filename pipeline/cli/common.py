"""What the command modules share: the error console, how a failure or a usage error is
reported, and loading a pipeline with the errors a user can meet turned into messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from racereport.errors import ModelNotFoundError
from racereport.factory_names import LegacyPipelineError

if TYPE_CHECKING:
    from spacy.language import Language

err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    """Report an error (exit status 1); raise what it returns."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(1)


def usage(message: str) -> typer.Exit:
    """A usage error (a value the option does not take): exit status 2."""
    err.print(f"[red]usage error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(2)


def load_pipeline(model: str | None) -> Language:
    """:func:`racereport.extract.load`, with a missing, unreadable or legacy pipeline
    reported as an error message instead of a traceback."""
    from racereport.extract import load

    try:
        return load(model)
    except (ModelNotFoundError, LegacyPipelineError, OSError) as e:
        raise fail(str(e)) from None
