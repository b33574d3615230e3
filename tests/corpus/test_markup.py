import pytest

from racereport.corpus.markup import MarkupError, parse_markup, render_markup
from tests.conftest import SAMPLE_MARKUP


def test_parses_offsets_types_and_relations(sample_docs):
    doc = sample_docs[0]
    assert doc.id == "alms-t1" and doc.series == "ALMS" and doc.date == "2012-03-17"
    by_id = {e.id: e for e in doc.entities}
    assert doc.text[by_id["t1"].start : by_id["t1"].end] == "Level-5"
    assert doc.text[by_id["c1"].start : by_id["c1"].end] == "HPD"
    assert by_id["i1"].type == "PUNCTURE" and by_id["d1"].type is None
    assert "\n" in doc.text  # two lines, one paragraph break
    assert [(r.head, r.label, r.tail) for r in doc.relations][-2:] == [
        ("i2", "CAUSES", "i3"),
        ("d2", "WINS", "l1"),
    ]
    assert sample_docs[1].provenance[0].annotator == "anna"


def test_render_is_the_inverse(sample_docs):
    again = parse_markup("\n".join(render_markup(d) for d in sample_docs))
    assert again == sample_docs


def test_escapes_round_trip():
    docs = parse_markup("### id=x\nKlammern \\[sic\\] und \\{x\\} mit [A]{a:DRIVER}.\n")
    assert docs[0].text == "Klammern [sic] und {x} mit A."
    assert parse_markup(render_markup(docs[0])) == docs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Text ohne Kopf\n", "line 1|:1: text before the first"),
        ("### series=F1\n", ":1: header without 'id='"),
        ("### id=x | colour=red\n", "bad header field"),
        ("### id=x\n[A [B]{b:CAR}]{a:CAR}\n", ":2: nested"),
        ("### id=x\n[A]\n", "must be followed by"),
        ("### id=x\n[A]{a}\n", "bad annotation"),
        ("### id=x\n[A\n", "not closed"),
        ("### id=x\nA]{a:CAR}\n", "without '\\['"),
        ("### id=x\na { b\n", "stray"),
        ("### id=x\n[A]{a:CAR}\n> a DRIVES\n", ":3: bad relation"),
    ],
)
def test_errors_name_the_line(text, message):
    with pytest.raises(MarkupError, match=message):
        parse_markup(text)


def test_sample_parses():
    assert len(parse_markup(SAMPLE_MARKUP)) == 2
