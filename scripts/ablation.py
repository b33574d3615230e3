"""Measure the levers of the German pipeline alone and together, with several seeds.

    python scripts/ablation.py --corpus corpus/de --out training/ablation \
        --config base=models/configs/motorsport_base.cfg \
        --config wordfreq=models/configs/motorsport_wordfreq.cfg --seed 2026 --seed 1

Each config is trained once per seed on the same corpus (``racereport train``'s steps:
build the splits, train, tune the relation thresholds on the dev split) and scored on
the random test split and the long-article test set (``corpus/heldout/de``), with the
relation extractor's constrained decoding on and off (the same trained model). Writes
``OUT/ablation.json`` and prints one line per run. Slow: one training run per config
and seed; ``--rescore`` scores the models already in OUT again (after the test sets
grew).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy

from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import default_heldout, split_documents
from racereport.evaluation import evaluation_report
from racereport.training import train_motorsport


def _summary(report: dict) -> dict:
    return {
        "documents": report["documents"],
        "ents_f": report["ents_micro"]["f"],
        "ents_overlap_f": report["ents_micro_overlap"]["f"],
        "incident_f": report["incident_detection"]["f"],
        "type_accuracy": report["incident_type_accuracy"],
        "relations_f": report.get("relations_micro", {}).get("f"),
        "unseen_recall": report.get("unseen_names", {}).get("recall"),
        "common_words_rate": report["common_words"]["rate"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus/de"))
    parser.add_argument("--out", type=Path, default=Path("training/ablation"))
    parser.add_argument("--config", action="append", required=True, help="NAME=PATH")
    parser.add_argument("--seed", type=int, action="append", required=True)
    parser.add_argument(
        "--rescore", action="store_true", help="Score the runs already trained in OUT again."
    )
    args = parser.parse_args()
    heldout = load_documents(default_heldout("de"))
    docs = load_documents([args.corpus])
    splits = split_documents(docs)
    results = {}
    for item in args.config:
        name, config = item.split("=", 1)
        for seed in args.seed:
            run = f"{name}-s{seed}"
            output = args.out / run
            if not args.rescore:
                train_motorsport(
                    Path(config),
                    output,
                    [args.corpus],
                    data_dir=args.out / "data",
                    overrides={"system.seed": seed},
                    heldout=[],
                )
            nlp = spacy.load(output / "model-tuned")
            row = {}
            for constrained in (True, False):
                nlp.get_pipe("relation_extractor").cfg["constrained"] = constrained
                key = "constrained" if constrained else "unconstrained"
                row[key] = {
                    "test": _summary(evaluation_report(nlp, splits["test"], splits["train"])),
                    "long": _summary(evaluation_report(nlp, heldout, splits["train"])),
                }
            results[run] = row
            print(run, json.dumps(row), flush=True)  # noqa: T201
            (args.out / "ablation.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
