"""Inter-annotator agreement between two annotation sets of the same documents.

Documents are matched by id (texts must be equal). Entity agreement is F1 on exact
spans and labels per label (symmetric: A's spans against B's); incident types are
compared on incidents both marked on the same span; relation agreement is F1 on
(head span, tail span, type). Cohen's kappa is not used: the items (spans) are not
fixed in advance, which is why span-level F1 is the usual measure for NER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from racereport.evaluation import EvaluationReport, score_documents
from racereport.records import Document


class AgreementError(ValueError):
    """The two sets cannot be compared (no shared documents, different texts)."""


@dataclass
class Agreement:
    """Agreement of two annotation sets on the documents they share."""

    shared: int
    only_a: list[str]
    only_b: list[str]
    report: EvaluationReport

    def to_dict(self) -> dict[str, Any]:
        """JSON form: per-label entity F1, incident types, relations."""
        r = self.report.to_dict()
        return {
            "documents": self.shared,
            "only_in_a": self.only_a,
            "only_in_b": self.only_b,
            "entities": r["ents_micro"],
            "entities_per_label": r["ents_per_label"],
            "incident_type_agreement": r["incident_type_accuracy"],
            "incidents_both_marked": r["incident_type_support"],
            "relations": r["relations_micro"],
            "relations_per_label": r["relations_per_label"],
        }


def agreement(a: Sequence[Document], b: Sequence[Document]) -> Agreement:
    """Compare two annotation sets (``a`` is the reference for P and R; F1 is symmetric)."""
    by_id_b = {d.id: d for d in b}
    ids_a = {d.id for d in a}
    pairs = [(d, by_id_b[d.id]) for d in a if d.id in by_id_b]
    if not pairs:
        raise AgreementError("the two sets share no document id")
    for doc_a, doc_b in pairs:
        if doc_a.text != doc_b.text:
            raise AgreementError(f"[{doc_a.id}] the two sets have different texts")
    report = score_documents([p[0] for p in pairs], [p[1] for p in pairs], relations=True)
    return Agreement(
        shared=len(pairs),
        only_a=sorted(ids_a - by_id_b.keys()),
        only_b=sorted(by_id_b.keys() - ids_a),
        report=report,
    )
