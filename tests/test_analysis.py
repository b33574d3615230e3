from racereport.analysis import (
    entity_frame,
    incidents_by,
    incidents_by_participant,
    most_penalised,
    relation_frame,
    who_profits,
)


def ent(i, label, text, type_=None):
    return {"id": i, "start": 0, "end": 1, "label": label, "text": text, "type": type_}


ROWS = [
    {
        "id": "a",
        "series": "ALMS",
        "error": None,
        "entities": [
            ent("e1", "DRIVER", "Tucker"),
            ent("e2", "INCIDENT", "Reifenschaden", "PUNCTURE"),
            ent("e3", "TEAM", "Conquest"),
            ent("e4", "INCIDENT", "Strafe", "PENALTY"),
            ent("e5", "DRIVER", "Bouchut"),
        ],
        "relations": [
            {"head": "e2", "tail": "e1", "label": "BENEFITED", "score": 0.9},
            {"head": "e2", "tail": "e3", "label": "INVOLVED", "score": 0.8},
            {"head": "e4", "tail": "e5", "label": "INVOLVED", "score": 0.95},
        ],
        "graph": {
            "nodes": [
                {
                    "id": "DRIVER:Christophe Bouchut",
                    "label": "DRIVER",
                    "name": "Christophe Bouchut",
                    "mentions": ["Bouchut"],
                }
            ]
        },
    },
    {"id": "b", "series": "F1", "error": "empty text", "entities": [], "relations": []},
    {
        "id": "c",
        "series": "F1",
        "error": None,
        "entities": [ent("e1", "INCIDENT", "Strafe", "PENALTY"), ent("e2", "DRIVER", "Bouchut")],
        "relations": [{"head": "e1", "tail": "e2", "label": "INVOLVED", "score": 0.7}],
    },
]


def test_tables():
    entities = entity_frame(ROWS)
    relations = relation_frame(ROWS)
    assert len(entities) == 7 and len(relations) == 4
    by_series = incidents_by(entities)
    assert by_series.loc["F1", "PENALTY"] == 1 and by_series.loc["ALMS", "PUNCTURE"] == 1
    assert incidents_by_participant(relations).loc["Conquest", "PUNCTURE"] == 1
    # doc a names him in full (graph node), doc c only by surname
    assert most_penalised(relations).to_dict() == {"Christophe Bouchut": 1, "Bouchut": 1}
    assert who_profits(relations).to_dict("records") == [
        {"profited": "Tucker", "suffered": "Conquest", "incidents": 1}
    ]


def test_entity_errors_with_context():
    from racereport.analysis import entity_errors
    from racereport.corpus.markup import parse_markup

    gold = parse_markup(
        "### id=g\n[Max Verstappen]{d1:DRIVER} fuhr für [Red Bull]{t1:TEAM} in [Monza]{k1:TRACK}.\n"
    )
    predicted = parse_markup(
        "### id=g\n[Max]{d1:DRIVER} Verstappen fuhr [für]{x1:RACE} [Red Bull]{t1:CAR} in Monza.\n"
    )
    assert gold[0].text == predicted[0].text
    errors = entity_errors(gold, predicted)
    kinds = dict(zip(errors["text"], errors["kind"], strict=True))
    assert kinds == {
        "Max Verstappen": "boundary",
        "Red Bull": "label",
        "Monza": "missed",
        "für": "spurious",
    }
    assert "[Red Bull]" in errors.set_index("text").loc["Red Bull", "context"]
