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


def _per_label(before: Mapping[str, Any], after: Mapping[str, Any], key: str) -> list:
    labels = dict.fromkeys([*before.get(key, {}), *after.get(key, {})])
    return [
        ScoreChange(f"  {label} F1", _f(before, key, label, "f"), _f(after, key, label, "f"))
        for label in labels
    ]


def compare_reports(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[ScoreChange]:
    """The headline metrics and every per-label F1 of two evaluation reports."""

    def change(metric: str, *path: str) -> ScoreChange:
        return ScoreChange(metric, _f(before, *path), _f(after, *path))

    rows = [
        change("entities micro F1", "ents_micro", "f"),
        *_per_label(before, after, "ents_per_label"),
        change("incident detection F1", "incident_detection", "f"),
        change("incident type accuracy", "incident_type_accuracy"),
        change("relations micro F1 (end to end)", "relations_micro", "f"),
        *_per_label(before, after, "relations_per_label"),
        change("relations micro F1 (gold entities)", "relations_gold_entities", "micro", "f"),
    ]
    return [r for r in rows if r.before is not None or r.after is not None]
