"""Compare training recipes by k-fold cross-validation over the train and dev splits.

    python scripts/crossval.py --out training/crossval --fold 0 \
        --recipe plain --recipe transfer=corpus/en,corpus/fr

The dev split (68 German documents) is too small to separate recipes that differ by
0.01-0.03. This pools the train and dev splits (the test split and the long-article
test set stay untouched), cuts them into ``--folds`` folds by a hash of the document
id, and for each requested fold trains every recipe on the other folds and scores it
on this one (entity, incident, relation F1 and unseen-name recall against that
training part). A recipe is ``NAME`` (the config as it is) or ``NAME=CORPUS,...``
(other-language corpora added to the training part, those dated like an evaluated,
test or long-article document left out, as ``racereport train --transfer`` does).
``--train-only FILE`` (same language) adds that file's train and dev documents to the
training part of every fold and scores none of its documents (also where the corpus
folder holds the file), so the folds score the same documents as a run without it and
the effect of adding it is measured on the documents that were there before. The
held-out fold also picks spaCy's best checkpoint, for every recipe alike; relation
thresholds stay at the config's. Writes ``OUT/RECIPE-FOLD/cv_scores.json``; slow: one
training run per recipe and fold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import spacy

from racereport.corpus.build import select_transfer
from racereport.corpus.jsonl import CorpusError, load_documents
from racereport.corpus.split import default_heldout, split_documents
from racereport.evaluation import evaluation_report
from racereport.records import Document
from racereport.tokenizer import blank
from racereport.training import config_lang, train_on_documents


def fold_of(doc: Document, folds: int) -> int:
    """The fold of ``doc``: stable across runs and corpus growth."""
    return int(hashlib.sha256(doc.id.encode("utf-8")).hexdigest(), 16) % folds


def fold_pool(
    corpus: list[Document], added_docs: list[Document], lang: str
) -> tuple[list[Document], list[Document], list[Document]]:
    """``(pool, train_only, test)``: the train and dev documents of ``corpus`` in
    ``lang`` that the folds cut (those of ``added_docs`` left out, never scored), the
    train and dev documents of ``added_docs`` that every fold trains on, and the test
    split."""
    splits = split_documents([d for d in corpus if d.lang == lang])
    added = split_documents([d for d in added_docs if d.lang == lang])
    never_scored = {d.id for d in added_docs}
    pool = [d for d in splits["train"] + splits["dev"] if d.id not in never_scored]
    return pool, added["train"] + added["dev"], splits["test"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--config", type=Path, default=Path("models/configs/motorsport_distilled.cfg")
    )
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--train-only", type=Path, action="append", default=[])
    parser.add_argument("--recipe", action="append", required=True)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--fold", type=int, action="append", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    lang = config_lang(args.config)
    try:
        corpus = load_documents(args.corpus or [Path(f"corpus/{lang}")])
        added_docs = load_documents(args.train_only)
    except CorpusError as e:
        parser.error(str(e))  # exits 2 with the file and the problem
    pool, train_only, test = fold_pool(corpus, added_docs, lang)
    heldout = load_documents(default_heldout(lang))
    tokenizer = blank(lang).tokenizer
    recipes = []  # (recipe, name, other-language documents it adds: read once, filtered per fold)
    for recipe in args.recipe:
        name, _, corpora = recipe.partition("=")
        transfer = load_documents([Path(p) for p in corpora.split(",")]) if corpora else []
        recipes.append((recipe, name, transfer))
    for k in args.fold:
        scored = [d for d in pool if fold_of(d, args.folds) == k]
        own = [d for d in pool if fold_of(d, args.folds) != k]
        for recipe, name, transfer in recipes:
            held_out = scored + test + heldout
            extra = select_transfer(transfer, lang, held_out, tokenizer)[0] if transfer else []
            out = args.out / f"{name}-{k}"
            overrides = {"training.seed": args.seed, "system.seed": args.seed}
            trained = own + train_only + extra
            best = train_on_documents(args.config, trained, scored, out, overrides)
            report = evaluation_report(spacy.load(best), scored, train=own + train_only)
            report.update(recipe=recipe, fold=k, train_documents=len(trained))
            (out / "cv_scores.json").write_text(json.dumps(report, indent=1) + "\n")
            scores = (
                report["ents_micro"]["f"],
                report["incident_detection"]["f"],
                report["relations_micro"]["f"],
                report["unseen_names"]["recall"],
            )
            print(name, k, " / ".join(f"{x:.3f}" for x in scores), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
