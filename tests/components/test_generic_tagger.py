import pytest
import spacy
from spacy.training import Example

from racereport.components.generic_tagger import bio_tags, spans_from_tags
from racereport.tokenizer import blank

TEXTS = [
    "Anna wohnt in Berlin .",
    "Die Stadt Paris ist groß .",
    "Peter Maier arbeitet bei Siemens .",
    "Immerhin regnet es .",
]
EXPECTED = [
    [("Anna", "PER"), ("Berlin", "LOC")],
    [("Paris", "LOC")],
    [("Peter Maier", "PER"), ("Siemens", "ORG")],
    [],
]


@pytest.fixture(scope="module")
def teacher_path(tmp_path_factory):
    """A saved teacher pipeline whose entities come from an entity ruler."""
    nlp = blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Anna"},
            {"label": "PER", "pattern": "Peter Maier"},
            {"label": "LOC", "pattern": "Berlin"},
            {"label": "LOC", "pattern": "Paris"},
            {"label": "ORG", "pattern": "Siemens"},
        ]
    )
    path = tmp_path_factory.mktemp("teacher") / "ruler"
    nlp.to_disk(path)
    return path


def spans(doc):
    return [(s.text, s.label_) for s in doc.spans["generic_ents"]]


def student():
    nlp = blank("de")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("racereport_generic_tagger", name="generic_tagger")
    return nlp


def examples(nlp):
    return [Example(nlp.make_doc(t), nlp.make_doc(t)) for t in TEXTS]


@pytest.fixture(scope="module")
def trained(teacher_path):
    nlp = student()
    nlp.config["initialize"]["components"]["generic_tagger"] = {
        "teacher": str(teacher_path),
        "labels": ["PER", "LOC", "ORG"],
    }
    optimizer = nlp.initialize(lambda: examples(nlp))
    for _ in range(80):
        nlp.update(examples(nlp), sgd=optimizer, drop=0.0)
    return nlp


def test_bio_decoding():
    assert bio_tags(["LOC", "PER"]) == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "B-LOC", "I-PER", "I-PER"]
    assert spans_from_tags(tags) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "LOC"),
        (6, 8, "PER"),
    ]
    assert spans_from_tags([]) == []


def test_learns_the_teachers_entities(trained):
    assert trained.get_pipe("generic_tagger").labels == ("LOC", "ORG", "PER")
    assert [spans(doc) for doc in trained.pipe(TEXTS)] == EXPECTED
    assert trained("Siemens").ents == ()


def test_update_writes_its_tags_to_the_training_docs(trained):
    egs = examples(trained)
    trained.get_pipe("tok2vec").update(egs)
    trained.get_pipe("generic_tagger").update(egs)
    assert [spans(eg.predicted) for eg in egs] == EXPECTED


def test_saved_without_the_teacher_and_reloaded_identically(trained, tmp_path):
    trained.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("generic_tagger").teacher is None
    assert [spans(doc) for doc in loaded.pipe(TEXTS)] == EXPECTED
    assert [spans(doc) for doc in loaded.pipe(TEXTS * 2, n_process=2, batch_size=2)] == (
        EXPECTED * 2
    )
    assert spans(loaded("")) == []


def test_labels_from_the_teachers_ner(tmp_path):
    teacher = blank("de")
    teacher.add_pipe("ner").add_label("PER")
    teacher.initialize()
    teacher.to_disk(tmp_path / "t")
    nlp = student()
    nlp.config["initialize"]["components"]["generic_tagger"] = {"teacher": str(tmp_path / "t")}
    nlp.initialize(lambda: examples(nlp))
    assert nlp.get_pipe("generic_tagger").tags == ["O", "B-PER", "I-PER"]


def test_clear_errors_without_a_usable_teacher(teacher_path):
    nlp = student()
    with pytest.raises(ValueError, match=r"initialize.components.generic_tagger\] teacher"):
        nlp.initialize(lambda: examples(nlp))
    nlp = student()
    nlp.config["initialize"]["components"]["generic_tagger"] = {"teacher": str(teacher_path)}
    with pytest.raises(ValueError, match="has no 'ner' component"):
        nlp.initialize(lambda: examples(nlp))
    nlp = student()
    nlp.config["initialize"]["components"]["generic_tagger"] = {"labels": ["PER"]}
    optimizer = nlp.initialize(lambda: examples(nlp))
    with pytest.raises(ValueError, match="has no teacher to learn from"):
        nlp.update(examples(nlp), sgd=optimizer)
