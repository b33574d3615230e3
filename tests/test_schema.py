from racereport import schema


def test_labels_are_unique_and_complete():
    assert len(set(schema.ENTITY_LABELS)) == len(schema.ENTITY_LABELS) == 8
    assert set(schema.ENTITY_DESCRIPTIONS) == set(schema.ENTITY_LABELS)
    assert set(schema.INCIDENT_TYPE_DESCRIPTIONS) == set(schema.INCIDENT_TYPES)
    assert len(schema.INCIDENT_TYPES) == 8


def test_relation_argument_constraints():
    rt = schema.RELATION_TYPES
    assert rt["DRIVES_FOR"].allows("DRIVER", "TEAM")
    assert not rt["DRIVES_FOR"].allows("TEAM", "DRIVER")
    assert rt["INVOLVED"].allows("INCIDENT", "CAR")
    assert not rt["INVOLVED"].allows("INCIDENT", "RACE")
    assert rt["CAUSES"].allows("INCIDENT", "INCIDENT")
    assert rt["WINS"].allows("TEAM", "SERIES")
    assert not rt["WINS"].allows("RACE", "DRIVER")
    assert set(schema.RELATION_LABELS) == {
        "DRIVES_FOR",
        "DRIVES",
        "ENTERED_BY",
        "INVOLVED",
        "BENEFITED",
        "CAUSES",
        "WINS",
    }
    for rel in rt.values():
        assert rel.heads <= set(schema.ENTITY_LABELS)
        assert rel.tails <= set(schema.ENTITY_LABELS)
