"""``racereport annotate ...``: the annotation loop (select, export, import, agreement,
compare; push/pull for a Label Studio server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from racereport.annotate.compare import compare_reports
from racereport.annotate.labelstudio_api import LabelStudio, LabelStudioError
from racereport.batch.sources import Fields
from racereport.cli.choices import Strategy, Tool
from racereport.cli.common import err, fail, load_pipeline
from racereport.corpus.jsonl import CorpusError, load_documents

if TYPE_CHECKING:
    from racereport.annotate.importer import Imported
    from racereport.annotate.tasks import Task

app = typer.Typer(
    help="The annotation loop: select, export to annotation tools, import, agreement.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)

ModelOption = typer.Option(
    None, "--model", "-m", help="Pipeline path or package (default: models/racereport-de)."
)
ToolOption = typer.Option(..., "--tool", help="The annotation tool.")
UrlOption = typer.Option(
    "http://localhost:8080", envvar="LABEL_STUDIO_URL", help="Label Studio server URL."
)
TokenOption = typer.Option(
    ..., envvar="LABEL_STUDIO_API_KEY", help="Label Studio access token (legacy or personal)."
)


def _pool(inputs: list[Path], text_field: str, id_field: str) -> list:
    from racereport.annotate.tasks import PoolError, read_pool

    try:
        return read_pool(inputs, Fields(text=text_field, id=id_field))
    except (PoolError, FileNotFoundError) as e:
        raise fail(str(e)) from None


def _tasks(
    inputs: list[Path], model: str | None, gold: bool, text_field: str, id_field: str
) -> list[Task]:
    from racereport.annotate.tasks import gold_task, pre_annotate

    if gold:
        try:
            return [gold_task(d, "gold") for d in load_documents(inputs)]
        except CorpusError as e:
            raise fail(str(e)) from None
    return list(pre_annotate(load_pipeline(model), _pool(inputs, text_field, id_field)))


@app.command()
def export(
    inputs: list[Path] = typer.Argument(..., help="Text files, folders, JSONL (pool or corpus)."),
    tool: Tool = ToolOption,
    out_dir: Path = typer.Option(..., "--out", help="Folder for the tasks and project files."),
    model: str | None = ModelOption,
    gold: bool = typer.Option(
        False, help="Export the corpus documents' own annotations instead of predictions."
    ),
    text_field: str = typer.Option("text", help="Text field of JSONL/Parquet records."),
    id_field: str = typer.Option("id", help="Id field of JSONL/Parquet records."),
) -> None:
    """Write pre-annotated tasks (entities, incident types, relations) for a tool."""
    from racereport.annotate.export import export_tasks

    tasks = _tasks(inputs, model, gold, text_field, id_field)
    try:
        files = export_tasks(tasks, tool.value, out_dir)
    except ValueError as e:
        raise fail(str(e)) from None
    out.print(f"{len(tasks)} tasks for {tool.value}: " + ", ".join(map(str, files)))


@app.command(name="import")
def import_(
    path: Path = typer.Argument(..., help="The tool's export (JSON for Label Studio, else JSONL)."),
    tool: Tool = ToolOption,
    into: Path = typer.Option(
        ..., help="Corpus JSONL file to write (documents with the same id are replaced)."
    ),
    annotator: str | None = typer.Option(
        None,
        help="Label Studio: whose annotations to import; doccano: who annotated (required); "
        "Prodigy: overrides _annotator_id.",
    ),
) -> None:
    """Read corrected annotations back into the corpus (validated; nothing written on error)."""
    from racereport.annotate.importer import ImportFailed, import_annotations

    try:
        imported = import_annotations(path, tool.value, into, annotator)
    except ImportFailed as e:
        for problem in e.problems:
            err.print(problem, highlight=False, markup=False)
        raise fail(f"nothing written to {into}: {len(e.problems)} problem(s)") from None
    _report(imported, into, annotator)


def _report(imported: Imported, into: Path, annotator: str | None) -> None:
    if not imported.documents:
        whose = f" by {annotator}" if annotator else ""
        known = (
            f" (annotators in the export: {', '.join(imported.annotators)})"
            if imported.annotators
            else ""
        )
        raise fail(f"no annotations{whose} to import{known}; nothing written to {into}")
    out.print(f"{len(imported.documents)} documents imported into {into}")
    if imported.skipped:
        out.print(f"skipped (no accepted annotation): {', '.join(imported.skipped)}")


@app.command(name="select")
def select_(
    inputs: list[Path] = typer.Argument(..., help="The unlabelled pool: files, folders, JSONL."),
    n: int = typer.Option(20, "--n", "-n", help="Batch size: how many documents to pick."),
    strategy: Strategy = typer.Option("mixed", help="How to pick the documents."),
    output: Path = typer.Option(..., "--out", help="JSONL of the picked documents (ranked)."),
    exclude: list[Path] | None = typer.Option(
        None, help="Corpus files/folders whose documents (by id or text) are not picked."
    ),
    model: str | None = ModelOption,
    seed: int = typer.Option(0, help="Seed of the random strategy."),
    text_field: str = typer.Option("text", help="Text field of JSONL/Parquet records."),
    id_field: str = typer.Option("id", help="Id field of JSONL/Parquet records."),
) -> None:
    """Pick the next documents to annotate: uncertain and diverse."""
    documents = _pool(inputs, text_field, id_field)
    if exclude:
        try:
            known = load_documents(exclude)
        except CorpusError as e:
            raise fail(str(e)) from None
        ids, texts = {d.id for d in known}, {d.text for d in known}
        documents = [d for d in documents if d.id not in ids and d.text not in texts]
    if not documents:
        raise fail("the pool has no document left to select")
    from racereport.annotate.select import select
    from racereport.annotate.tasks import pre_annotate

    nlp = load_pipeline(model)
    try:
        picked = select(list(pre_annotate(nlp, documents)), n, strategy.value, seed=seed)
    except ValueError as e:
        raise fail(str(e)) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as f:
        for item in picked:
            record = item.task.document.to_dict()
            record["entities"], record["relations"] = [], []
            record["selection"] = {
                "rank": item.rank,
                "strategy": strategy.value,
                "uncertainty": item.uncertainty,
                "least_margin": item.least_margin,
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    table = Table(title=f"{len(picked)} of {len(documents)} documents ({strategy.value})")
    for column in ("rank", "id", "uncertainty", "least margin"):
        table.add_column(column, justify="left" if column == "id" else "right")
    for item in picked:
        table.add_row(
            str(item.rank),
            item.task.document.id,
            f"{item.uncertainty:.3f}",
            f"{item.least_margin:.3f}",
        )
    out.print(table)
    out.print(f"written to {output}")


@app.command(name="agreement")
def agreement_(
    a: list[Path] = typer.Argument(..., help="Annotation set A (corpus JSONL file or folder)."),
    b: Path = typer.Argument(..., help="Annotation set B (corpus JSONL file or folder)."),
    output: Path | None = typer.Option(None, help="Write the agreement as JSON here."),
) -> None:
    """Inter-annotator agreement: per-label entity F1 and relation F1 between A and B."""
    from racereport.annotate.agreement import AgreementError, agreement

    try:
        result = agreement(load_documents(a), load_documents([b]))
    except (CorpusError, AgreementError) as e:
        raise fail(str(e)) from None
    data = result.to_dict()
    if output is not None:
        output.write_text(json.dumps(data, indent=2) + "\n")
    table = Table(title=f"agreement on {result.shared} shared documents", title_justify="left")
    for column in ("", "P (B vs A)", "R", "F1", "in A"):
        table.add_column(column, justify="left" if not column else "right")
    rows = [
        *data["entities_per_label"].items(),
        ("entities", data["entities"]),
        *data["relations_per_label"].items(),
        ("relations", data["relations"]),
    ]
    for label, s in rows:
        table.add_row(label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", str(s["support"]))
    out.print(table)
    out.print(
        f"incident types agree on {data['incident_type_agreement']:.3f} of "
        f"{data['incidents_both_marked']} incidents marked by both"
    )
    for name, ids in (("A", result.only_a), ("B", result.only_b)):
        if ids:
            out.print(f"only in {name} (not compared): {', '.join(ids)}")


@app.command()
def compare(
    before: Path = typer.Argument(
        ..., help="Evaluation JSON before (racereport evaluate --output)."
    ),
    after: Path = typer.Argument(..., help="Evaluation JSON after."),
) -> None:
    """Before/after scores side by side."""
    try:
        rows = compare_reports(json.loads(before.read_text()), json.loads(after.read_text()))
    except (OSError, json.JSONDecodeError) as e:
        raise fail(str(e)) from None
    table = Table()
    for column in ("metric", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for row in rows:
        table.add_row(
            row.metric,
            "-" if row.before is None else f"{row.before:.3f}",
            "-" if row.after is None else f"{row.after:.3f}",
            "-" if row.delta is None else f"{row.delta:+.3f}",
        )
    out.print(table)


@app.command()
def push(
    tasks_file: Path = typer.Argument(
        ..., help="tasks.json written by 'annotate export --tool labelstudio'."
    ),
    title: str = typer.Option(..., help="Title of the Label Studio project to create."),
    url: str = UrlOption,
    token: str = TokenOption,
) -> None:
    """Create a Label Studio project with the labeling config and import the tasks."""
    from racereport.annotate.labelstudio import labeling_config

    try:
        tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
        client = LabelStudio(url, token)
        project = client.create_project(title, labeling_config())
        count = client.import_tasks(project, tasks)
    except (OSError, json.JSONDecodeError, LabelStudioError) as e:
        raise fail(str(e)) from None
    out.print(f"project {project} at {url}/projects/{project}: {count} tasks imported")


@app.command()
def pull(
    project: int = typer.Argument(..., help="Label Studio project id."),
    into: Path = typer.Option(..., help="Corpus JSONL file to write (merged by document id)."),
    annotator: str | None = typer.Option(None, help="Import only this annotator's annotations."),
    url: str = UrlOption,
    token: str = TokenOption,
    keep: Path | None = typer.Option(None, help="Also keep the raw export JSON here."),
) -> None:
    """Export a Label Studio project through its API and import it into the corpus."""
    from racereport.annotate.importer import ImportFailed, import_annotations

    try:
        client = LabelStudio(url, token)
        exported, users = client.export(project), client.users()
    except LabelStudioError as e:
        raise fail(str(e)) from None
    raw = keep or into.with_name(f".labelstudio-{project}.json")
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    try:
        imported = import_annotations(raw, "labelstudio", into, annotator, users)
    except ImportFailed as e:
        for problem in e.problems:
            err.print(problem, highlight=False, markup=False)
        raise fail(f"nothing written to {into}: {len(e.problems)} problem(s)") from None
    finally:
        if keep is None:
            raw.unlink(missing_ok=True)
    _report(imported, into, annotator)


__all__ = ["app"]
