"""Build a document's event graph (a networkx ``MultiDiGraph``).

One node per real-world entity: repeated mentions merge ("Popow" into "Alex Popow",
"Level 5" into "Level 5 Motorsports" when that is the only longer name they fit),
while a mention qualified by an ordinal ("der zweite Level-5-HPD") is a node of its
own. An INCIDENT mention is a node with its type and text, except that a definite
repetition of an earlier incident mention ("Der Reifenschaden ... der Reifenschaden",
same type and text, after a definite article or demonstrative) joins that mention's
node: it names the same incident, a new one would be "ein Reifenschaden". Each relation is
an edge keyed by its type, with its score (when the pipeline scored it), the
document and the sentence it comes from.

Entity nodes are named ``LABEL:name`` (``DRIVER:Alex Popow``, ``CAR:HPD#zweite``) so
graphs of different documents merge on them; incident nodes are named
``INCIDENT:<doc id>:<entity id>``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import networkx as nx

from racereport import schema
from racereport.records import Document, Entity, mention_key

ORDINALS = frozenset(
    [
        "erste",
        "ersten",
        "erster",
        "erstes",
        "zweite",
        "zweiten",
        "zweiter",
        "zweites",
        "dritte",
        "dritten",
        "dritter",
        "drittes",
        "vierte",
        "vierten",
        "vierter",
        "viertes",
        "fünfte",
        "fünften",
        "fünfter",
        "andere",
        "anderen",
        "anderer",
        "anderes",
        "schwesterauto",
        "schwesterautos",
    ]
)
"""Words before a CAR mention that make it a different car from the unqualified one."""

DEFINITE = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "dieser",
        "diese",
        "dieses",
        "diesem",
        "diesen",
        "jener",
        "jene",
        "jenes",
        "the",
        "this",
        "that",
        "le",
        "la",
        "les",
        "l'",
        "ce",
        "cet",
        "cette",
        "ces",
    ]
)
"""Words right before an incident mention that make it refer back to an earlier one."""

_WORD = re.compile(r"[\wÄÖÜäöüß]+", re.UNICODE)
_LAST_WORD = re.compile(r"([\w']+)\W*$", re.UNICODE)
_ATTACHED = re.compile(r"[\w.]+(?:-[\w.]+)*-$", re.UNICODE)


def normalise(text: str) -> str:
    """A mention's text with whitespace collapsed (hyphens kept)."""
    return " ".join(text.split())


def _qualifier(text: str, ent: Entity) -> str | None:
    """The ordinal right before a CAR mention (at most two words back), if any."""
    if ent.label != schema.CAR:
        return None
    # skip a compound the mention ends ("der zweite Level-5-HPD": skip "Level-5-")
    before_text = _ATTACHED.sub("", text[max(0, ent.start - 60) : ent.start])
    before = _WORD.findall(before_text)[-2:]
    for word in reversed(before):
        if word.lower() in ORDINALS:
            return word.lower()
    return None


def _canonical_names(document: Document) -> dict[str, str]:
    """Node name per entity id (INCIDENTs excluded)."""
    by_label: dict[str, list[Entity]] = {}
    for ent in document.entities:
        if ent.label != schema.INCIDENT:
            by_label.setdefault(ent.label, []).append(ent)
    names: dict[str, str] = {}
    for label, ents in by_label.items():
        texts = sorted({normalise(e.text) for e in ents}, key=lambda t: (-len(t.split()), t))
        for ent in ents:
            name = normalise(ent.text)
            words = name.lower().split()
            longer = [t for t in texts if len(t.split()) > len(words)]
            if label == schema.DRIVER:
                # a surname (or a shorter tail) of exactly one fuller name
                fits = [t for t in longer if t.lower().split()[-len(words) :] == words]
            elif label in (schema.TEAM, schema.SERIES, schema.RACE, schema.TRACK):
                fits = [t for t in longer if t.lower().split()[: len(words)] == words]
            else:
                fits = []
            if len(fits) == 1:
                name = fits[0]
            qualifier = _qualifier(document.text, ent)
            names[ent.id] = f"{label}:{name}" + (f"#{qualifier}" if qualifier else "")
    return names


def _refers_back(text: str, ent: Entity) -> bool:
    """Whether a definite article or demonstrative stands right before ``ent``."""
    match = _LAST_WORD.search(text[max(0, ent.start - 20) : ent.start])
    return match is not None and match.group(1).lower() in DEFINITE


def _sentence_of(sentences: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The character range of the sentences from the one holding ``start`` to the one
    holding ``end`` (``sentences`` sorted and non-overlapping)."""
    starts = [s[0] for s in sentences]
    first = sentences[max(0, bisect_right(starts, start) - 1)]
    last = sentences[max(0, bisect_right(starts, max(start, end - 1)) - 1)]
    return min(first[0], start), max(last[1], end)


def build_graph(
    document: Document,
    scores: dict[tuple[str, str, str], float] | None = None,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> nx.MultiDiGraph:
    """The event graph of ``document``.

    ``scores`` maps ``(head id, tail id, type)`` to the relation's score; ``sentences``
    are character ranges (default: the whole text is one sentence).
    """
    scores = scores or {}
    sentences = sentences or [(0, len(document.text))]
    graph = nx.MultiDiGraph(doc_ids=[document.id], langs=[document.lang])
    names = _canonical_names(document)
    node_of: dict[str, str] = {}
    incident_nodes: dict[tuple[str | None, str], str] = {}
    for ent in document.entities:
        same = (ent.type, mention_key(ent.text))
        if (
            ent.label == schema.INCIDENT
            and same in incident_nodes
            and _refers_back(document.text, ent)
        ):
            node = incident_nodes[same]
            graph.nodes[node]["mentions"].append(ent.text)
        elif ent.label == schema.INCIDENT:
            node = f"{schema.INCIDENT}:{document.id}:{ent.id}"
            incident_nodes[same] = node
            graph.add_node(
                node,
                label=ent.label,
                name=ent.text,
                type=ent.type,
                doc=document.id,
                mentions=[ent.text],
                docs=[document.id],
                langs=[document.lang],
            )
        else:
            node = names[ent.id]
            if node not in graph:
                graph.add_node(
                    node,
                    label=ent.label,
                    name=node.split(":", 1)[1].split("#")[0],
                    type=None,
                    mentions=[],
                    docs=[document.id],
                    langs=[document.lang],
                )
            if ent.text not in graph.nodes[node]["mentions"]:
                graph.nodes[node]["mentions"].append(ent.text)
        node_of[ent.id] = node
    ents = {e.id: e for e in document.entities}
    for rel in document.relations:
        if rel.head not in node_of or rel.tail not in node_of:
            continue
        head, tail = ents[rel.head], ents[rel.tail]
        start, end = _sentence_of(sentences, min(head.start, tail.start), max(head.end, tail.end))
        graph.add_edge(
            node_of[rel.head],
            node_of[rel.tail],
            key=rel.label,
            label=rel.label,
            score=scores.get((rel.head, rel.tail, rel.label)),
            doc=document.id,
            sentence=document.text[start:end].strip(),
        )
    return graph


def graph_to_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link JSON of a graph (what ``racereport extract`` prints as ``graph``)."""
    return dict(nx.node_link_data(graph, edges="edges"))


def graph_from_data(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The graph back from :func:`graph_to_data`."""
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
