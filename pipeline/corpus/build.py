"""Build the training data: validate, split and write ``train/dev/test.spacy``.

Next to the ``.spacy`` files a ``manifest.json`` records the split parameters,
document counts and SHA-256 hashes of every source file and output, so a
trained model can name exactly the data it saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.tokenizer import Tokenizer

from racereport.bundled import display_path
from racereport.corpus.docbin import to_docbin
from racereport.corpus.jsonl import CorpusError, corpus_files, load_documents
from racereport.corpus.split import DEFAULT_DEV, DEFAULT_SEED, DEFAULT_TEST, split_documents
from racereport.corpus.validate import check_document, validate_paths
from racereport.records import Document
from racereport.tokenizer import blank


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def select_transfer(
    documents: Iterable[Document], lang: str, held_out: Iterable[Document], tokenizer: Tokenizer
) -> tuple[list[Document], int, int]:
    """The documents of ``documents`` in other languages than ``lang`` that may join a
    training split: not dated like any of ``held_out`` (a report of the same event in
    another language would leak it) and aligned with ``tokenizer``. Returns them with
    the numbers left out for the date and for misalignment."""
    dates = {d.date for d in held_out if d.date}
    extra = [d for d in documents if d.lang != lang]
    candidates = [d for d in extra if d.date not in dates]
    aligned = [d for d in candidates if not check_document(d, tokenizer)]
    return aligned, len(extra) - len(candidates), len(candidates) - len(aligned)


def build_docbins(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    lang: str = "de",
    seed: int = DEFAULT_SEED,
    dev: float = DEFAULT_DEV,
    test: float = DEFAULT_TEST,
    transfer: Iterable[str | Path] = (),
    heldout: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """Validate the corpus, split it and write one ``.spacy`` file per split.

    ``transfer``: corpora in other languages whose documents are added to the training
    split only (cross-lingual transfer: the names of drivers, teams and cars are shared
    across languages); they are tokenized with ``lang``'s tokenizer and a document whose
    entities do not align with it is left out. So is every transfer document dated like
    a dev or test document or a document of ``heldout`` (the long-article test set):
    reports of the same event in another language would leak them. Both are counted in
    the manifest. The dev and test splits stay ``lang``'s own.

    Raises :class:`CorpusError` listing the problems if the corpus is invalid.
    Returns the manifest that is also written to ``out_dir/manifest.json``.
    """
    paths = list(paths)
    transfer = list(transfer)
    problems = validate_paths(paths + transfer)
    if problems:
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise CorpusError(f"the corpus has {len(problems)} problem(s):\n{shown}{more}")
    files = corpus_files(paths)
    transfer_files = corpus_files(transfer)
    docs = [d for d in load_documents(files) if d.lang == lang]
    if not docs:
        raise CorpusError(f"no '{lang}' documents in {', '.join(map(str, paths))}")
    nlp = blank(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "lang": lang,
        "seed": seed,
        "fractions": {"dev": dev, "test": test},
        "sources": {display_path(f): sha256_file(f) for f in files},
        "splits": {},
    }
    splits = split_documents(docs, seed, dev, test)
    if transfer_files:
        held_out_docs = splits["dev"] + splits["test"] + load_documents(corpus_files(heldout))
        aligned, parallel, misaligned = select_transfer(
            load_documents(transfer_files), lang, held_out_docs, nlp.tokenizer
        )
        manifest["transfer"] = {
            "sources": {display_path(f): sha256_file(f) for f in transfer_files},
            "documents": len(aligned),
            "left_out_same_date_as_held_out": parallel,
            "left_out_misaligned": misaligned,
        }
        splits["train"] = splits["train"] + aligned
    for name, split_docs in splits.items():
        target = out / f"{name}.spacy"
        _replace_atomically(target, to_docbin(nlp, split_docs).to_disk)
        manifest["splits"][name] = {
            "path": str(target),
            "documents": len(split_docs),
            "entities": sum(len(d.entities) for d in split_docs),
            "relations": sum(len(d.relations) for d in split_docs),
            "sha256": sha256_file(target),
            "ids": [d.id for d in split_docs],
        }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _replace_atomically(out / "manifest.json", lambda path: path.write_text(text))
    return manifest


def _replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write ``target`` through a temporary file next to it and move it into place, so a
    training run reading ``target`` while another run rebuilds the same corpus sees the
    old file or the new one, never half of one."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
