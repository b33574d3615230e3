"""Learning curve: scores on the fixed test split when training on growing parts of the
training split (the dev and test splits stay the same)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy

from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import DEFAULT_SEED, split_documents
from racereport.evaluation import evaluate
from racereport.training import train_on_documents


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
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for fraction in fractions:
            n = max(1, round(len(splits["train"]) * fraction))
            model = train_on_documents(
                config, splits["train"][:n], splits["dev"], root / f"model-{n}", overrides
            )
            report = evaluate(spacy.load(model), splits["test"]).to_dict()
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
