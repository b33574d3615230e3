"""Label Studio: the labeling config, pre-annotated tasks, and reading its JSON export.

A task's ``data`` holds the text and the document metadata; its ``predictions`` hold
one result per entity (``labels``), one per incident type (a per-region ``choices``
result with the region's id) and one per related pair (``relation``, ``from_id`` /
``to_id`` are region ids, several types on one pair share one result). Region ids are
the corpus entity ids.

Label Studio counts text offsets in UTF-16 code units (JavaScript strings); the corpus
counts code points. Both directions convert, so texts with characters outside the
Basic Multilingual Plane (emoji) keep their offsets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from racereport import schema
from racereport.annotate.formats import (
    DOC_ID_KEY,
    ImportedRelation,
    ImportedSpan,
    ImportFormatError,
    assemble_document,
    task_meta,
)
from racereport.annotate.tasks import Task
from racereport.records import Document, Provenance

TOOL = "labelstudio"
LABELS_NAME = "label"
TYPES_NAME = "incident_type"
TEXT_NAME = "text"

COLOURS = {
    schema.DRIVER: "#4e79a7",
    schema.TEAM: "#f28e2b",
    schema.CAR: "#59a14f",
    schema.INCIDENT: "#e15759",
    schema.RACE: "#b07aa1",
    schema.TRACK: "#76b7b2",
    schema.SERIES: "#edc948",
    schema.CLASS: "#9c755f",
}


def labeling_config() -> str:
    """The labeling config XML for a Label Studio project, built from the schema."""
    relations = "\n".join(
        f"    <Relation value={quoteattr(name)}/>" for name in schema.RELATION_LABELS
    )
    labels = "\n".join(
        f"    <Label value={quoteattr(label)} background={quoteattr(COLOURS[label])} "
        f"hint={quoteattr(schema.ENTITY_DESCRIPTIONS[label])}/>"
        for label in schema.ENTITY_LABELS
    )
    types = "\n".join(
        f"    <Choice value={quoteattr(t)} hint={quoteattr(schema.INCIDENT_TYPE_DESCRIPTIONS[t])}/>"
        for t in schema.INCIDENT_TYPES
    )
    return f"""<View>
  <Relations>
{relations}
  </Relations>
  <Labels name="{LABELS_NAME}" toName="{TEXT_NAME}">
{labels}
  </Labels>
  <Text name="{TEXT_NAME}" value="${TEXT_NAME}"/>
  <Header value="Incident type (select an INCIDENT region)"/>
  <Choices name="{TYPES_NAME}" toName="{TEXT_NAME}" perRegion="true" choice="single"
           visibleWhen="region-selected" whenTagName="{LABELS_NAME}" whenLabelValue="INCIDENT">
{types}
  </Choices>
</View>
"""


# --- offsets ------------------------------------------------------------------------


def _utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of each code point offset 0..len(text)."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


def _codepoint_offsets(text: str) -> dict[int, int]:
    """Code point offset of each UTF-16 offset that starts a character (and the end)."""
    return {u: i for i, u in enumerate(_utf16_offsets(text))}


# --- export ---------------------------------------------------------------------------


def _region(kind: str, name: str, ent_id: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        "id": ent_id,
        "from_name": name,
        "to_name": TEXT_NAME,
        "type": kind,
        "origin": "prediction",
        "value": {"start": start, "end": end, "text": text},
    }


def annotation_result(document: Document, scores: Mapping[str, float] | None = None) -> list:
    """The Label Studio ``result`` list for a document's entities and relations."""
    u16 = _utf16_offsets(document.text)
    result: list[dict[str, Any]] = []
    for ent in document.entities:
        start, end = u16[ent.start], u16[ent.end]
        region = _region("labels", LABELS_NAME, ent.id, start, end, ent.text)
        region["value"]["labels"] = [ent.label]
        if scores is not None and ent.id in scores:
            region["score"] = scores[ent.id]
        result.append(region)
        if ent.label == schema.INCIDENT and ent.type:
            choice = _region("choices", TYPES_NAME, ent.id, start, end, ent.text)
            choice["value"]["choices"] = [ent.type]
            result.append(choice)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rel in document.relations:
        pairs[(rel.head, rel.tail)].append(rel.label)
    for (head, tail), labels in pairs.items():
        result.append(
            {
                "type": "relation",
                "from_id": head,
                "to_id": tail,
                "direction": "right",
                "labels": labels,
            }
        )
    return result


def to_task(task: Task) -> dict[str, Any]:
    """One Label Studio task with the pre-annotations as a prediction."""
    doc = task.document
    scores = list(task.entity_scores.values())
    data = {TEXT_NAME: doc.text, **task_meta(doc)}
    return {
        "data": data,
        "predictions": [
            {
                "model_version": task.model or "racereport",
                "score": round(min(scores), 4) if scores else 1.0,
                "result": annotation_result(doc, task.entity_scores),
            }
        ],
    }


def to_tasks(tasks: Iterable[Task]) -> list[dict[str, Any]]:
    """The tasks JSON for Label Studio's import (a list of tasks)."""
    return [to_task(t) for t in tasks]


# --- import ---------------------------------------------------------------------------


def _annotator(annotation: Mapping[str, Any], users: Mapping[int, str] | None = None) -> str:
    """Who made an annotation: an e-mail where the export or ``users`` (id -> e-mail)
    has one, else ``user-ID``."""
    who = annotation.get("completed_by")
    if isinstance(who, Mapping):
        return str(who.get("email") or who.get("username") or f"user-{who.get('id')}")
    if who is None:
        return "unknown"
    if isinstance(who, int) and not isinstance(who, bool):
        return (users or {}).get(who, f"user-{who}")
    return str(who)  # a name or e-mail written by another tool


def choose_annotation(
    task: Mapping[str, Any],
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> Mapping[str, Any] | None:
    """The annotation to import from a task: the latest one that was not cancelled
    (of ``annotator`` when given, by e-mail or ``user-ID``); None when there is none."""
    candidates = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, Mapping)
        and not a.get("was_cancelled")
        and (annotator is None or _annotator(a, users) == annotator)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))


def annotators(
    tasks: Sequence[Mapping[str, Any]], users: Mapping[int, str] | None = None
) -> list[str]:
    """Everyone who completed an annotation in an export."""
    return sorted(
        {
            _annotator(a, users)
            for t in tasks
            for a in t.get("annotations") or []
            if isinstance(a, Mapping) and not a.get("was_cancelled")
        }
    )


def _offset(value: Any) -> int:
    """A character offset: a whole number (``3`` or ``3.0``), never rounded or truncated."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not an offset")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"not a whole number: {value!r}")


def document_from_result(
    text: str,
    meta: Mapping[str, Any],
    result: Sequence[Any],
    provenance: Sequence[Provenance],
    fallback_id: str,
    where: str,
) -> Document:
    """The corpus document a Label Studio ``result`` list describes."""
    to_cp = _codepoint_offsets(text)
    spans: dict[str, dict[str, Any]] = {}
    types: dict[str, str] = {}
    relations: list[ImportedRelation] = []
    for i, item in enumerate(result):
        at = f"{where}, result {i}"
        if not isinstance(item, Mapping):
            raise ImportFormatError(f"{at}: not an object")
        kind = item.get("type")
        if kind == "relation":
            labels = item.get("labels") or []
            if not labels:
                raise ImportFormatError(
                    f"{at}: relation {item.get('from_id')} -> {item.get('to_id')} has no type; "
                    "pick one in Label Studio"
                )
            direction = item.get("direction", "right")
            if direction == "bi":
                raise ImportFormatError(
                    f"{at}: relation {item.get('from_id')} <-> {item.get('to_id')} is "
                    "bidirectional; relations are directed, set its direction"
                )
            head, tail = item.get("from_id"), item.get("to_id")
            if direction == "left":
                head, tail = tail, head
            relations.extend(ImportedRelation(str(head), str(tail), str(label)) for label in labels)
            continue
        if kind not in ("labels", "choices"):
            continue  # other controls (comments, ratings) carry nothing for the corpus
        value = item.get("value") or {}
        region = str(item.get("id"))
        try:
            start, end = to_cp[_offset(value["start"])], to_cp[_offset(value["end"])]
        except (KeyError, TypeError, ValueError):
            raise ImportFormatError(
                f"{at}: region {region} has no valid start/end offsets in the text "
                f"(start {value.get('start')!r}, end {value.get('end')!r}; whole numbers "
                "within the text)"
            ) from None
        if kind == "labels":
            labels = value.get("labels") or []
            if len(labels) != 1:
                raise ImportFormatError(
                    f"{at}: region {region} ({text[start:end]!r}) has {len(labels)} labels; "
                    "give it exactly one"
                )
            spans[region] = {"start": start, "end": end, "label": str(labels[0])}
        else:
            choices = value.get("choices") or []
            if len(choices) == 1:
                types[region] = str(choices[0])
    imported = [
        ImportedSpan(s["start"], s["end"], s["label"], types.get(region), region)
        for region, s in spans.items()
    ]
    stray = set(types) - set(spans)
    if stray:
        raise ImportFormatError(f"{where}: incident type on a region without a label ({stray})")
    return assemble_document(text, meta, imported, relations, provenance, fallback_id, where)


def from_export(
    tasks: Any,
    source: str,
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> tuple[list[Document], list[str]]:
    """Documents from Label Studio's JSON export (a list of tasks), and the ids of tasks
    skipped because they have no annotation (of ``annotator``, when given). ``users``
    maps user ids to e-mails for the provenance (:meth:`LabelStudio.users`)."""
    if not isinstance(tasks, list):
        raise ImportFormatError(f"{source}: a Label Studio JSON export is a list of tasks")
    documents: list[Document] = []
    skipped: list[str] = []
    for i, task in enumerate(tasks):
        where = f"{source}: task {i + 1}"
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            raise ImportFormatError(f"{where}: not a task (no 'data' object)")
        data = task["data"]
        text = data.get(TEXT_NAME)
        if not isinstance(text, str):
            raise ImportFormatError(f"{where}: data has no '{TEXT_NAME}' string")
        fallback = f"labelstudio-{task.get('id', i + 1)}"
        where = f"{where} [{data.get(DOC_ID_KEY) or fallback}]"
        annotation = choose_annotation(task, annotator, users)
        if annotation is None:
            skipped.append(str(data.get(DOC_ID_KEY) or fallback))
            continue
        date = str(annotation.get("updated_at") or annotation.get("created_at") or "")
        provenance = [Provenance(annotator=_annotator(annotation, users), tool=TOOL, date=date)]
        documents.append(
            document_from_result(
                text, data, annotation.get("result") or [], provenance, fallback, where
            )
        )
    return documents, skipped
