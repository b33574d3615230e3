"""Figures that predict accuracy on real text: overlap F1, unseen-name recall, ordinary
capitalised words read as names."""

from dataclasses import replace

from racereport.generalisation import (
    common_words_as_names,
    overlap_scores,
    people_read_as_drivers,
    training_names,
    unseen_name_recall,
)
from racereport.records import Document, Entity

TEXT = "Immerhin gewann Max Verstappen vor Regen und Ferrari."


def _doc(*ents: tuple[int, int, str]) -> Document:
    return Document(
        id="d",
        text=TEXT,
        entities=tuple(
            Entity(f"e{i}", s, e, label, TEXT[s:e]) for i, (s, e, label) in enumerate(ents)
        ),
    )


GOLD = _doc((16, 30, "DRIVER"), (45, 52, "TEAM"))


def test_overlap_counts_boundary_errors_as_found_once():
    # "Verstappen" overlaps the gold "Max Verstappen"; "Max" would be a second match: no
    predicted = _doc((16, 19, "DRIVER"), (20, 30, "DRIVER"), (45, 52, "CAR"))
    scores = overlap_scores([GOLD], [predicted])
    assert (scores["p"], scores["r"], scores["support"]) == (round(1 / 3, 4), 0.5, 2)


def test_overlap_needs_the_same_label():
    assert overlap_scores([GOLD], [_doc((45, 52, "CAR"))])["r"] == 0.0


def test_unseen_name_recall_counts_only_names_absent_from_training():
    seen = training_names([_doc((45, 52, "TEAM"))])
    assert seen == frozenset({"ferrari"})
    found = unseen_name_recall([GOLD], [_doc((16, 30, "DRIVER"))], seen)
    assert found["recall"] == 1.0
    assert found["support"] == 1
    assert found["share_of_names"] == 0.5
    missed = unseen_name_recall([GOLD], [_doc((20, 30, "DRIVER"))], seen)
    assert missed["recall"] == 0.0
    assert missed["per_label"] == {"DRIVER": {"recall": 0.0, "support": 1}}


def test_unseen_name_recall_is_case_insensitive_and_skips_incidents():
    gold = Document(
        id="g",
        text="FERRARI Unfall",
        entities=(
            Entity("t", 0, 7, "TEAM", "FERRARI"),
            Entity("i", 8, 14, "INCIDENT", "Unfall", "CRASH"),
        ),
    )
    report = unseen_name_recall([gold], [gold], frozenset({"ferrari"}))
    assert report["support"] == 0


def test_ordinary_capitalised_words_read_as_driver_or_team():
    # "Immerhin" and "Regen" are ordinary German words outside gold entities;
    # "Max Verstappen" and "Ferrari" are gold entities and do not count
    predicted = _doc((0, 8, "DRIVER"), (16, 30, "DRIVER"), (35, 40, "CAR"))
    report = common_words_as_names([GOLD], [predicted])
    assert report["candidates"] == 2
    assert report["read_as_driver_or_team"] == 1
    assert report["rate"] == 0.5
    assert report["most_common"] == {"Immerhin": 1}


def _event(doc_id: str, series: str, date: str | None, lang: str = "de") -> Document:
    return Document(id=doc_id, text="x", lang=lang, series=series, date=date)


def test_new_events_are_those_no_training_document_reports():
    from racereport.generalisation import new_event_documents

    train = [
        _event("t1", "F1", "2024-06-09"),
        _event("t2", "F1", "1976-10-24"),  # a race of 1976
        _event("t3", "WRC", "2008"),  # a season review
        _event("t4", "F1", "2023-09-02", lang="en"),
    ]
    held = [
        _event("same-race", "F1", "2024-06-09"),
        _event("other-series", "DTM", "2024-06-09"),
        _event("season-of-a-trained-race", "F1", "1976"),
        _event("race-in-a-reviewed-season", "WRC", "2008-03-30"),
        _event("other-language", "F1", "2023-09-02"),
        _event("undated", "F1", None),
    ]
    assert [d.id for d in new_event_documents(held, train)] == [
        "other-series",
        "other-language",
        "undated",
    ]


def test_people_who_do_not_drive_read_as_drivers():
    text = "Teamchef Toto Wolff sah, wie George Russell gewann. Mike Webb nickte."
    gold = Document("g", text, entities=(Entity("d1", 29, 43, "DRIVER", "George Russell"),))
    predicted = replace(
        gold,
        entities=(
            Entity("e1", 9, 19, "DRIVER", "Toto Wolff"),  # a team principal read as driver
            Entity("e2", 29, 43, "DRIVER", "George Russell"),
        ),
    )
    persons = [[(9, 19), (29, 43), (52, 61), (0, 8)]]  # Webb: right; "Teamchef": one word
    found = people_read_as_drivers([gold], [predicted], persons)
    assert found == {
        "candidates": 2,
        "read_as_driver": 1,
        "rate": 0.5,
        "most_common": {"Toto Wolff": 1},
    }
