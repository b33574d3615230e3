import pytest

from racereport.records import Document, RecordError


def minimal(**overrides):
    obj = {"id": "x", "text": "Hallo", "entities": []}
    obj.update(overrides)
    return obj


def test_defaults_and_round_trip():
    doc = Document.from_dict(minimal())
    assert (doc.lang, doc.register, doc.relations, doc.provenance) == ("de", "news", (), ())
    assert Document.from_dict(doc.to_dict()) == doc


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "must be a JSON object"),
        ({"id": "x", "entities": []}, "missing field 'text'"),
        (minimal(id=3), "field 'id' must be str"),
        (
            minimal(entities=[{"id": "e1", "start": "0", "end": 2, "label": "CAR", "text": "Ha"}]),
            "entity 0: field 'start' must be int",
        ),
        (
            minimal(entities=[{"id": "e1", "start": True, "end": 2, "label": "CAR", "text": "Ha"}]),
            "must be int, got bool",
        ),
        (minimal(relations=[{"head": "e1", "label": "WINS"}]), "relation 0: missing field 'tail'"),
        (minimal(lang=5), "field 'lang' must be str"),
    ],
)
def test_structural_errors(obj, message):
    with pytest.raises(RecordError, match=message):
        Document.from_dict(obj)
