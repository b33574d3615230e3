import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from racereport.tokenizer import blank

TRAIN = [
    ("Anna wohnt in Berlin .", [(0, 1, "PER"), (3, 4, "LOC")]),
    ("Die Stadt Paris ist groß .", [(2, 3, "LOC")]),
    ("Peter arbeitet bei Siemens .", [(0, 1, "PER"), (3, 4, "ORG")]),
    ("Immerhin regnet es .", []),
]
EXPECTED = [
    [("Anna", "PER"), ("Berlin", "LOC")],
    [("Paris", "LOC")],
    [("Peter", "PER"), ("Siemens", "ORG")],
    [],
]


@pytest.fixture(scope="module")
def generic_path(tmp_path_factory):
    """A tiny generic NER pipeline, overfit on four sentences and saved."""
    nlp = blank("de")
    nlp.add_pipe("ner")
    examples = []
    for text, ents in TRAIN:
        reference = nlp.make_doc(text)
        reference.ents = [Span(reference, s, e, label=label) for s, e, label in ents]
        examples.append(Example(nlp.make_doc(text), reference))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("generic") / "ner"
    nlp.to_disk(path)
    return path


def spans(doc):
    return [(s.text, s.label_) for s in doc.spans["generic_ents"]]


def with_generic(generic_path):
    nlp = blank("de")
    nlp.add_pipe("racereport_generic_entities", name="generic_entities")
    nlp.config["initialize"]["components"]["generic_entities"] = {"source": str(generic_path)}
    nlp.initialize()
    return nlp


def test_writes_the_generic_entities_as_spans_and_leaves_ents_alone(generic_path):
    nlp = with_generic(generic_path)
    docs = list(nlp.pipe(text for text, _ in TRAIN))
    assert [spans(d) for d in docs] == EXPECTED
    assert all(list(d.ents) == [] for d in docs)
    assert nlp.get_pipe("generic_entities").labels == ("LOC", "ORG", "PER")


def test_save_reload_and_bytes_give_identical_output(generic_path, tmp_path):
    nlp = with_generic(generic_path)
    nlp.to_disk(tmp_path / "p")
    reloaded = spacy.load(tmp_path / "p")
    assert (tmp_path / "p" / "generic_entities" / "generic" / "config.cfg").exists()
    texts = [text for text, _ in TRAIN]
    assert [spans(d) for d in reloaded.pipe(texts)] == EXPECTED
    restored = blank("de")
    restored.add_pipe("racereport_generic_entities", name="generic_entities")
    restored.get_pipe("generic_entities").from_bytes(nlp.get_pipe("generic_entities").to_bytes())
    assert [spans(d) for d in restored.pipe(texts)] == EXPECTED


def test_two_processes(generic_path, tmp_path):
    nlp = with_generic(generic_path)
    nlp.to_disk(tmp_path / "p")
    reloaded = spacy.load(tmp_path / "p")
    texts = [text for text, _ in TRAIN] * 3
    assert [spans(d) for d in reloaded.pipe(texts, n_process=2, batch_size=2)] == EXPECTED * 3


def test_uninitialized_component_says_what_to_do():
    nlp = blank("de")
    nlp.add_pipe("racereport_generic_entities", name="generic_entities")
    with pytest.raises(ValueError, match=r"initialize.components.generic_entities\] source"):
        nlp("Anna fährt.")


def test_source_without_ner_is_refused(tmp_path):
    empty = blank("de")
    empty.to_disk(tmp_path / "empty")
    nlp = blank("de")
    nlp.add_pipe("racereport_generic_entities", name="generic_entities")
    nlp.config["initialize"]["components"]["generic_entities"] = {"source": str(tmp_path / "empty")}
    with pytest.raises(ValueError, match="has no 'ner' component"):
        nlp.initialize()
