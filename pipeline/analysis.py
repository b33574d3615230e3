"""Tables for corpus analysis from batch output rows (``racereport process``).

Rows are the dicts of :mod:`racereport.batch.sink` (``id``, ``source``, ``entities``,
``relations``, ...), optionally with a ``series`` added by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd


def entity_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One line per entity: doc, series, entity id, label, type, text."""
    records = [
        {
            "doc": row["id"],
            "series": row.get("series"),
            "entity": ent["id"],
            "label": ent["label"],
            "type": ent["type"],
            "text": ent["text"],
        }
        for row in rows
        if row.get("error") is None
        for ent in row["entities"]
    ]
    return pd.DataFrame(records, columns=["doc", "series", "entity", "label", "type", "text"])


def node_names(row: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``(label, mention text)`` → the name of its event-graph node in that document
    ("Hamilton" → "Lewis Hamilton" where the report names him in full)."""
    names: dict[tuple[str, str], str] = {}
    for node in (row.get("graph") or {}).get("nodes", []):
        if node.get("label") != "INCIDENT":
            for mention in node.get("mentions", []):
                names[(node["label"], mention)] = node["name"]
    return names


def relation_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One line per relation: both arguments (participants by their graph node name, so
    mentions of one entity in a report agree), labels, the head's incident type, score."""
    records = []
    for row in rows:
        if row.get("error") is not None:
            continue
        ents = {e["id"]: e for e in row["entities"]}
        names = node_names(row)
        for rel in row["relations"]:
            head, tail = ents[rel["head"]], ents[rel["tail"]]
            records.append(
                {
                    "doc": row["id"],
                    "series": row.get("series"),
                    "relation": rel["label"],
                    "head": names.get((head["label"], head["text"]), head["text"]),
                    "head_label": head["label"],
                    "head_type": head["type"],
                    "tail": names.get((tail["label"], tail["text"]), tail["text"]),
                    "tail_label": tail["label"],
                    "score": rel.get("score"),
                }
            )
    columns = [
        "doc",
        "series",
        "relation",
        "head",
        "head_label",
        "head_type",
        "tail",
        "tail_label",
        "score",
    ]
    return pd.DataFrame(records, columns=columns)


def incidents_by(entities: pd.DataFrame, column: str = "series") -> pd.DataFrame:
    """Incident counts per ``column`` (rows) and incident type (columns)."""
    incidents = entities[entities["label"] == "INCIDENT"]
    return pd.crosstab(incidents[column], incidents["type"])


def incidents_by_participant(relations: pd.DataFrame, label: str = "TEAM") -> pd.DataFrame:
    """Incident counts per participant of ``label`` involved in them, by incident type."""
    involved = relations[(relations["relation"] == "INVOLVED") & (relations["tail_label"] == label)]
    return pd.crosstab(involved["tail"], involved["head_type"])


def most_penalised(relations: pd.DataFrame, top: int = 10) -> pd.Series:
    """Drivers most often INVOLVED in a PENALTY incident."""
    penalties = relations[
        (relations["relation"] == "INVOLVED")
        & (relations["head_type"] == "PENALTY")
        & (relations["tail_label"] == "DRIVER")
    ]
    return penalties["tail"].value_counts().head(top)


def who_profits(relations: pd.DataFrame) -> pd.DataFrame:
    """Pairs (beneficiary, sufferer) of the same incident: who profited from whose incident."""
    benefited = relations[relations["relation"] == "BENEFITED"][["doc", "head", "tail"]]
    involved = relations[relations["relation"] == "INVOLVED"][["doc", "head", "tail"]]
    pairs = benefited.merge(involved, on=["doc", "head"], suffixes=("_profited", "_suffered"))
    pairs = pairs[pairs["tail_profited"] != pairs["tail_suffered"]]
    return (
        pairs.groupby(["tail_profited", "tail_suffered"])
        .size()
        .rename("incidents")
        .reset_index()
        .rename(columns={"tail_profited": "profited", "tail_suffered": "suffered"})
        .sort_values("incidents", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def _error(
    doc_id: str,
    text: str,
    kind: str,
    span: tuple[int, int],
    labels: tuple[str | None, str | None],
    context: int,
) -> dict[str, Any]:
    start, end = span
    left, right = text[max(0, start - context) : start], text[end : end + context]
    return {
        "doc": doc_id,
        "kind": kind,
        "gold": labels[0],
        "predicted": labels[1],
        "text": text[start:end],
        "context": f"{left}[{text[start:end]}]{right}".replace("\n", " "),
    }


def entity_errors(gold: Iterable[Any], predicted: Iterable[Any], context: int = 40) -> pd.DataFrame:
    """Entity errors of predicted :class:`~racereport.records.Document` s against gold ones,
    one line each with its context: ``missed`` (gold, nothing predicted on that span),
    ``spurious`` (predicted, no gold there), ``label`` (same span, other label) and
    ``boundary`` (overlapping spans)."""
    records = []
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        g_spans = {(e.start, e.end): e for e in g_doc.entities}
        p_spans = {(e.start, e.end): e for e in p_doc.entities}
        for span, g_ent in g_spans.items():
            p_ent = p_spans.get(span)
            overlap = [p for p in p_doc.entities if p.start < g_ent.end and g_ent.start < p.end]
            if p_ent is not None and p_ent.label == g_ent.label:
                continue
            if p_ent is not None:
                kind, other = "label", p_ent.label
            elif overlap:
                kind, other = "boundary", overlap[0].label
            else:
                kind, other = "missed", None
            records.append(_error(g_doc.id, g_doc.text, kind, span, (g_ent.label, other), context))
        for span, p_ent in p_spans.items():
            if span not in g_spans and not any(
                g.start < p_ent.end and p_ent.start < g.end for g in g_doc.entities
            ):
                records.append(
                    _error(g_doc.id, g_doc.text, "spurious", span, (None, p_ent.label), context)
                )
    return pd.DataFrame(records, columns=["doc", "kind", "gold", "predicted", "text", "context"])
