"""Label Studio tasks and export parsing (no server; see test_labelstudio_server.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from racereport import schema
from racereport.annotate import labelstudio
from racereport.annotate.formats import ImportFormatError
from racereport.annotate.tasks import gold_task
from racereport.records import Entity


def _export(tasks: list[dict], annotations: list[list[dict]] | None = None) -> list[dict]:
    """What Label Studio exports when each task's prediction was accepted unchanged."""
    exported = []
    for i, task in enumerate(tasks):
        result = task["predictions"][0]["result"] if annotations is None else annotations[i]
        exported.append(
            {
                "id": i + 1,
                "data": task["data"],
                "annotations": [
                    {
                        "id": i + 1,
                        "completed_by": 7,
                        "result": result,
                        "was_cancelled": False,
                        "created_at": "2026-11-25T10:00:00Z",
                        "updated_at": "2026-11-25T10:05:00Z",
                    }
                ],
            }
        )
    return exported


def test_labeling_config_lists_the_schema():
    root = ET.fromstring(labelstudio.labeling_config())
    assert [e.get("value") for e in root.iter("Label")] == list(schema.ENTITY_LABELS)
    assert [e.get("value") for e in root.iter("Relation")] == list(schema.RELATION_LABELS)
    assert [e.get("value") for e in root.iter("Choice")] == list(schema.INCIDENT_TYPES)
    choices = next(root.iter("Choices"))
    assert choices.get("perRegion") == "true" and choices.get("whenLabelValue") == "INCIDENT"


def test_task_has_regions_types_and_relations(sample_docs):
    doc = sample_docs[0]
    task = labelstudio.to_task(gold_task(doc, "m-1"))
    assert task["data"]["text"] == doc.text and task["data"]["doc_id"] == "alms-t1"
    result = task["predictions"][0]["result"]
    labels = [r for r in result if r["type"] == "labels"]
    assert [r["id"] for r in labels] == [e.id for e in doc.entities]
    choices = {r["id"]: r["value"]["choices"] for r in result if r["type"] == "choices"}
    assert choices == {"i1": ["PUNCTURE"], "i2": ["PUNCTURE"], "i3": ["RETIREMENT"]}
    relations = [(r["from_id"], r["to_id"], r["labels"]) for r in result if r["type"] == "relation"]
    assert ("i1", "d1", ["BENEFITED"]) in relations
    assert task["predictions"][0]["model_version"] == "m-1"


def test_round_trip_is_lossless(sample_docs):
    exported = _export(labelstudio.to_tasks(gold_task(d) for d in sample_docs))
    docs, skipped = labelstudio.from_export(exported, "export.json", users={7: "anna@example.org"})
    assert skipped == []
    for got, want in zip(docs, sample_docs, strict=True):
        assert replace(got, provenance=()) == replace(want, provenance=())
        assert [p.to_dict() for p in got.provenance] == [
            {"annotator": "anna@example.org", "tool": "labelstudio", "date": "2026-11-25T10:05:00Z"}
        ]


def test_offsets_are_utf16_in_label_studio(sample_docs):
    doc = sample_docs[1]
    text = "🏁 " + doc.text
    shifted = replace(
        doc,
        text=text,
        entities=tuple(replace(e, start=e.start + 2, end=e.end + 2) for e in doc.entities),
    )
    task = labelstudio.to_task(gold_task(shifted))
    first = task["predictions"][0]["result"][0]["value"]
    max_start = doc.text.index("Max Verstappen")
    # the flag is one code point but two UTF-16 code units: Label Studio offsets are +3
    assert (first["start"], first["end"]) == (max_start + 3, max_start + 3 + 14)
    docs, _ = labelstudio.from_export(_export([task]), "x")
    assert docs[0].entities == shifted.entities


def test_corrections_new_regions_and_left_relations(sample_docs):
    doc = sample_docs[1]
    result = labelstudio.annotation_result(doc)
    # the annotator deletes the race, relabels the driver, adds a region and draws an
    # arrow from the driver to the penalty pointing back ("left"): i1 BENEFITED d1
    result = [r for r in result if r.get("id") != "r1" and r.get("to_id") != "r1"]
    result[0]["value"]["labels"] = ["TEAM"]
    result.append(
        {
            "id": "xYz12",
            "type": "labels",
            "from_name": "label",
            "to_name": "text",
            "value": {"start": 0, "end": 5, "text": "Runde", "labels": ["RACE"]},
        }
    )
    result.append(
        {
            "type": "relation",
            "from_id": "d1",
            "to_id": "i1",
            "direction": "left",
            "labels": ["BENEFITED"],
        }
    )
    docs, _ = labelstudio.from_export(_export([labelstudio.to_task(gold_task(doc))], [result]), "x")
    got = docs[0]
    assert "r1" not in {e.id for e in got.entities}
    assert got.entities[0] == Entity("e1", 0, 5, "RACE", "Runde", None)
    assert got.entity("d1").label == "TEAM"
    assert {(r.head, r.tail, r.label) for r in got.relations} == {
        ("i1", "d1", "INVOLVED"),
        ("i2", "i1", "CAUSES"),
        ("d1", "t1", "DRIVES_FOR"),
        ("i1", "d1", "BENEFITED"),
    }


def test_latest_uncancelled_annotation_of_the_annotator_wins(sample_docs):
    task = labelstudio.to_task(gold_task(sample_docs[1]))
    full = task["predictions"][0]["result"]
    exported = [
        {
            "id": 3,
            "data": task["data"],
            "annotations": [
                {"completed_by": 1, "result": full[:1], "updated_at": "2026-11-25T09:00:00Z"},
                {"completed_by": 1, "result": full[:2], "updated_at": "2026-11-25T11:00:00Z"},
                {
                    "completed_by": 1,
                    "result": [],
                    "updated_at": "2026-11-25T12:00:00Z",
                    "was_cancelled": True,
                },
                {"completed_by": 2, "result": full[:3], "updated_at": "2026-11-25T10:00:00Z"},
            ],
        },
        {"id": 4, "data": {"text": "Keine Annotation.", "doc_id": "x-1"}, "annotations": []},
    ]
    docs, skipped = labelstudio.from_export(exported, "x")
    assert len(docs[0].entities) == 2 and skipped == ["x-1"]
    docs, _ = labelstudio.from_export(exported, "x", annotator="user-2")
    assert len(docs[0].entities) == 3
    assert labelstudio.annotators(exported) == ["user-1", "user-2"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.append({"type": "relation", "from_id": "d1", "to_id": "t1", "labels": []}),
            "has no type",
        ),
        (
            lambda r: r.append(
                {
                    "type": "relation",
                    "from_id": "d1",
                    "to_id": "t1",
                    "direction": "bi",
                    "labels": ["DRIVES_FOR"],
                }
            ),
            "bidirectional",
        ),
        (
            lambda r: r.append(
                {"type": "relation", "from_id": "d1", "to_id": "gone", "labels": ["DRIVES_FOR"]}
            ),
            "does not exist",
        ),
        (lambda r: r[0]["value"].update(labels=["DRIVER", "TEAM"]), "has 2 labels"),
        (lambda r: r[0]["value"].pop("start"), "no valid start/end"),
    ],
)
def test_bad_results_are_reported_with_their_task(sample_docs, change, message):
    task = labelstudio.to_task(gold_task(sample_docs[1]))
    result = task["predictions"][0]["result"]
    change(result)
    with pytest.raises(ImportFormatError, match=message) as info:
        labelstudio.from_export(_export([task]), "export.json")
    assert "export.json: task 1 [f1-t2]" in str(info.value)


def test_export_must_be_a_task_list():
    with pytest.raises(ImportFormatError, match="list of tasks"):
        labelstudio.from_export({"tasks": []}, "x.json")
