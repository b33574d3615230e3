"""Learning curve: scores on the fixed test split when training on growing parts of the
training split (the dev and test splits stay the same)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train

from pipeline.corpus.docbin import to_docbin
from pipeline.corpus.jsonl import load_documents
from pipeline.corpus.split import DEFAULT_SEED, split_documents
from pipeline.evaluation import evaluate
from pipeline.tokenizer import blank


def learning_curve(
    config: Path,
    corpus: Sequence[Path],
    fractions: Sequence[float] = (0.25, 0.5, 1.0),
    overrides: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Train ``config`` on each fraction of the training documents (in split order) and
    score each model on the test split; one dict per fraction (documents, entity micro
    F1, incident F1, relation F1 end to end where the pipeline has relations)."""
    splits = split_documents(load_documents(list(corpus)), DEFAULT_SEED)
    nlp = blank("de")
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        to_docbin(nlp, splits["dev"]).to_disk(root / "dev.spacy")
        for fraction in fractions:
            n = max(1, round(len(splits["train"]) * fraction))
            to_docbin(nlp, splits["train"][:n]).to_disk(root / f"train-{n}.spacy")
            output = root / f"model-{n}"
            spacy_train(
                config,
                output,
                overrides={
                    "paths.train": str(root / f"train-{n}.spacy"),
                    "paths.dev": str(root / "dev.spacy"),
                    **(overrides or {}),
                },
            )
            report = evaluate(spacy.load(output / "model-best"), splits["test"]).to_dict()
            points.append(
                {
                    "fraction": fraction,
                    "documents": n,
                    "ents_f": report["ents_micro"]["f"],
                    "incident_f": report["incident_detection"]["f"],
                    "relations_f": report.get("relations_micro", {}).get("f"),
                }
            )
    return points
