"""``racereport base ...``: the project's own German base model."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from racereport.bundled import SOURCE_ROOT

app = typer.Typer(
    help="Build data for and train the project's German base model.", no_args_is_help=True
)
out = Console(soft_wrap=True)

DataOption = typer.Option(
    SOURCE_ROOT.parent / "shared" / "data" / "german_ner",
    help="Folder with germeval2014/, smartdata/, uner_german_pud/.",
)


@app.command()
def data(
    data_dir: Path = DataOption,
    out_dir: Path = typer.Option(Path("corpus/base"), "--out", help="Output folder."),
) -> None:
    """Convert the German NER corpora to train/dev/test .spacy files with a manifest."""
    from racereport.base.build import build_base_data

    manifest = build_base_data(data_dir, out_dir)
    for name, info in manifest["splits"].items():
        out.print(
            f"{name}: {info['documents']} documents, {info['words']} words, "
            f"{info['entities']} entities -> {info['path']}"
        )


@app.command()
def train(
    data_dir: Path = DataOption,
    config: Path = typer.Option(
        SOURCE_ROOT / "models" / "configs" / "base_de.cfg", help="Base config."
    ),
    output: Path = typer.Option(Path("training/base"), help="spaCy training output."),
    package: Path | None = typer.Option(Path("models/base-de"), help="Copy the best model here."),
) -> None:
    """Train the German base and score it on the held-out Universal NER test set."""
    from racereport.training import train_base

    report = train_base(config, data_dir, output, package=package)
    out.print_json(json.dumps(report))
