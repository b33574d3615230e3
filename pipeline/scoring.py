"""Counts and relation triples that scoring shares: the components' registered scorers
and :mod:`racereport.evaluation` (which scores whole corpora) both read them."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

RelationTriple = tuple[tuple[int, int], tuple[int, int], str]
"""A relation on character offsets: ``((head_start, head_end), (tail_start, tail_end), type)``."""


@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        """Precision (0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        """Recall (0 when there is no gold item)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        """F1."""
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """Rounded scores and support (number of gold items)."""
        return {
            "p": round(self.p, 4),
            "r": round(self.r, 4),
            "f": round(self.f, 4),
            "support": self.tp + self.fn,
        }


def relation_triples(doc: Doc) -> set[RelationTriple]:
    """The relations of a spaCy ``Doc`` (``doc._.racereport_relations``) on character offsets."""
    ids = doc._.racereport_entity_ids or []
    spans = {i: (e.start_char, e.end_char) for i, e in zip(ids, doc.ents, strict=False)}
    return {
        (spans[r["head"]], spans[r["tail"]], r["label"])
        for r in doc._.racereport_relations or []
        if r["head"] in spans and r["tail"] in spans
    }
