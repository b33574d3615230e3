"""Build the German base-model data from ``shared/data/german_ner``.

Train and dev come from GermEval 2014 (dev + test files) and SmartData v1 (train +
test files), split by document with a fixed seed; the Universal NER German PUD
test set, a different source, is held out whole as the base test set.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from racereport.base.readers import read_germeval, read_smartdata, read_uner
from racereport.corpus.build import sha256_file
from racereport.tokenizer import blank

SOURCES = {
    "germeval": ("germeval2014/NER-de-dev.tsv", "germeval2014/NER-de-test.tsv"),
    "smartdata": ("smartdata/v1_20180119/train.json.gz", "smartdata/v1_20180119/test.json.gz"),
    "uner": ("uner_german_pud/de_pud-ud-test.iob2",),
}


def build_base_data(
    data_dir: str | Path, out_dir: str | Path, seed: int = 2026, dev: float = 0.1
) -> dict[str, Any]:
    """Write ``train.spacy``, ``dev.spacy`` and ``test.spacy`` and a manifest; return it."""
    data = Path(data_dir)
    missing = [p for paths in SOURCES.values() for p in paths if not (data / p).exists()]
    if missing:
        raise FileNotFoundError(
            f"{data}: missing {', '.join(missing)}; pass the folder that holds "
            "germeval2014/, smartdata/ and uner_german_pud/ (../shared/data/german_ner)"
        )
    nlp = blank("de")
    pool: list[Doc] = []
    for rel in SOURCES["germeval"]:
        pool.extend(read_germeval(nlp, data / rel))
    for rel in SOURCES["smartdata"]:
        pool.extend(read_smartdata(nlp, data / rel))
    test = [doc for rel in SOURCES["uner"] for doc in read_uner(nlp, data / rel)]
    random.Random(seed).shuffle(pool)
    n_dev = int(len(pool) * dev)
    splits = {"train": pool[n_dev:], "dev": pool[:n_dev], "test": test}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "seed": seed,
        "sources": {rel: sha256_file(data / rel) for paths in SOURCES.values() for rel in paths},
        "splits": {},
    }
    for name, docs in splits.items():
        target = out / f"{name}.spacy"
        DocBin(docs=docs, attrs=["ORTH", "ENT_IOB", "ENT_TYPE"]).to_disk(target)
        manifest["splits"][name] = {
            "path": str(target),
            "documents": len(docs),
            "words": sum(len(d) for d in docs),
            "entities": sum(len(d.ents) for d in docs),
            "sha256": sha256_file(target),
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
