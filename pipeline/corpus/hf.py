"""The corpus as a Hugging Face ``datasets.Dataset`` with explicit ``Features``.

Entity and relation labels are ``ClassLabel`` features whose names come from
:mod:`racereport.schema`; the incident type is a nullable string (null for every
label but INCIDENT). :func:`to_dataset` and :func:`from_dataset` are inverses.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datasets import ClassLabel, Dataset, DatasetDict, Features, List, Value

from racereport import schema
from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import DEFAULT_DEV, DEFAULT_SEED, DEFAULT_TEST, split_documents
from racereport.records import Document, Entity, Provenance, Relation

ENTITY_LABEL = ClassLabel(names=list(schema.ENTITY_LABELS))
RELATION_LABEL = ClassLabel(names=list(schema.RELATION_LABELS))

FEATURES = Features(
    {
        "id": Value("string"),
        "lang": Value("string"),
        "series": Value("string"),
        "register": Value("string"),
        "date": Value("string"),
        "source": Value("string"),
        "length": Value("string"),
        "text": Value("string"),
        "entities": List(
            {
                "id": Value("string"),
                "start": Value("int32"),
                "end": Value("int32"),
                "label": ENTITY_LABEL,
                "text": Value("string"),
                "type": Value("string"),
            }
        ),
        "relations": List(
            {"head": Value("string"), "tail": Value("string"), "label": RELATION_LABEL}
        ),
        "provenance": List(
            {"annotator": Value("string"), "tool": Value("string"), "date": Value("string")}
        ),
    }
)
"""The corpus schema as ``datasets`` features."""


def _row(doc: Document) -> dict[str, Any]:
    row = doc.to_dict()
    for ent in row["entities"]:
        ent["label"] = ENTITY_LABEL.str2int(ent["label"])
    for rel in row["relations"]:
        rel["label"] = RELATION_LABEL.str2int(rel["label"])
    return row


def to_dataset(docs: Iterable[Document]) -> Dataset:
    """Documents as a ``Dataset`` (labels must be known: validate the corpus first)."""
    return Dataset.from_list([_row(d) for d in docs], features=FEATURES)


def document_from_row(row: dict[str, Any]) -> Document:
    """One ``Dataset`` row back to a :class:`Document`."""
    return Document(
        id=row["id"],
        text=row["text"],
        lang=row["lang"],
        series=row["series"],
        register=row["register"],
        date=row["date"],
        source=row["source"],
        length=row["length"],
        entities=tuple(
            Entity(
                id=e["id"],
                start=e["start"],
                end=e["end"],
                label=ENTITY_LABEL.int2str(e["label"]),
                text=e["text"],
                type=e["type"],
            )
            for e in row["entities"]
        ),
        relations=tuple(
            Relation(head=r["head"], tail=r["tail"], label=RELATION_LABEL.int2str(r["label"]))
            for r in row["relations"]
        ),
        provenance=tuple(Provenance(**p) for p in row["provenance"]),
    )


def from_dataset(dataset: Dataset) -> list[Document]:
    """All rows of a ``Dataset`` with :data:`FEATURES` as documents."""
    return [document_from_row(row) for row in dataset]


def load_corpus(
    paths: Iterable[str | Path],
    seed: int = DEFAULT_SEED,
    dev: float = DEFAULT_DEV,
    test: float = DEFAULT_TEST,
) -> DatasetDict:
    """The corpus files or folders as a ``DatasetDict`` with ``train``, ``dev`` and ``test``."""
    splits = split_documents(load_documents(paths), seed, dev, test)
    return DatasetDict({name: to_dataset(docs) for name, docs in splits.items()})
