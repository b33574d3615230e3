"""Long documents in paragraph-sized parts, and their rows merged back into one.

The token-to-vector layer's memory grows with the tokens of a document (a 950,000
character document needed 2.9 GB above the loaded pipeline), while nothing the
components find reaches far: the relation extractor looks two sentences apart. So a
document longer than ``max_chars_per_part`` is processed as consecutive parts cut at
paragraph breaks (else line breaks, sentence ends, spaces), and the parts' rows are
merged: entity offsets shifted back into the whole text, entity ids renumbered in
order, relations and warnings joined, the event graphs merged into the document's
graph. Only relations between entities on both sides of a cut are lost, which is
said in the row's ``warnings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from racereport import schema
from racereport.graph.build import graph_from_data, graph_to_data
from racereport.graph.merge import merge_graphs

MAX_CHARS_PER_PART = 50_000
"""Default part length: about 8,000 words, +170 MB above the loaded German pipeline."""

_BREAKS = ("\n\n", "\n", ". ", " ")


def split_text(text: str, limit: int = MAX_CHARS_PER_PART) -> list[tuple[int, str]]:
    """``(offset, part)`` covering ``text`` exactly, each part at most ``limit``
    characters, cut after the last paragraph break (else line break, sentence end,
    space) before the limit; a text within the limit is one part."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    parts: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for separator in _BREAKS:
            found = window.rfind(separator)
            if found > 0:
                cut = found + len(separator)
                break
        cut = cut or limit
        parts.append((start, text[start : start + cut]))
        start += cut
    parts.append((start, text[start:]))
    return parts


def part_id(doc_id: str, index: int) -> str:
    """The document id a part is processed under (its event graph's incident nodes)."""
    return f"{doc_id}#part{index + 1}"


def document_parts(
    doc_id: str, text: str, limit: int = MAX_CHARS_PER_PART
) -> list[tuple[str, int, str]]:
    """``(id, offset, part)`` for each part of ``text`` (:func:`split_text`): a text within
    ``limit`` is one part under the document's own id, longer ones get :func:`part_id`."""
    parts = split_text(text, limit)
    if len(parts) == 1:
        return [(doc_id, 0, text)]
    return [(part_id(doc_id, n), offset, part) for n, (offset, part) in enumerate(parts)]


def first_failure(results: Sequence[object]) -> str | None:
    """The error of the first part that failed (a ``str`` result) with its position when
    the document had several parts, or None when every part was processed."""
    for n, result in enumerate(results):
        if isinstance(result, str):
            return f"{result} (part {n + 1} of {len(results)})" if len(results) > 1 else result
    return None


def merge_rows(
    doc_id: str, offsets: Sequence[int], rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """One row from the rows of a document's parts (processed as :func:`part_id`)."""
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    warnings: list[str] = []
    renamed: dict[str, str] = {}
    graphs = []
    for index, (offset, row) in enumerate(zip(offsets, rows, strict=True)):
        ids: dict[str, str] = {}
        for ent in row["entities"]:
            ids[ent["id"]] = f"e{len(entities) + 1}"
            entities.append(
                {**ent, "id": ids[ent["id"]], "start": ent["start"] + offset,
                 "end": ent["end"] + offset}
            )  # fmt: skip
        relations.extend(
            {**rel, "head": ids[rel["head"]], "tail": ids[rel["tail"]]} for rel in row["relations"]
        )
        warnings.extend(w for w in row.get("warnings", []) if w not in warnings)
        name = part_id(doc_id, index)
        renamed.update(
            {f"{schema.INCIDENT}:{name}:{old}": f"{schema.INCIDENT}:{doc_id}:{new}"
             for old, new in ids.items()}
        )  # fmt: skip
        if row["graph"]:
            graphs.append(graph_from_data(row["graph"]))
    warnings.append(
        f"long document: processed in {len(rows)} parts cut at paragraph breaks; "
        "relations across a cut are not found"
    )
    graph = _as_one_document(merge_graphs(graphs), doc_id, renamed) if graphs else None
    return {
        **rows[0],
        "entities": entities,
        "relations": relations,
        "graph": graph_to_data(graph) if graph is not None else {},
        "warnings": warnings,
    }


def _as_one_document(
    graph: nx.MultiDiGraph, doc_id: str, renamed: dict[str, str]
) -> nx.MultiDiGraph:
    """The merged graph of the parts, with the document's id where the parts' were."""

    def one(ids: list[str]) -> list[str]:
        return [doc_id] if ids else []

    graph = nx.relabel_nodes(graph, {n: renamed.get(n, n) for n in graph.nodes}, copy=True)
    graph.graph["doc_ids"] = one(graph.graph.get("doc_ids", []))
    for _, attrs in graph.nodes(data=True):
        attrs["docs"] = one(attrs.get("docs", []))
        if "doc" in attrs:
            attrs["doc"] = doc_id
    for _, _, attrs in graph.edges(data=True):
        attrs["doc"] = doc_id
    return graph
