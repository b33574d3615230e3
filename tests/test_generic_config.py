"""The recipes that keep the base's real-text NER: ``motorsport_distilled.cfg`` (the
bundled one: the base's NER distilled onto the shared tok2vec), the same with background
text (``motorsport_background.cfg``, from a stand-in SmartData file) and
``motorsport_generic.cfg`` (a frozen copy of the base's NER runs first). Each is trained
here for a few steps from a tiny stand-in base (a tok2vec and a PER/LOC/ORG NER, built
and saved by the test) through the same mechanism (``paths.base``), saved and loaded."""

import gzip
import json

import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import split_documents
from racereport.tokenizer import blank
from racereport.training import train_on_documents
from tests.conftest import REPO

CONFIGS = REPO / "models" / "configs"


def _stand_in_base(path) -> None:
    nlp = blank("de")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner")
    reference = nlp.make_doc("Anna wohnt in Berlin .")
    reference.ents = [Span(reference, 0, 1, label="PER"), Span(reference, 3, 4, label="LOC")]
    examples = [Example(nlp.make_doc(reference.text), reference)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(20):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(path)


def _stand_in_background(path) -> None:
    """A SmartData-shaped file of two documents about other things."""
    texts = ["Die Bahn meldet Verspätungen bei Mannheim.", "Siemens baut ein Werk in Berlin."]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps({"text": {"string": t}}) for t in texts))


@pytest.mark.parametrize(
    ("config", "first", "saved"),
    [
        ("motorsport_distilled.cfg", ["tok2vec", "generic_tagger"], "generic_tagger/model"),
        ("motorsport_background.cfg", ["tok2vec", "generic_tagger"], "generic_tagger/model"),
        ("motorsport_generic.cfg", ["generic_entities", "tok2vec"], "generic_entities/generic/ner"),
    ],
)
def test_generic_recipes_train_save_and_load(tmp_path, config, first, saved):
    _stand_in_base(tmp_path / "base")
    docs = [d for d in load_documents([REPO / "corpus" / "de"]) if d.length == "short"]
    splits = split_documents(docs)
    overrides = {
        "paths.base": str(tmp_path / "base"),
        "training.max_steps": 4,
        "training.eval_frequency": 2,
    }
    if "background" in (CONFIGS / config).read_text():  # reads SmartData documents
        _stand_in_background(tmp_path / "smartdata.json.gz")
        overrides["paths.background"] = str(tmp_path / "smartdata.json.gz")
    best = train_on_documents(
        CONFIGS / config, splits["train"][:6], splits["dev"][:2], tmp_path / "out", overrides
    )
    nlp = spacy.load(best)
    assert nlp.pipe_names == [
        *first,
        "ner",
        "name_propagation",
        "incident_typer",
        "relation_extractor",
        "event_graph",
    ]
    assert (best / saved).exists()
    doc = nlp("Anna wohnt in Berlin .")
    assert "generic_ents" in doc.spans
    assert doc._.racereport_event_graph_data is not None
