"""Score the fold models of a cross-validation run with and without name propagation.

    python scripts/crossval.py --out training/crossval --recipe base --fold 0 --fold 1 --fold 2
    python scripts/propagation_cv.py --out training/crossval --recipe base

``name_propagation`` is not trained, so its effect can be measured on models already
trained: each fold's ``OUT/RECIPE-FOLD/model-best`` scores the fold's documents (the
same as :mod:`crossval` scored: give the same ``--corpus`` and ``--train-only``) once
without the component and once with it after the NER (its config's settings, or
``--labels`` / ``--no-surnames``). Prints entity P/R/F1, incident F1, relations and
unseen-name recall per fold and the mean, and writes ``OUT/propagation_RECIPE.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import spacy
from crossval import fold_of, fold_pool
from spacy.language import Language

from racereport.corpus.jsonl import CorpusError, load_documents
from racereport.evaluation import evaluation_report

COMPONENT = "name_propagation"
KEYS = ("p", "r", "f", "incident", "relations", "unseen")


def _pipeline(model: Path, propagate: bool, config: dict[str, Any]) -> Language:
    nlp = spacy.load(model, exclude=[COMPONENT])
    if propagate:
        nlp.add_pipe("racereport_name_propagation", name=COMPONENT, after="ner", config=config)
    return nlp


def _scores(report: dict[str, Any]) -> dict[str, float]:
    ents = report["ents_micro"]
    return {
        "p": ents["p"],
        "r": ents["r"],
        "f": ents["f"],
        "incident": report["incident_detection"]["f"],
        "relations": report["relations_micro"]["f"],
        "unseen": report["unseen_names"]["recall"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--lang", default="de")
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--train-only", type=Path, action="append", default=[])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--labels", nargs="+")
    parser.add_argument("--no-surnames", action="store_true")
    args = parser.parse_args()
    config: dict[str, Any] = {"surnames": not args.no_surnames}
    if args.labels:
        config["labels"] = args.labels
    try:
        corpus = load_documents(args.corpus or [Path(f"corpus/{args.lang}")])
        added_docs = load_documents(args.train_only)
    except CorpusError as e:
        parser.error(str(e))
    pool, train_only, _ = fold_pool(corpus, added_docs, args.lang)
    results: dict[str, list[dict[str, float]]] = {"without": [], "with": []}
    for k in range(args.folds):
        model = args.out / f"{args.recipe}-{k}" / "model-best"
        if not model.is_dir():
            parser.error(f"{model} not found: run scripts/crossval.py --fold {k} first")
        scored = [d for d in pool if fold_of(d, args.folds) == k]
        train = [d for d in pool if fold_of(d, args.folds) != k] + train_only
        for arm, propagate in (("without", False), ("with", True)):
            nlp = _pipeline(model, propagate, config)
            scores = _scores(evaluation_report(nlp, scored, train=train))
            results[arm].append(scores)
            print(arm, k, " ".join(f"{key} {scores[key]:.4f}" for key in KEYS), flush=True)  # noqa: T201
    for arm, rows in results.items():
        mean = {key: round(sum(row[key] for row in rows) / len(rows), 4) for key in KEYS}
        print(arm, "mean", " ".join(f"{key} {mean[key]:.4f}" for key in KEYS))  # noqa: T201
    out = args.out / f"propagation_{args.recipe}.json"
    out.write_text(json.dumps({"config": config, **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
