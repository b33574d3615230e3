"""Turn relation scores into relations that respect what the schema means.

Thresholding each candidate pair on its own gives relations no report states: an
incident that causes itself (two mentions of one incident, "Der Reifenschaden ...
der Reifenschaden"), CAUSES in both directions between two incidents, a winner who
wins the race and the series named in the same sentence. :func:`decode` thresholds
the scores and then applies these constraints:

- no relation between two INCIDENT mentions with the same text (the same incident);
- CAUSES in one direction per pair: the higher-scoring one;
- per participant and sentence, one WINS target, unless the targets are coordinated
  ("in der [LMP2] und der [ALMS]"): the highest-scoring one and those coordinated
  with a kept one;
- DRIVES_FOR, DRIVES and ENTERED_BY are functional: a driver mention drives for one
  team and one car, a car mention is entered by one team (relations attach to the
  nearest mentions, so a second team or car is a second mention); the highest-scoring
  tail is kept. The annotated corpora hold no exception among 3,240 such heads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy
from spacy.tokens import Doc, Span

from racereport import schema
from racereport.records import mention_key
from racereport.relation_candidates import SpanKey

COORDINATORS = frozenset({",", "und", "sowie", "oder", "and", "or", "et", "ou", "&", "/"})
"""Tokens that coordinate two targets of one relation."""

MAX_COORDINATION_GAP = 4
"""Coordinated targets are at most this many tokens apart."""

_CAUSES = "CAUSES"
_WINS = "WINS"
FUNCTIONAL = ("DRIVES_FOR", "DRIVES", "ENTERED_BY")
"""Relation types with at most one tail per head mention."""


def _coordinated(doc: Doc, a: Span, b: Span) -> bool:
    first, second = (a, b) if a.start <= b.start else (b, a)
    gap = doc[first.end : second.start]
    return len(gap) <= MAX_COORDINATION_GAP and any(t.lower_ in COORDINATORS for t in gap)


def thresholded(
    scores: numpy.ndarray, masks: numpy.ndarray, thresholds: numpy.ndarray
) -> numpy.ndarray:
    """Each pair's types whose score reaches the type's threshold and that its labels
    allow: the relations before any constraint."""
    return (scores >= thresholds) & (masks > 0)


def decode(
    doc: Doc,
    spans: Sequence[Span],
    keys: Sequence[tuple[SpanKey, SpanKey]],
    scores: numpy.ndarray,
    masks: numpy.ndarray,
    thresholds: numpy.ndarray,
    labels: Sequence[str],
    sent_ids: Sequence[int],
) -> numpy.ndarray:
    """A boolean matrix like ``scores`` (candidate pairs x relation types): the
    relations to predict. ``keys[i]`` are the token spans of pair ``i`` among
    ``spans``; ``masks`` are 1 where the pair's labels allow the type."""
    found = thresholded(scores, masks, thresholds)
    if not len(keys):
        return found
    by_key = {(s.start, s.end): s for s in spans}
    index = {pair: i for i, pair in enumerate(keys)}
    for i, (head, tail) in enumerate(keys):
        h, t = by_key[head], by_key[tail]
        if h.label_ == t.label_ == schema.INCIDENT and mention_key(h.text) == mention_key(t.text):
            found[i] = False
    if _CAUSES in labels:
        j = labels.index(_CAUSES)
        for i in numpy.nonzero(found[:, j])[0].tolist():
            head, tail = keys[i]
            r = index.get((tail, head))
            if r is not None and found[r, j]:
                # keep the higher score; on a tie the pair whose head comes first
                loser = r if (scores[i, j], -head[0]) >= (scores[r, j], -tail[0]) else i
                found[loser, j] = False
    if _WINS in labels:
        j = labels.index(_WINS)
        groups: dict[tuple[SpanKey, int], list[int]] = defaultdict(list)
        for i in numpy.nonzero(found[:, j])[0].tolist():
            head, tail = keys[i]
            groups[(head, sent_ids[tail[0]])].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda i: -scores[i, j])
            kept = [members[0]]
            for i in members[1:]:
                target = by_key[keys[i][1]]
                if any(_coordinated(doc, target, by_key[keys[k][1]]) for k in kept):
                    kept.append(i)
                else:
                    found[i, j] = False
    for label in FUNCTIONAL:
        if label not in labels:
            continue
        j = labels.index(label)
        best: dict[SpanKey, int] = {}
        for i in numpy.nonzero(found[:, j])[0].tolist():
            head = keys[i][0]
            if head in best and scores[best[head], j] >= scores[i, j]:
                found[i, j] = False
            else:
                if head in best:
                    found[best[head], j] = False
                best[head] = i
    return found
