"""``racereport corpus ...``: validate, count, build and edit the annotated corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from racereport.bundled import SOURCE_ROOT
from racereport.cli.common import usage
from racereport.corpus.consistency import (
    find_bare_series_names,
    find_suspects,
    find_unannotated_incident_verbs,
)
from racereport.corpus.jsonl import CorpusError, iter_documents, write_documents
from racereport.corpus.markup import MarkupError, read_markup, render_markup
from racereport.corpus.split import DEFAULT_DEV, DEFAULT_SEED, DEFAULT_TEST, split_of
from racereport.corpus.stats import compute_stats

app = typer.Typer(
    help="Validate, count, build and edit the annotated corpus.", no_args_is_help=True
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_PATHS = [SOURCE_ROOT / "corpus"]
PathsArg = typer.Argument(None, help="Corpus JSONL files or folders (default: corpus/).")


def _paths(paths: list[Path] | None) -> list[Path]:
    return paths or DEFAULT_PATHS


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(1)


@app.command()
def validate(
    paths: list[Path] | None = PathsArg,
    tokens: bool = typer.Option(True, help="Check entity boundaries against the tokenizer."),
) -> None:
    """Check every record; print each problem as FILE:LINE: [ID] REASON; exit 1 on any."""
    from racereport.corpus.validate import validate_paths

    problems = validate_paths(_paths(paths), check_tokens=tokens)
    for problem in problems:
        err.print(str(problem), highlight=False, markup=False)
    if problems:
        raise _fail(f"{len(problems)} problem(s) found")
    n = sum(1 for _ in iter_documents(_paths(paths)))
    out.print(f"[green]ok[/green]: {n} documents valid")


def _table(title: str, counts: dict[str, int], total: int | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(title.split()[0].capitalize())
    table.add_column("count", justify="right")
    if total:
        table.add_column("share", justify="right")
    for key, value in counts.items():
        row = [key, str(value)]
        if total:
            row.append(f"{value / total:.1%}")
        table.add_row(*row)
    return table


@app.command()
def stats(
    paths: list[Path] | None = PathsArg,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    seed: int = typer.Option(DEFAULT_SEED, help="Split seed, for the per-split counts."),
) -> None:
    """Print counts per label, incident type, relation type, series and register."""
    try:
        docs = [located.doc for located in iter_documents(_paths(paths))]
    except CorpusError as e:
        raise _fail(str(e)) from None
    overall = compute_stats(docs)
    splits = {
        name: compute_stats(d for d in docs if split_of(d.id, seed) == name).to_dict()
        for name in ("train", "dev", "test")
    }
    if as_json:
        out.print_json(json.dumps({"all": overall.to_dict(), "splits": splits}))
        return
    data = overall.to_dict()
    out.print(
        f"[bold]{overall.documents}[/bold] documents, [bold]{overall.words}[/bold] words, "
        f"{len(overall.series)} series; split train/dev/test: "
        + "/".join(str(splits[s]["documents"]) for s in ("train", "dev", "test"))
    )
    for key, title in (
        ("entities", "entity labels"),
        ("incident_types", "incident types"),
        ("relations", "relation types"),
        ("series", "series"),
        ("registers", "registers"),
        ("languages", "languages"),
    ):
        counts = data[key]
        assert isinstance(counts, dict)
        out.print(_table(title, counts, sum(counts.values())))


@app.command()
def build(
    paths: list[Path] | None = PathsArg,
    out_dir: Path = typer.Option(Path("corpus/spacy"), "--out", help="Output folder."),
    lang: str = typer.Option("de", help="Language of the documents to convert."),
    seed: int = typer.Option(DEFAULT_SEED, help="Split seed."),
    dev: float = typer.Option(DEFAULT_DEV, help="Fraction of documents for dev."),
    test: float = typer.Option(DEFAULT_TEST, help="Fraction of documents for test."),
) -> None:
    """Validate, split by document and write train/dev/test .spacy files and a manifest."""
    from racereport.corpus.build import build_docbins

    try:
        manifest = build_docbins(_paths(paths), out_dir, lang=lang, seed=seed, dev=dev, test=test)
    except CorpusError as e:
        raise _fail(str(e)) from None
    for name, info in manifest["splits"].items():
        out.print(
            f"{name}: {info['documents']} documents, {info['entities']} entities, "
            f"{info['relations']} relations -> {info['path']}"
        )
    out.print(f"manifest: {out_dir / 'manifest.json'}")


@app.command()
def suspects(
    paths: list[Path] | None = PathsArg,
    min_length: int = typer.Option(3, help="Ignore annotated strings shorter than this."),
    incident_verbs: bool = typer.Option(
        False,
        "--incident-verbs",
        help="Instead: verbs that usually tell an incident, outside every INCIDENT span.",
    ),
    series_names: bool = typer.Option(
        False,
        "--series-names",
        help="Instead: championship and cup names that overlap no entity.",
    ),
) -> None:
    """List bare occurrences of strings annotated elsewhere (likely missed annotations)."""
    if incident_verbs and series_names:
        raise usage("--incident-verbs and --series-names are two different lists: pass one")
    try:
        docs = [located.doc for located in iter_documents(_paths(paths))]
    except CorpusError as e:
        raise _fail(str(e)) from None
    if incident_verbs:
        found = find_unannotated_incident_verbs(docs)
    elif series_names:
        found = find_bare_series_names(docs)
    else:
        found = find_suspects(docs, min_length)
    for suspect in found:
        out.print(str(suspect), highlight=False, markup=False)
    out.print(f"{len(found)} suspect(s) in {len(docs)} documents")


@app.command("from-markup")
def from_markup(
    files: list[Path] = typer.Argument(..., help="Markup files (see pipeline/corpus/markup.py)."),
    output: Path = typer.Option(..., "--out", help="JSONL file to write."),
) -> None:
    """Convert marked-up documents to corpus JSONL; writes nothing if any is invalid."""
    from racereport.corpus.validate import check_document
    from racereport.tokenizer import tokenizer_for

    try:
        docs = list(read_markup(files))
    except (MarkupError, OSError) as e:
        raise _fail(str(e)) from None
    problems: list[str] = []
    for doc in docs:
        problems.extend(f"[{doc.id}] {m}" for m in check_document(doc, tokenizer_for(doc.lang)))
    if problems:
        for p in problems:
            err.print(p, highlight=False, markup=False)
        raise _fail(f"{len(problems)} problem(s); {output} not written")
    n = write_documents(docs, output)
    out.print(f"wrote {n} documents to {output}")


@app.command("to-markup")
def to_markup(
    paths: list[Path] | None = PathsArg,
    output: Path = typer.Option(..., "--out", help="Markup file to write."),
) -> None:
    """Render corpus JSONL as editable markup (the inverse of from-markup)."""
    try:
        text = "\n".join(render_markup(loc.doc) for loc in iter_documents(_paths(paths)))
    except (CorpusError, MarkupError) as e:
        raise _fail(str(e)) from None
    output.write_text(text, encoding="utf-8")
    out.print(f"wrote {output}")
