"""``racereport process``: run the pipeline over a corpus of files (batch, resumable)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from racereport.cli.choices import Engine

err = Console(stderr=True, soft_wrap=True)
logger = logging.getLogger(__name__)


def _progress(disable: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
        disable=disable,
    )


def process(
    inputs: list[Path] = typer.Argument(
        ..., help="Text files, folders, .jsonl, .parquet, saved HF datasets."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output: a .jsonl file or a Parquet folder."),
    fmt: str | None = typer.Option(
        None, "--format", help="jsonl or parquet (default: from --out)."
    ),
    text_field: str = typer.Option("text", help="Text field of JSONL/Parquet/dataset records."),
    id_field: str = typer.Option("id", help="Id field of JSONL/Parquet/dataset records."),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="One pipeline for every document (default: each document's language's "
        "bundled pipeline, see --lang).",
    ),
    lang: str = typer.Option(
        "auto",
        help="auto: identify each document's language and use its pipeline "
        "(models/racereport-de|en|fr); or de, en, fr for a monolingual corpus.",
    ),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes (local engine)."),
    batch_size: int = typer.Option(64, min=1, help="Documents per nlp.pipe batch."),
    max_chars: int = typer.Option(
        5_000_000,
        min=1,
        help="Longer documents become error rows (long ones are processed in "
        "paragraph-cut parts of 50,000 characters, so memory stays flat).",
    ),
    engine: Engine = typer.Option(Engine.local, help="Where to run."),
    ray_address: str | None = typer.Option(
        None, help="Ray cluster address (default: a local Ray)."
    ),
    progress: bool = typer.Option(True, help="Show a progress bar."),
    allow_failures: bool = typer.Option(
        False, help="Exit 0 even when documents failed (their rows carry the error)."
    ),
) -> None:
    """Process every input document once; run it again after a crash to finish the rest.
    Exits 1 when documents failed (each has a row with its error) unless
    --allow-failures."""
    from racereport.batch.sink import OutputError, open_sink, output_format
    from racereport.batch.sources import Fields, count_inputs, expand, read_inputs

    fields = Fields(text=text_field, id=id_field)
    try:
        out_format = output_format(out, fmt)
        list(expand(inputs))  # every input exists (the engines read lazily)
    except (ValueError, FileNotFoundError) as e:
        err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from None
    if engine is Engine.ray:
        from racereport.batch.ray_engine import run_ray

        try:
            summary = run_ray(
                inputs,
                out,
                out_format,
                fields=fields,
                model=model,
                batch_size=batch_size,
                max_chars=max_chars,
                address=ray_address,
                lang=lang,
            )
        except OutputError as e:
            err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
            raise typer.Exit(2) from None
    else:  # Engine.local
        from racereport.batch.local import run_local
        from racereport.extract import ModelNotFoundError, load
        from racereport.multilingual.router import Router

        try:
            nlp = load(model) if model else Router.for_option(lang)
        except (ModelNotFoundError, OSError, ValueError) as e:
            err.print(f"[red]error:[/red] {e}", highlight=False)
            raise typer.Exit(1) from None
        try:
            sink = open_sink(out, out_format)
        except OutputError as e:
            err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
            raise typer.Exit(2) from None
        except OSError as e:
            err.print(f"[red]error:[/red] cannot write {escape(str(out))}: {e}", highlight=False)
            raise typer.Exit(1) from None
        with _progress(disable=not progress) as bar:
            task = bar.add_task("processing", total=count_inputs(inputs, fields), rate="-")
            state = {"n": 0}
            start = time.perf_counter()

            def advance(n: int) -> None:
                state["n"] += n
                elapsed = time.perf_counter() - start
                rate = f"{state['n'] / elapsed:,.1f}" if elapsed else "-"
                bar.update(task, advance=n, rate=rate)

            try:
                summary = run_local(
                    nlp,
                    read_inputs(inputs, fields, max_chars),
                    sink,
                    n_process=n_process,
                    batch_size=batch_size,
                    on_row=advance,
                )
            except OSError as e:  # disk full, output removed, ...: rows so far are kept
                bar.stop()
                err.print(
                    f"[red]error:[/red] {escape(str(e))}; the rows written to "
                    f"{escape(str(out))} so far are kept, run the same command again to finish",
                    highlight=False,
                )
                raise typer.Exit(1) from None
    err.print(
        f"done {summary.done}, failed {summary.failed}, "
        f"skipped (already done) {summary.skipped}; {summary.words:,} words in "
        f"{summary.seconds:.1f} s = {summary.words_per_second:,.0f} words/s"
    )
    if summary.errors:
        err.print("errors: " + escape(json.dumps(summary.errors, ensure_ascii=False)))
    if summary.failed and not allow_failures:
        err.print(
            f"{summary.failed} documents failed (their rows in {escape(str(out))} say why); "
            "--allow-failures exits 0"
        )
        raise typer.Exit(1)


def batch_benchmark(
    documents: int = typer.Option(20_000, min=100, help="Documents in the generated corpus."),
    model: str | None = typer.Option(None, "--model", "-m", help="Pipeline (default: bundled)."),
    ray: bool = typer.Option(True, help="Also measure the Ray engine (needs the ray extra)."),
    output: Path | None = typer.Option(None, help="Write the results as JSON here."),
) -> None:
    """Words/s of batch processing: 1 and 2 processes, Ray, peak memory, vs. tokenization."""
    from rich.table import Table

    from racereport.batch.benchmark import benchmark

    result = benchmark(documents, model=model, ray=ray)
    table = Table(title=f"{result['documents']:,} documents, {result['words']:,} words")
    for column in ("run", "words/s", "seconds", "peak RSS MB (main)", "peak RSS MB (workers)"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, run in result["runs"].items():
        table.add_row(
            name,
            f"{run['words_per_second']:,.0f}",
            f"{run['seconds']:.1f}",
            f"{run['peak_rss_mb']:,.0f}",
            f"{run['peak_rss_children_mb']:,.0f}",
        )
    Console(soft_wrap=True).print(table)
    ratios = (
        f"2 processes / 1 process: {result['speedup_2_processes']:.2f}x; "
        f"pipeline / spacy.blank('de') tokenization "
        f"({result['blank_tokenization_words_per_second']:,.0f} words/s): "
        f"{result['pipeline_vs_blank_tokenization']:.4f}"
    )
    if result["ray_vs_local_1_process"] is not None:
        ratios += f"; Ray / local 1 process: {result['ray_vs_local_1_process']:.2f}x"
    Console(soft_wrap=True).print(ratios)
    if output is not None:
        output.write_text(json.dumps(result, indent=2) + "\n")
