import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from racereport import schema
from racereport.corpus.docbin import document_to_doc
from racereport.corpus.markup import parse_markup
from racereport.tokenizer import blank

TRAIN = """\
### id=a
Ein [Reifenschaden]{i1:INCIDENT:PUNCTURE} stoppte [Tucker]{d1:DRIVER}.
### id=b
Nach einem [Dreher]{i1:INCIDENT:SPIN} kam das [Safety-Car]{i2:INCIDENT:NEUTRALISATION}.
### id=c
Die [Durchfahrtsstrafe]{i1:INCIDENT:PENALTY} wegen [Frühstarts]{i2:INCIDENT:VIOLATION} traf ihn.
### id=d
Der [Motorschaden]{i1:INCIDENT:MECHANICAL} führte zum [Ausfall]{i2:INCIDENT:RETIREMENT} nach dem [Unfall]{i3:INCIDENT:CRASH}.
"""


def examples(nlp):
    out = []
    for doc in parse_markup(TRAIN):
        reference = document_to_doc(nlp, doc)
        predicted = nlp.make_doc(doc.text)
        predicted.ents = [Span(predicted, e.start, e.end, label=e.label_) for e in reference.ents]
        out.append(Example(predicted, reference))
    return out


def with_ents(nlp, text, ents):
    doc = nlp.make_doc(text)
    doc.ents = [
        doc.char_span(text.index(t), text.index(t) + len(t), label=schema.INCIDENT) for t in ents
    ]
    return doc


@pytest.fixture(scope="module")
def trained():
    nlp = blank("de")
    typer = nlp.add_pipe("racereport_incident_typer", name="incident_typer")
    train = examples(nlp)
    optimizer = nlp.initialize(lambda: train)
    for _ in range(60):
        losses = {}
        nlp.update(train, sgd=optimizer, losses=losses)
    assert losses["incident_typer"] < 0.1
    return nlp, typer


def typed(doc):
    return [(s.text, s.label_) for s in doc.spans[schema.INCIDENT_SPANS_KEY]]


def test_overfits_to_exact_types(trained):
    nlp, typer = trained
    predicted = [typed(typer(eg.predicted.copy())) for eg in examples(nlp)]
    assert predicted == [
        [("Reifenschaden", "PUNCTURE")],
        [("Dreher", "SPIN"), ("Safety-Car", "NEUTRALISATION")],
        [("Durchfahrtsstrafe", "PENALTY"), ("Frühstarts", "VIOLATION")],
        [("Motorschaden", "MECHANICAL"), ("Ausfall", "RETIREMENT"), ("Unfall", "CRASH")],
    ]


def test_docs_without_incidents(trained):
    nlp, typer = trained
    doc = typer(nlp.make_doc("Kein Zwischenfall heute."))
    assert typed(doc) == []
    docs = list(typer.pipe([nlp.make_doc(""), with_ents(nlp, "Ein Dreher.", ["Dreher"])]))
    assert typed(docs[0]) == [] and len(typed(docs[1])) == 1


def test_save_and_reload_give_identical_output(trained, tmp_path):
    nlp, _ = trained
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["incident_typer"]
    texts = [
        ("Der Reifenschaden und der Dreher.", ["Reifenschaden", "Dreher"]),
        ("Der Motorschaden.", ["Motorschaden"]),
    ]
    for text, ents in texts:
        a = nlp.get_pipe("incident_typer")(with_ents(nlp, text, ents))
        b = loaded.get_pipe("incident_typer")(with_ents(loaded, text, ents))
        assert typed(a) == typed(b)


def test_scorer_reports_accuracy(trained):
    nlp, _ = trained
    scores = nlp.evaluate(examples(nlp))
    assert scores["incident_type_acc"] == 1.0
    assert scores["incident_types_f"] == 1.0


def test_labels_are_the_schema(trained):
    _, typer = trained
    assert typer.labels == schema.INCIDENT_TYPES
    with pytest.raises(ValueError, match="not an incident type"):
        typer.add_label("EXPLOSION")
