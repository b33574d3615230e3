import numpy
from spacy.tokens import Span
from spacy.training import Example
from thinc.api import fix_random_seed

from racereport.ml.generic_entities import (
    _tag_ids,
    build_with_generic_entities,
    generic_entity_ids,
    n_tag_classes,
)
from racereport.tokenizer import blank

KEY = "generic_ents"


def doc_with_spans(nlp, text, spans):
    doc = nlp.make_doc(text)
    doc.spans[KEY] = [Span(doc, start, end, label=label) for start, end, label in spans]
    return doc


def test_bio_ids_per_label_and_other():
    nlp = blank("de")
    doc = doc_with_spans(
        nlp,
        "Max Verstappen fährt für Red Bull in Monza .",
        [(0, 2, "PER"), (4, 6, "ORG"), (7, 8, "MISC")],
    )
    ids = _tag_ids(doc, KEY, {"PER": 0, "LOC": 1, "ORG": 2}, 3)
    assert ids[:, 0].tolist() == [1, 2, 0, 0, 5, 6, 0, 7, 0]
    assert n_tag_classes(["PER", "LOC", "ORG"]) == 9


def test_doc_without_spans_is_outside_everywhere():
    nlp = blank("de")
    (ids,) = generic_entity_ids(["PER"], KEY).predict([nlp.make_doc("Regen in Spa")])
    assert numpy.asarray(ids).ravel().tolist() == [0, 0, 0]


def test_width_is_tok2vec_plus_features():
    from spacy.ml.models import build_hash_embed_cnn_tok2vec

    tok2vec = build_hash_embed_cnn_tok2vec(
        width=32,
        depth=1,
        embed_size=100,
        window_size=1,
        maxout_pieces=2,
        subword_features=True,
        pretrained_vectors=None,
    )
    model = build_with_generic_entities(tok2vec, 8, ["PER"], KEY)
    nlp = blank("de")
    docs = [doc_with_spans(nlp, "Meier kommt", [(0, 1, "PER")])]
    model.initialize(X=docs)
    (out,) = model.predict(docs)
    assert out.shape == (2, 40)


def test_ner_learns_from_the_generic_tags_alone():
    """Same words, different generic tags: only the features can tell the NER apart."""
    fix_random_seed(0)
    nlp = blank("de")
    config = {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 32,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "race.WithGenericEntities.v1",
                "width": 8,
                "labels": ["PER"],
                "spans_key": KEY,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "width": 32,
                    "depth": 1,
                    "embed_size": 100,
                    "window_size": 1,
                    "maxout_pieces": 2,
                    "subword_features": True,
                    "pretrained_vectors": None,
                },
            },
        }
    }
    nlp.add_pipe("ner", config=config)

    def example(tagged):
        predicted = doc_with_spans(nlp, "Meier kommt heute .", [(0, 1, "PER")] if tagged else [])
        reference = nlp.make_doc("Meier kommt heute .")
        reference.ents = [Span(reference, 0, 1, label="DRIVER")] if tagged else []
        return Example(predicted, reference)

    train = [example(True), example(False)]
    optimizer = nlp.initialize(lambda: train)
    for _ in range(200):
        nlp.update(train, sgd=optimizer, drop=0.0)
    tagged = nlp.get_pipe("ner")(doc_with_spans(nlp, "Meier kommt heute .", [(0, 1, "PER")]))
    untagged = nlp.get_pipe("ner")(doc_with_spans(nlp, "Meier kommt heute .", []))
    assert [(e.text, e.label_) for e in tagged.ents] == [("Meier", "DRIVER")]
    assert list(untagged.ents) == []
