"""Shared fixtures: tiny annotated documents built in the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from racereport.corpus.markup import parse_markup
from racereport.records import Document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

SAMPLE_MARKUP = """\
### id=alms-t1 | series=ALMS | register=news | date=2012-03-17 | source=test
[Scott Tucker]{d1:DRIVER} und der [Level-5]{t1:TEAM}-[HPD]{c1:CAR} profitierten in [Sebring]{k1:TRACK} von einem [Reifenschaden]{i1:INCIDENT:PUNCTURE} am [Morgan]{c2:CAR} von [Conquest]{t2:TEAM}.
Der [Reifenschaden]{i2:INCIDENT:PUNCTURE} führte zur [Aufgabe]{i3:INCIDENT:RETIREMENT}; [Tucker]{d2:DRIVER} gewann die [LMP2]{l1:CLASS}.
> d1 DRIVES c1; c1 ENTERED_BY t1; i1 INVOLVED c2; i1 BENEFITED d1; c2 ENTERED_BY t2
> i2 CAUSES i3; d2 WINS l1
### id=f1-t2 | series=F1 | register=ticker | provenance=anna,markup,2026-11-25
Runde 12: [Max Verstappen]{d1:DRIVER} ([Red Bull]{t1:TEAM}) erhält eine [Fünf-Sekunden-Strafe]{i1:INCIDENT:PENALTY} für [Track Limits]{i2:INCIDENT:VIOLATION} im [Großen Preis von Österreich]{r1:RACE}. [Safety-Car]{i3:INCIDENT:NEUTRALISATION} in der [Formel 1]{s1:SERIES}!
> i1 INVOLVED d1; i2 CAUSES i1; d1 DRIVES_FOR t1
"""


@pytest.fixture
def sample_docs() -> list[Document]:
    """Two small annotated documents covering most labels and relation types."""
    return parse_markup(SAMPLE_MARKUP, where="sample")


@pytest.fixture(scope="session")
def tiny_pipeline_dir(tmp_path_factory) -> Path:
    """A full pipeline (tok2vec, ner, incident_typer, relation_extractor, event_graph)
    overfitted on SAMPLE_MARKUP and saved to disk."""
    from spacy.training import Example

    from racereport.corpus.docbin import document_to_doc
    from racereport.tokenizer import blank

    nlp = blank("de")
    for name in ("tok2vec", "ner", "incident_typer", "relation_extractor", "event_graph"):
        nlp.add_pipe(f"racereport_{name}" if name not in ("tok2vec", "ner") else name, name=name)
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96}
    nlp.replace_pipe(
        "incident_typer", "racereport_incident_typer", config={"model": {"tok2vec": listener}}
    )
    nlp.replace_pipe(
        "relation_extractor",
        "racereport_relation_extractor",
        config={"model": {"tok2vec": listener}},
    )
    docs = parse_markup(SAMPLE_MARKUP)
    train = [Example(nlp.make_doc(d.text), document_to_doc(nlp, d)) for d in docs]
    optimizer = nlp.initialize(lambda: train)
    for _ in range(60):
        nlp.update(train, sgd=optimizer)
    path = tmp_path_factory.mktemp("model") / "racereport-test"
    nlp.to_disk(path)
    return path
