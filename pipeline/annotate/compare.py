"""Before/after scores side by side: two evaluation reports (``racereport evaluate
--output``), e.g. before and after retraining on newly annotated documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScoreChange:
    """One metric before and after."""

    metric: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """``after - before`` where both exist."""
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 4)


def _f(report: Mapping[str, Any], *path: str) -> float | None:
    value: Any = report
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def compare_reports(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[ScoreChange]:
    """The headline metrics and every per-label F1 of two evaluation reports."""
    rows = [
        ScoreChange(
            "entities micro F1", _f(before, "ents_micro", "f"), _f(after, "ents_micro", "f")
        ),
    ]
    labels = dict.fromkeys([*before.get("ents_per_label", {}), *after.get("ents_per_label", {})])
    rows += [
        ScoreChange(
            f"  {label} F1",
            _f(before, "ents_per_label", label, "f"),
            _f(after, "ents_per_label", label, "f"),
        )
        for label in labels
    ]
    rows += [
        ScoreChange(
            "incident detection F1",
            _f(before, "incident_detection", "f"),
            _f(after, "incident_detection", "f"),
        ),
        ScoreChange(
            "incident type accuracy",
            _f(before, "incident_type_accuracy"),
            _f(after, "incident_type_accuracy"),
        ),
        ScoreChange(
            "relations micro F1 (end to end)",
            _f(before, "relations_micro", "f"),
            _f(after, "relations_micro", "f"),
        ),
    ]
    relations = dict.fromkeys(
        [*before.get("relations_per_label", {}), *after.get("relations_per_label", {})]
    )
    rows += [
        ScoreChange(
            f"  {label} F1",
            _f(before, "relations_per_label", label, "f"),
            _f(after, "relations_per_label", label, "f"),
        )
        for label in relations
    ]
    rows.append(
        ScoreChange(
            "relations micro F1 (gold entities)",
            _f(before, "relations_gold_entities", "micro", "f"),
            _f(after, "relations_gold_entities", "micro", "f"),
        )
    )
    return [r for r in rows if r.before is not None or r.after is not None]
