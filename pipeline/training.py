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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Example
from thinc.api import Config

from racereport.base.build import build_base_data
from racereport.bundled import display_path
from racereport.corpus.build import build_docbins, select_transfer, sha256_file
from racereport.corpus.docbin import document_to_doc, to_docbin
from racereport.corpus.jsonl import corpus_files, load_documents
from racereport.corpus.split import default_heldout, split_documents
from racereport.corpus.standoff import load_real_text
from racereport.data_sources import licence_meta, licence_note, sources_of
from racereport.evaluation import (
    evaluation_report,
    gold_entity_docs,
    has_relations,
    long_article_reports,
    real_text_reports,
)
from racereport.records import Document
from racereport.tokenizer import blank

logger = logging.getLogger(__name__)


def _train(config: Path, output: Path, overrides: dict[str, Any]) -> Path:
    logger.info("training %s -> %s", config, output)
    spacy_train(config, output, overrides=overrides)
    return output / "model-best"


def config_lang(config: Path) -> str:
    """The language a training config builds (``[nlp] lang``)."""
    return str(Config().from_disk(config, interpolate=False)["nlp"]["lang"])


def train_on_documents(
    config: Path,
    train: Sequence[Document],
    dev: Sequence[Document],
    output: Path,
    overrides: dict[str, Any] | None = None,
) -> Path:
    """Train ``config`` on documents held in memory (written as ``.spacy`` files under
    ``output``); returns the best model's path. For experiments: learning curves and
    the annotation loop's retraining."""
    output.mkdir(parents=True, exist_ok=True)
    nlp = blank(config_lang(config))
    to_docbin(nlp, train).to_disk(output / "train.spacy")
    to_docbin(nlp, dev).to_disk(output / "dev.spacy")
    settings = {
        "paths.train": str(output / "train.spacy"),
        "paths.dev": str(output / "dev.spacy"),
        **(overrides or {}),
    }
    return _train(config, output, settings)


def package_meta(lang: str) -> dict[str, Any]:
    """Name, version, description and requirements of a packaged pipeline: it needs the
    ``racereport`` distribution (its factories, architectures and tokenizer)."""
    from racereport import __version__

    return {
        "name": "racereport",
        "version": __version__,
        "description": f"racereport motorsport pipeline ({lang}): entities, incidents, "
        "relations and event graphs of race reports",
        "requirements": [f"racereport>={__version__}"],
    }


def _package(model: Path, package: Path, extra: dict[str, Any]) -> None:
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(model, package)
    meta_path = package / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(package_meta(meta["lang"]))
    config_text = (package / "config.cfg").read_text()
    base = Config().from_str(config_text, interpolate=False).get("paths", {}).get("base")
    trained_on = extra.get("data", {}).get("sources", {})
    meta.update(licence_meta(sources_of(config_text, trained_on, Path(base) if base else None)))
    meta["racereport"] = extra
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    logger.info("packaged %s -> %s", model, package)


def train_motorsport(
    config: Path,
    output: Path,
    corpus: list[Path],
    data_dir: Path | None = None,
    package: Path | None = None,
    overrides: dict[str, Any] | None = None,
    transfer: list[Path] | None = None,
    heldout: Sequence[Path] | None = None,
    real_text: Path | None = None,
) -> dict[str, Any]:
    """Train the motorsport pipeline for the language of ``config`` (``[nlp] lang``) on
    that language's documents of ``corpus`` and return its test-split evaluation (and
    the long-article one, see :func:`finish_motorsport`). The ``.spacy`` files go to
    ``data_dir`` (default ``corpus/spacy``, ``corpus/spacy/LANG`` for languages other
    than German). ``heldout`` defaults to ``corpus/heldout/LANG`` where it exists. With
    ``real_text`` (the folder of the dataset ``corpus/real/LANG`` annotates) the real
    text is scored too (``real_text`` and ``other_text`` in the report)."""
    lang = config_lang(config)
    real = load_real_text(real_text, lang) if real_text is not None else ([], [])
    if data_dir is None:
        data_dir = Path("corpus/spacy") if lang == "de" else Path("corpus/spacy") / lang
    if heldout is None:
        heldout = default_heldout(lang)
    manifest = build_docbins(corpus, data_dir, lang=lang, transfer=transfer or (), heldout=heldout)
    settings = {
        "paths.train": manifest["splits"]["train"]["path"],
        "paths.dev": manifest["splits"]["dev"]["path"],
        **(overrides or {}),
    }
    best = _train(config, output, settings)
    return finish_motorsport(
        best, config, output, corpus, manifest, settings, package, heldout=heldout, real=real
    )


def train_series_held_out(
    config: Path,
    output: Path,
    corpus: list[Path],
    series: str,
    heldout: Sequence[Path] = (),
    overrides: dict[str, Any] | None = None,
    transfer: Sequence[Path] = (),
) -> dict[str, Any]:
    """Train without any document of ``series`` (in train and dev) and score on all of
    that series' documents: those of ``corpus`` and those of the ``heldout`` set.
    ``transfer``: corpora in other languages added to the training part as
    ``racereport train --transfer`` adds them, less every document of ``series`` (and
    those dated like a scored or dev document). Returns the report with ``series`` and
    the document counts."""
    lang = config_lang(config)
    docs = [d for d in load_documents(corpus) if d.lang == lang]
    splits = split_documents(docs)
    test = [d for d in docs + load_documents(heldout) if d.series == series]
    if not test:
        raise ValueError(f"no '{lang}' documents of series '{series}'")
    train = [d for d in splits["train"] if d.series != series]
    dev = [d for d in splits["dev"] if d.series != series]
    extra: list[Document] = []
    if transfer:
        others = [d for d in load_documents(transfer) if d.series != series]
        extra = select_transfer(others, lang, test + dev, blank(lang).tokenizer)[0]
    best = train_on_documents(config, train + extra, dev, output, overrides)
    nlp = spacy.load(best)
    if has_relations(nlp):
        tune_relation_thresholds(nlp, dev)
    report = evaluation_report(nlp, test, train=train)
    report["series"] = series
    report["train_documents"] = len(train)
    report["transfer_documents"] = len(extra)
    (output / "series_scores.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def finish_motorsport(
    best: Path,
    config: Path,
    output: Path,
    corpus: list[Path],
    manifest: dict[str, Any],
    settings: dict[str, Any],
    package: Path | None = None,
    heldout: Sequence[Path] = (),
    real: tuple[Sequence[Document], Sequence[Document]] = ((), ()),
) -> dict[str, Any]:
    """After ``spacy train``: tune the relation thresholds on the dev split (saved as
    ``output/model-tuned``), score on the test split (entities, relations end to end and
    with gold entities), on the ``heldout`` long-article test set (never trained or
    tuned on; its file hashes go into the meta) and on ``real`` (annotated real text and
    text about other things, see :func:`racereport.evaluation.real_text_reports`), write
    ``output/test_scores.json``, optionally package. Returns the test-split report, with
    the held-out one under ``heldout_long`` where there is one."""
    docs = [d for d in load_documents(corpus) if d.lang == manifest["lang"]]
    splits = split_documents(docs, manifest["seed"])
    nlp = spacy.load(best)
    if has_relations(nlp):
        thresholds = tune_relation_thresholds(nlp, splits["dev"])
        logger.info("relation thresholds tuned on the dev split: %s", thresholds)
        best = output / "model-tuned"
        nlp.to_disk(best)
    report = evaluation_report(nlp, splits["test"], train=splits["train"])
    heldout_files = corpus_files(heldout)
    heldout_docs = [d for d in load_documents(heldout_files) if d.lang == manifest["lang"]]
    report.update(long_article_reports(nlp, heldout_docs, splits["train"]))
    report.update(real_text_reports(nlp, real[0], real[1], splits["train"]))
    (output / "test_scores.json").write_text(json.dumps(report, indent=2) + "\n")
    if package is not None:
        resolved = Config().from_disk(config, overrides=settings, interpolate=True)
        seed = resolved["training"]["seed"]
        background = background_provenance(resolved)
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
                    **({"transfer": manifest["transfer"]} if "transfer" in manifest else {}),
                    **({"background": background} if background else {}),
                    **(
                        {
                            "real_text": {
                                "documents": len(real[0]),
                                "other_text_documents": len(real[1]),
                            }
                        }
                        if real[0]
                        else {}
                    ),
                    **(
                        {
                            "heldout_long": {
                                "documents": len(heldout_docs),
                                "sources": {display_path(f): sha256_file(f) for f in heldout_files},
                            }
                        }
                        if heldout_docs
                        else {}
                    ),
                },
            },
        )
    return report


def background_provenance(config: Config) -> dict[str, Any] | None:
    """What a config's background text reader (``race.CorpusWithBackground.v1``) reads:
    the file and its hash, share and name mode; None where it reads none."""
    reader = config.get("corpora", {}).get("train", {})
    path = reader.get("background")
    if reader.get("@readers") != "race.CorpusWithBackground.v1" or not path:
        return None
    return {
        "source": display_path(Path(path)),
        "sha256": sha256_file(Path(path)),
        "license": licence_note("smartdata"),
        "share": reader.get("share"),
        "names": reader.get("names", "outside"),
    }


def tune_relation_thresholds(nlp: Language, docs: Sequence[Document]) -> dict[str, float]:
    """Set the relation extractor's per-type thresholds from ``docs`` (with gold entities;
    see ``choose_threshold`` in the relation extractor); returns them."""
    rel = nlp.get_pipe("relation_extractor")
    references = [document_to_doc(nlp, d) for d in docs]
    predicted = gold_entity_docs(nlp, docs, until="relation_extractor")
    examples = [Example(p, r) for p, r in zip(predicted, references, strict=True)]
    return rel.tune_thresholds(examples)  # type: ignore[attr-defined]


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
