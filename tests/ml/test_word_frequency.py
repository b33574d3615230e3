"""race.WordFrequencyEmbed.v1 / race.FrequencyHashEmbed.v1: frequency class x casing per
token, the word list stored with the model."""

import numpy
from spacy.util import registry

from racereport.ml.word_frequency import (
    CASES,
    build_frequency_hash_embed,
    frequency_classes,
    n_classes,
)
from racereport.tokenizer import blank

ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
ROWS = [500, 100, 250, 250]


def _ids_layer(model):
    return next(node for node in model.walk() if node.name == "frequency_ids")


def _case(text):
    if text.islower():
        return 0
    if text.istitle():
        return 1
    if text.isupper():
        return 2
    return 3


def _reference_ids(ids, doc):
    """The ids token by token, from the layer's table and each token's text."""
    table, top = ids.attrs["table"], ids.attrs["classes"] - 1
    return [min(table.get(t.lower_, 0), top) * CASES + _case(t.text) for t in doc]


def test_classes_follow_zipf_steps():
    table = frequency_classes("de", min_zipf=4.0, step=0.5)
    # "und" is among the most frequent German words, "verstappen" below Zipf 4
    assert table["und"] > table["regen"] >= 1
    assert "verstappen" not in table
    assert n_classes(2.5, 0.5) == 13


def test_ids_combine_class_and_casing_and_survive_serialisation():
    nlp = blank("de")
    docs = [nlp("Immerhin REGEN in Hockenheim, regen Vettel")]
    model = build_frequency_hash_embed(16, ATTRS, ROWS, False, 8, "de", 2.5, 0.5)
    ids = _ids_layer(model)
    ids.attrs["table"] = {"immerhin": 5, "regen": 6, "in": 12}
    model.initialize(X=docs)
    assert ids.attrs["table"] == {"immerhin": 5, "regen": 6, "in": 12}  # not replaced
    expected = [5 * CASES + 1, 6 * CASES + 2, 12 * CASES + 0, 0 * CASES + 1, 0 * CASES + 3]
    expected += [6 * CASES + 0, 0 * CASES + 1]
    assert ids.predict(docs)[0].ravel().tolist() == expected
    (vectors,) = model.predict(docs)
    assert vectors.shape == (len(docs[0]), 16)
    copy = build_frequency_hash_embed(16, ATTRS, ROWS, False, 8, "de", 2.5, 0.5)
    copy.from_bytes(model.to_bytes())
    assert _ids_layer(copy).attrs["table"] == ids.attrs["table"]
    numpy.testing.assert_allclose(copy.predict(docs)[0], vectors)


def test_ids_from_doc_arrays_match_per_token_reference_and_follow_a_new_table():
    nlp = blank("de")
    texts = ["ÄRGER für McLaren-Pilot iPhone: 3. Platz, ǅ und ß", "", "regen Regen REGEN rEgen"]
    docs = [nlp(t) for t in texts]
    model = build_frequency_hash_embed(16, ATTRS, ROWS, False, 8, "de", 2.5, 0.5)
    ids = _ids_layer(model)
    ids.attrs["table"] = {"ärger": 3, "für": 11, "regen": 6, "platz": 7, "und": 40}
    model.initialize(X=docs)

    for doc, got in zip(docs, ids.predict(docs), strict=True):
        assert got.shape == (len(doc), 1)
        assert got.ravel().tolist() == _reference_ids(ids, doc)
    ids.attrs["table"] = {"regen": 2}  # a replaced table is read, not the memo
    assert ids.predict(docs[2:])[0].ravel().tolist() == _reference_ids(ids, docs[2])
    expected = [2 * CASES + 0, 2 * CASES + 1, 2 * CASES + 2, 2 * CASES + 3]
    assert _reference_ids(ids, docs[2]) == expected


def test_ids_stay_right_when_the_memo_starts_over(monkeypatch):
    import racereport.ml.word_frequency as wf

    monkeypatch.setattr(wf, "_MEMO_LIMIT", 1)
    nlp = blank("de")
    model = build_frequency_hash_embed(16, ATTRS, ROWS, False, 8, "de", 2.5, 0.5)
    ids = _ids_layer(model)
    ids.attrs["table"] = {"regen": 6, "und": 12}
    model.initialize(X=[nlp("Regen und Regen")])
    for text in ["Regen und Sonne", "UND regen", "Sonne"]:
        got = ids.predict([nlp(text)])[0].ravel().tolist()
        assert got == _reference_ids(ids, nlp(text))
    assert len(wf._MEMOS[ids.id][1]) <= 3


def test_registered_for_configs():
    assert registry.architectures.get("race.FrequencyHashEmbed.v1") is build_frequency_hash_embed
