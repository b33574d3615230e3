"""Pick the next documents to annotate from an unlabelled pool (active learning).

Each pre-annotated document gets an **uncertainty**: the mean of ``1 - margin`` over
its ``k`` least certain decisions, where an entity span's margin is ``|2p - 1|`` (``p``
its beam probability; 0 when the beam is split evenly) and a relation candidate's
margin is its score's distance from the type's threshold, scaled to [0, 1]. Strategies:

- ``uncertainty``: the highest uncertainty first;
- ``diversity``: greedy k-center over the documents' mean token vectors (each pick is
  the document farthest from those already picked), starting from the most uncertain;
- ``mixed`` (default): k-center among the ``pool_factor * n`` most uncertain documents,
  so the batch is both uncertain and not redundant;
- ``random``: a seeded random sample (the baseline to compare against).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

    from racereport.annotate.tasks import Task

STRATEGIES = ("uncertainty", "diversity", "mixed", "random")


@dataclass(frozen=True)
class Selected:
    """A picked document with its rank and scores."""

    task: Task
    rank: int
    uncertainty: float
    least_margin: float


def margins(task: Task) -> list[float]:
    """The margins of every decision in a task (entity spans and relation candidates)."""
    values = [abs(2 * p - 1) for p in task.entity_candidates]
    for (_, _, label), score in task.relation_scores.items():
        t = task.thresholds.get(label, 0.5)
        span = (1 - t) if score >= t else t
        values.append(min(1.0, abs(score - t) / span) if span > 0 else 1.0)
    return values


def uncertainty(task: Task, k: int = 5) -> float:
    """Mean ``1 - margin`` of the ``k`` least certain decisions (0 with no decisions)."""
    lowest = sorted(margins(task))[:k]
    return math.fsum(1 - m for m in lowest) / len(lowest) if lowest else 0.0


def _k_center(vectors: numpy.ndarray, n: int, first: int) -> list[int]:
    """Greedy k-center: indices of ``n`` rows, each the farthest from those picked."""
    import numpy

    norms = numpy.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / numpy.where(norms == 0, 1, norms)
    picked = [first]
    distance = 1 - unit @ unit[first]
    while len(picked) < min(n, len(unit)):
        distance[picked] = -numpy.inf
        nxt = int(numpy.argmax(distance))
        picked.append(nxt)
        distance = numpy.minimum(distance, 1 - unit @ unit[nxt])
    return picked


def select(
    tasks: Sequence[Task],
    n: int,
    strategy: str = "mixed",
    k: int = 5,
    pool_factor: int = 3,
    seed: int = 0,
) -> list[Selected]:
    """The ``n`` tasks to annotate next, in the order picked."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy '{strategy}' (known: {', '.join(STRATEGIES)})")
    if n < 1:
        raise ValueError(f"batch size must be at least 1, got {n}")
    scores = [uncertainty(t, k) for t in tasks]
    by_uncertainty = sorted(range(len(tasks)), key=lambda i: (-scores[i], tasks[i].document.id))
    if strategy == "uncertainty":
        order = by_uncertainty[:n]
    elif strategy == "random":
        order = random.Random(seed).sample(range(len(tasks)), min(n, len(tasks)))
    else:
        candidates = (
            by_uncertainty if strategy == "diversity" else by_uncertainty[: pool_factor * n]
        )
        if any(tasks[i].vector is None for i in candidates):
            raise ValueError(
                f"strategy '{strategy}' needs document vectors: use a pipeline with a tok2vec"
            )
        import numpy

        vectors = numpy.stack([numpy.asarray(tasks[i].vector, "f") for i in candidates])
        order = [candidates[j] for j in _k_center(vectors, n, first=0)]
    return [
        Selected(
            task=tasks[i],
            rank=rank,
            uncertainty=round(scores[i], 4),
            least_margin=round(min(margins(tasks[i]), default=1.0), 4),
        )
        for rank, i in enumerate(order, start=1)
    ]
