"""Deterministic train/dev/test split by document.

Each document's split follows from a hash of the seed and its id alone, so the
assignment is reproducible, independent of file order, and stable when the
corpus grows: adding documents never moves an existing one to another split. The
long-article test set (:data:`HELDOUT_ROOT`) is kept apart from all of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from racereport.bundled import SOURCE_ROOT
from racereport.records import Document

SPLITS = ("train", "dev", "test")
HELDOUT_ROOT = SOURCE_ROOT / "corpus" / "heldout"
"""The long-article test sets, one folder per language, outside every training corpus
and every split: never trained or tuned on."""
DEFAULT_SEED = 2026
DEFAULT_DEV = 0.1
DEFAULT_TEST = 0.1

T = TypeVar("T", bound=Document)


def split_of(
    doc_id: str, seed: int = DEFAULT_SEED, dev: float = DEFAULT_DEV, test: float = DEFAULT_TEST
) -> str:
    """``"train"``, ``"dev"`` or ``"test"`` for a document id."""
    if not (dev >= 0 and test >= 0 and dev + test < 1):
        raise ValueError(f"dev ({dev}) and test ({test}) fractions must be >= 0 and sum to < 1")
    digest = hashlib.sha256(f"{seed}:{doc_id}".encode()).digest()
    x = int.from_bytes(digest[:8], "big") / 2**64
    if x < test:
        return "test"
    if x < test + dev:
        return "dev"
    return "train"


def split_documents(
    docs: Iterable[T],
    seed: int = DEFAULT_SEED,
    dev: float = DEFAULT_DEV,
    test: float = DEFAULT_TEST,
) -> dict[str, list[T]]:
    """Documents grouped by split, each group in input order."""
    out: dict[str, list[T]] = {name: [] for name in SPLITS}
    for doc in docs:
        out[split_of(doc.id, seed, dev, test)].append(doc)
    return out


def default_heldout(lang: str) -> list[Path]:
    """``corpus/heldout/LANG`` as a one-item list where it exists, else empty."""
    folder = HELDOUT_ROOT / lang
    return [folder] if folder.is_dir() else []
