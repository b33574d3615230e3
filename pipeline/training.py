"""Train, evaluate and package pipelines: the motorsport pipeline and the German base.

Both follow the same steps: build the data (with SHA-256 hashes of sources and
outputs), run ``spacy train`` on a config from ``models/configs``, score the best
model on the held-out test split, and optionally copy it to a package folder whose
``meta.json`` records the test scores, the data hashes, the config and the seed.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin
from spacy.training import Example
from thinc.api import Config

from pipeline.base.build import build_base_data
from pipeline.corpus.build import build_docbins
from pipeline.corpus.jsonl import load_documents
from pipeline.corpus.split import split_documents
from pipeline.evaluation import evaluate

logger = logging.getLogger(__name__)


def _train(config: Path, output: Path, overrides: dict[str, Any]) -> Path:
    logger.info("training %s -> %s", config, output)
    spacy_train(config, output, overrides=overrides)
    return output / "model-best"


def _package(model: Path, package: Path, extra: dict[str, Any]) -> None:
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(model, package)
    meta_path = package / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["racereport"] = extra
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    logger.info("packaged %s -> %s", model, package)


def train_motorsport(
    config: Path,
    output: Path,
    corpus: list[Path],
    data_dir: Path = Path("corpus/spacy"),
    package: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train the motorsport pipeline and return its test-split evaluation."""
    manifest = build_docbins(corpus, data_dir)
    settings = {
        "paths.train": manifest["splits"]["train"]["path"],
        "paths.dev": manifest["splits"]["dev"]["path"],
        **(overrides or {}),
    }
    best = _train(config, output, settings)
    test_docs = split_documents(load_documents(corpus), manifest["seed"])["test"]
    report = evaluate(spacy.load(best), test_docs).to_dict()
    (output / "test_scores.json").write_text(json.dumps(report, indent=2) + "\n")
    if package is not None:
        seed = Config().from_disk(config, overrides=settings, interpolate=True)["training"]["seed"]
        _package(
            best,
            package,
            {
                "test": report,
                "config": str(config),
                "seed": seed,
                "data": {
                    "sources": manifest["sources"],
                    "split_seed": manifest["seed"],
                    "splits": {
                        k: {"documents": v["documents"], "sha256": v["sha256"]}
                        for k, v in manifest["splits"].items()
                    },
                },
            },
        )
    return report


def evaluate_base(model: Path | str, test_path: Path) -> dict[str, Any]:
    """Scores of a base model on a ``.spacy`` file (spaCy's scorer: ents P/R/F per type)."""
    nlp = spacy.load(model)
    gold = list(DocBin().from_disk(test_path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
    scores = nlp.evaluate(examples)
    return {key: scores[key] for key in ("ents_p", "ents_r", "ents_f", "ents_per_type")}


def train_base(
    config: Path,
    data: Path,
    output: Path,
    data_dir: Path = Path("corpus/base"),
    package: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train the German base model and return its scores on the held-out test set."""
    manifest = build_base_data(data, data_dir)
    settings = {
        "paths.train": manifest["splits"]["train"]["path"],
        "paths.dev": manifest["splits"]["dev"]["path"],
        **(overrides or {}),
    }
    best = _train(config, output, settings)
    report = evaluate_base(best, Path(manifest["splits"]["test"]["path"]))
    (output / "test_scores.json").write_text(json.dumps(report, indent=2) + "\n")
    if package is not None:
        _package(best, package, {"test": report, "config": str(config), "data": manifest})
    return report
