"""The ``racereport`` command line."""

from __future__ import annotations

import logging

import typer

from racereport.cli import model
from racereport.cli.annotate import app as annotate_app
from racereport.cli.base import app as base_app
from racereport.cli.corpus import app as corpus_app
from racereport.cli.process import batch_benchmark, process
from racereport.ml.blas_threads import one_blas_thread_for_this_process

app = typer.Typer(
    name="racereport",
    help="Turn motorsport race reports into entities, incidents and event graphs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(corpus_app, name="corpus")
app.add_typer(base_app, name="base")
app.add_typer(annotate_app, name="annotate")
app.command()(model.train)
app.command()(model.evaluate)
app.command(name="holdout-series")(model.holdout_series)
app.command()(model.extract)
app.command()(model.graph)
app.command()(model.benchmark)
app.command(name="migrate-model")(model.migrate_model)
app.command()(process)
app.command(name="batch-benchmark")(batch_benchmark)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    """Turn motorsport race reports into entities, incidents and event graphs."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    one_blas_thread_for_this_process()


__all__ = ["app"]
