import numpy
import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from racereport import schema
from racereport.components.relation_extractor import choose_threshold
from racereport.corpus.docbin import document_to_doc
from racereport.corpus.markup import parse_markup
from racereport.relation_candidates import (
    N_FEATURES,
    allowed_labels,
    candidates,
    label_mask,
    sentence_ids,
)
from racereport.scoring import relation_triples
from racereport.tokenizer import blank
from tests.conftest import SAMPLE_MARKUP


def gold_entity_doc(nlp, reference):
    """The reference's text with its entities (and ids) but no relations."""
    doc = nlp.make_doc(reference.text)
    doc.ents = [Span(doc, e.start, e.end, label=e.label_) for e in reference.ents]
    doc._.racereport_entity_ids = list(reference._.racereport_entity_ids)
    return doc


def overfit(markup, steps, **settings):
    """A tok2vec and relation extractor trained ``steps`` times on ``markup``'s documents
    (gold entities given), and the reference docs."""
    nlp = blank("de")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96}
    nlp.add_pipe(
        "racereport_relation_extractor",
        name="relation_extractor",
        config={"model": {"tok2vec": listener}, **settings},
    )
    references = [document_to_doc(nlp, d) for d in parse_markup(markup)]
    train = [Example(gold_entity_doc(nlp, r), r) for r in references]
    optimizer = nlp.initialize(lambda: train)
    for _ in range(steps):
        nlp.update(train, sgd=optimizer)
    return nlp, references


@pytest.fixture(scope="module")
def trained():
    return overfit(SAMPLE_MARKUP, 80)


def predict(nlp, references, **kwargs):
    docs = [gold_entity_doc(nlp, r) for r in references]
    for _, proc in nlp.pipeline:
        docs = list(proc.pipe(docs, **kwargs))
    return docs


def test_overfits_to_the_exact_gold_relations(trained):
    nlp, references = trained
    for reference, doc in zip(references, predict(nlp, references), strict=True):
        assert relation_triples(doc) == relation_triples(reference)
        assert (
            doc._.racereport_relations
            and doc._.racereport_entity_ids == reference._.racereport_entity_ids
        )


def test_cross_sentence_relation_is_found(trained):
    # "Der Reifenschaden führte zur Aufgabe; Tucker ..." and the first sentence's
    # "Scott Tucker ... profitierten von einem Reifenschaden": i1 BENEFITED d1 is in
    # sentence 1, i2 CAUSES i3 in sentence 2; both are predicted.
    nlp, references = trained
    doc = predict(nlp, references[:1])[0]
    labels = {(r["head"], r["tail"], r["label"]) for r in doc._.racereport_relations}
    assert ("i1", "d1", "BENEFITED") in labels and ("i2", "i3", "CAUSES") in labels


def test_scores_are_keyed_by_whole_spans_and_respect_argument_labels(trained):
    nlp, references = trained
    doc = predict(nlp, references[:1])[0]
    spans = {(e.start, e.end): e.label_ for e in doc.ents}
    for item in doc._.racereport_relation_scores:
        head, tail = tuple(item["head"]), tuple(item["tail"])
        assert head in spans and tail in spans
        assert set(item["scores"]) == set(allowed_labels(spans[head], spans[tail]))


def test_save_and_reload_give_identical_output(trained, tmp_path):
    nlp, references = trained
    nlp.get_pipe("relation_extractor").cfg["thresholds"]["WINS"] = 0.35
    nlp.to_disk(tmp_path / "m")
    reloaded = spacy.load(tmp_path / "m")
    assert reloaded.get_pipe("relation_extractor").thresholds["WINS"] == pytest.approx(0.35)
    before = predict(nlp, references)
    after = predict(reloaded, references)
    for a, b in zip(before, after, strict=True):
        assert a._.racereport_relations == b._.racereport_relations
        assert a._.racereport_relation_scores == b._.racereport_relation_scores
    nlp.get_pipe("relation_extractor").cfg["thresholds"]["WINS"] = 0.5


def test_n_process_2_gives_identical_output(trained, tmp_path):
    nlp, references = trained
    full = blank("de")
    # a complete pipeline: ner overfitted too, then relations, then the graph
    full.add_pipe("tok2vec", source=nlp)
    full.add_pipe("ner")
    full.add_pipe("relation_extractor", source=nlp)
    full.add_pipe("racereport_event_graph", name="event_graph")
    train = [Example(full.make_doc(r.text), r) for r in references]
    optimizer = full.initialize(lambda: train)
    for _ in range(60):
        full.update(train, sgd=optimizer)
    texts = [r.text for r in references] * 3
    single = list(full.pipe(texts))
    multi = list(full.pipe(texts, n_process=2, batch_size=2))
    for a, b in zip(single, multi, strict=True):
        assert a._.racereport_relations == b._.racereport_relations
        assert a._.racereport_relation_scores == b._.racereport_relation_scores
        assert a._.racereport_event_graph_data == b._.racereport_event_graph_data
    assert any(doc._.racereport_relations for doc in single)


def test_tune_thresholds_stores_one_per_type(trained):
    nlp, references = trained
    rel = nlp.get_pipe("relation_extractor")
    before = rel.thresholds
    docs = [gold_entity_doc(nlp, r) for r in references]
    docs = list(nlp.get_pipe("tok2vec").pipe(docs))
    tuned = rel.tune_thresholds([Example(d, r) for d, r in zip(docs, references, strict=True)])
    assert set(tuned) == set(schema.RELATION_LABELS)
    assert all(0.0 < t < 1.0 for t in tuned.values())
    assert rel.cfg["thresholds"] == tuned
    rel.cfg["thresholds"] = before


def test_threshold_choice_stays_near_half_unless_the_evidence_is_clear():
    grid = [0.15, 0.3, 0.5, 0.7]
    # few gold relations: 0.15 is best by 0.05 F1, within one standard error -> 0.5
    assert choose_threshold(grid, [0.35, 0.33, 0.30, 0.20], support=30) == 0.5
    # many gold relations: the same margin is far outside the error -> 0.15
    assert choose_threshold(grid, [0.35, 0.33, 0.30, 0.20], support=3000) == 0.15
    # the best threshold is 0.5 itself, or ties on both sides of it resolve low
    assert choose_threshold(grid, [0.1, 0.5, 0.8, 0.5], support=10_000) == 0.5
    assert choose_threshold([0.3, 0.7], [0.6, 0.6], support=10_000) == 0.3


def test_bad_settings_and_input_are_clear_errors():
    nlp = blank("de")
    with pytest.raises(ValueError, match="threshold"):
        nlp.add_pipe("racereport_relation_extractor", config={"threshold": 1.5})
    with pytest.raises(ValueError, match="max_sentence_distance"):
        nlp.add_pipe(
            "racereport_relation_extractor", name="r2", config={"max_sentence_distance": -1}
        )
    with pytest.raises(ValueError, match="not a relation type"):
        nlp.add_pipe(
            "racereport_relation_extractor", name="r4", config={"positive_weights": {"X": 2.0}}
        )
    with pytest.raises(ValueError, match="must be > 0"):
        nlp.add_pipe(
            "racereport_relation_extractor",
            name="r5",
            config={"positive_weights": {"BENEFITED": 0.0}},
        )
    rel = nlp.add_pipe("racereport_relation_extractor", name="r3")
    with pytest.raises(ValueError, match="not a relation type"):
        rel.add_label("SPONSORS")
    empty = [Example(nlp.make_doc("Kein Name hier."), nlp.make_doc("Kein Name hier."))]
    with pytest.raises(ValueError, match="no candidate entity pairs"):
        rel.initialize(lambda: empty, nlp=nlp)


def test_doc_without_entities_gets_empty_relations(trained):
    nlp, _ = trained
    doc = nlp("Heute regnet es in der Eifel.")
    assert doc._.racereport_relations == [] and doc._.racereport_relation_scores == []


def test_candidates_respect_window_and_labels():
    nlp = blank("de")
    text = "Tucker fuhr. Es regnete. Es regnete. Es regnete. Der HPD siegte."
    doc = nlp.make_doc(text)
    doc.ents = [
        doc.char_span(0, 6, label="DRIVER"),
        doc.char_span(text.index("HPD"), text.index("HPD") + 3, label="CAR"),
    ]
    ids = sentence_ids(doc)
    assert ids[-1] == 4
    assert len(candidates(list(doc.ents), ids, max_sentence_distance=3)) == 0
    found = candidates(list(doc.ents), ids, max_sentence_distance=4)
    assert found.pairs.tolist() == [[0, 1]]  # DRIVES; CAR -> DRIVER allows nothing
    assert found.masks.tolist() == [label_mask("DRIVER", "CAR").tolist()]
    assert found.features.shape == (1, N_FEATURES)
    assert label_mask("CAR", "DRIVER").sum() == 0
    assert label_mask("INCIDENT", "TEAM").tolist() == [
        1.0 if r in ("INVOLVED", "BENEFITED") else 0.0 for r in schema.RELATION_LABELS
    ]


def test_headline_targets_add_far_win_candidates_only():
    nlp = blank("de")
    text = "Sieg beim Eifelrennen. Es regnete. Es regnete. Es regnete. Berger gewann im BMW."
    doc = nlp.make_doc(text)
    doc.ents = [
        doc.char_span(text.index("Eifelrennen"), text.index("Eifelrennen") + 11, label="RACE"),
        doc.char_span(text.index("Berger"), text.index("Berger") + 6, label="DRIVER"),
        doc.char_span(text.index("BMW"), text.index("BMW") + 3, label="CAR"),
    ]
    ids, spans = sentence_ids(doc), list(doc.ents)
    assert candidates(spans, ids, 2).pairs.tolist() == [[1, 2]]  # DRIVES only
    found = candidates(spans, ids, 2, headline_targets=True)
    assert found.pairs.tolist() == [[1, 0], [1, 2], [2, 0]]  # driver and car -> race
    wins_only = [1.0 if r == "WINS" else 0.0 for r in schema.RELATION_LABELS]
    assert found.masks[[0, 2]].tolist() == [wins_only, wins_only]
    far_bucket = N_FEATURES - 3  # the last distance bucket: 3+ sentences
    assert found.features[[0, 2], far_bucket].tolist() == [1.0, 1.0]
    near = candidates(spans[:2], [0] * len(ids), 2, headline_targets=True)
    assert near.pairs.tolist() == [[1, 0]]  # within the window: no second pair


HEADLINE_MARKUP = (
    "### id=eifel-t1 | series=DTM | register=news | date=2024-05-05 | source=test\n"
    "Bericht vom [Eifelrennen]{r1:RACE}. Es regnete am Morgen. Die Strecke trocknete ab. "
    "[Berger]{d1:DRIVER} gewann im [BMW]{c1:CAR}. [Kessler]{d2:DRIVER} wurde Zweiter.\n"
    "> d1 WINS r1; d1 DRIVES c1\n"
)


def test_a_winner_far_from_the_headline_race_is_learnt():
    nlp, references = overfit(HEADLINE_MARKUP, 60, headline_targets=True)
    (doc,) = predict(nlp, references)
    assert relation_triples(doc) == relation_triples(references[0])
    assert nlp.get_pipe("relation_extractor").cfg["headline_targets"] is True


def names_list_doc(nlp, n):
    """One sentence listing ``n`` drivers with their teams, as entry lists do."""
    parts = [f"Fahrer{i} (Team{i})" for i in range(n)]
    doc = nlp.make_doc("Gemeldet sind " + ", ".join(parts) + ".")
    ents = []
    for i in range(n):
        ents.append(Span(doc, 2 + 5 * i, 3 + 5 * i, label="DRIVER"))
        ents.append(Span(doc, 4 + 5 * i, 5 + 5 * i, label="TEAM"))
    doc.ents = ents
    return doc


def test_candidate_cap_keeps_the_nearest_tails_and_counts_the_rest():
    doc = names_list_doc(blank("de"), 40)
    ids = sentence_ids(doc)
    full = candidates(list(doc.ents), ids, max_sentence_distance=2)
    capped = candidates(list(doc.ents), ids, max_sentence_distance=2, max_per_entity=3)
    assert len(full) == 40 * 40 and full.cut == 0  # every driver with every team
    assert len(capped) == 40 * 3 and capped.cut == 40 * 37
    first = capped.pairs[capped.pairs[:, 0] == 0, 1].tolist()
    assert first == [1, 3, 5]  # Fahrer0: its own team and the next two, nearest first
    twentieth = capped.pairs[capped.pairs[:, 0] == 40, 1].tolist()
    assert twentieth == [39, 41, 43]  # Fahrer20: the team before it, its own, the next
    kept = {tuple(p) for p in capped.pairs.tolist()}
    assert kept <= {tuple(p) for p in full.pairs.tolist()}
    with pytest.raises(ValueError, match="max_per_entity"):
        candidates(list(doc.ents), ids, max_sentence_distance=2, max_per_entity=0)


def test_candidates_do_not_depend_on_span_order_or_head_blocks(monkeypatch):
    import racereport.relation_candidates as rc

    doc = names_list_doc(blank("de"), 30)
    ids = sentence_ids(doc)
    spans = list(doc.ents)
    whole = candidates(spans, ids, 2, 5)
    monkeypatch.setattr(rc, "_HEAD_BLOCK", 7)
    blocked = candidates(spans, ids, 2, 5)
    assert whole.pairs.tolist() == blocked.pairs.tolist() and whole.cut == blocked.cut
    reversed_spans = spans[::-1]
    back = candidates(reversed_spans, ids, 2, 5)
    n = len(spans)
    assert sorted((n - 1 - h, n - 1 - t) for h, t in back.pairs.tolist()) == sorted(
        map(tuple, whole.pairs.tolist())
    )


def test_prediction_in_chunks_gives_the_scores_of_one_pass(trained):
    import numpy

    nlp, references = trained
    rel = nlp.get_pipe("relation_extractor")
    docs = [gold_entity_doc(nlp, r) for r in references]
    docs = list(nlp.get_pipe("tok2vec").pipe(docs))
    one_pass = rel.model.attrs["predict_chunk"]
    whole = rel.predict(docs)[-1]
    rel.model.attrs["predict_chunk"] = 2
    try:
        chunked = rel.predict(docs)[-1]
    finally:
        rel.model.attrs["predict_chunk"] = one_pass
    assert whole.shape == chunked.shape and whole.shape[0] > 4
    numpy.testing.assert_allclose(chunked, whole, rtol=1e-5, atol=1e-6)


def test_a_long_list_of_names_is_capped_and_reported(trained):
    from racereport.extract import extraction_record

    nlp, _ = trained
    rel = nlp.get_pipe("relation_extractor")
    doc = names_list_doc(nlp, 60)
    doc = rel(nlp.get_pipe("tok2vec")(doc))
    assert doc._.racereport_relation_candidates_cut == 60 * (60 - 48)
    assert len(doc._.racereport_relation_scores) == 60 * 48
    record = extraction_record(doc, "list")
    assert record["warnings"] and "capped" in record["warnings"][0]
    assert (
        extraction_record(rel(nlp.get_pipe("tok2vec")(nlp.make_doc("Kurz."))), "x")["warnings"]
        == []
    )


@pytest.mark.parametrize("component", ["relation_extractor", "incident_typer"])
def test_update_sets_the_dropout_rate_of_the_model(component):
    from thinc.api import Dropout

    nlp = blank("de")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe(
        f"racereport_{component}",
        name=component,
        config={"model": {"tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96}}},
    )
    references = [document_to_doc(nlp, d) for d in parse_markup(SAMPLE_MARKUP)]
    train = [Example(gold_entity_doc(nlp, r), r) for r in references]
    optimizer = nlp.initialize(lambda: train)
    pipe = nlp.get_pipe(component)
    dropouts = [node for node in pipe.model.walk() if node.name == Dropout().name]
    assert dropouts
    for rate in (0.3, 0.0):
        nlp.update(train, drop=rate, sgd=optimizer)
        assert {node.attrs["dropout_rate"] for node in dropouts} == {rate}


def test_prediction_pools_contexts_as_training_does(trained):
    """Prediction reads contexts from prefix sums and range maxima, training copies
    each context's tokens (``context_pooler``): the scores agree."""
    import numpy

    from racereport.ml.relation_model import _pair_matrix

    nlp, references = trained
    rel = nlp.get_pipe("relation_extractor")
    docs = list(nlp.get_pipe("tok2vec").pipe(gold_entity_doc(nlp, r) for r in references))
    inputs, _, _, _ = rel._inputs(docs, [list(doc.ents) for doc in docs])
    predicted = rel.model.predict(inputs)
    model = rel.model
    tokvecs = model.get_ref("encoder").predict(inputs.docs)
    span_vecs = model.get_ref("pooler").predict((tokvecs, inputs.spans))
    context_vecs = model.get_ref("context_pooler").predict((tokvecs, inputs.contexts))
    copied = model.get_ref("classifier").predict(
        _pair_matrix(model, span_vecs, context_vecs, inputs)
    )
    assert predicted.shape == copied.shape and predicted.shape[0] > 4
    numpy.testing.assert_allclose(predicted, copied, rtol=1e-5, atol=1e-6)


def test_score_table_is_plain_data_and_reads_as_per_candidate_dicts(trained):
    import json

    from spacy.tokens import DocBin

    from racereport.relation_candidates import allowed_labels

    nlp, references = trained
    (doc,) = predict(nlp, references[:1])
    table = doc._.racereport_relation_score_table
    assert json.loads(json.dumps(table)) == table
    items = doc._.racereport_relation_scores
    assert len(items) == len(table["pairs"]) > 0
    spans = {(e.start, e.end): e.label_ for e in doc.ents}
    for item in items:
        head, tail = spans[tuple(item["head"])], spans[tuple(item["tail"])]
        assert set(item["scores"]) == set(allowed_labels(head, tail))
    docbin = DocBin(store_user_data=True)
    docbin.add(doc)
    (back,) = DocBin(store_user_data=True).from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)
    assert back._.racereport_relation_scores == items


def test_positive_weights_scale_the_loss_of_gold_relations_only():
    nlp = blank("de")
    plain = nlp.add_pipe("racereport_relation_extractor", name="plain")
    weighted = nlp.add_pipe(
        "racereport_relation_extractor",
        name="weighted",
        config={"positive_weights": {"BENEFITED": 3.0}},
    )
    labels = list(plain.labels)
    b = labels.index("BENEFITED")
    predicted = numpy.full((2, len(labels)), 0.25, dtype="f")
    truths = numpy.zeros((2, len(labels)), dtype="f")
    truths[0, b] = 1.0  # a gold BENEFITED pair; the second pair has none
    masks = [numpy.ones((2, len(labels)), dtype="f")]
    loss_plain, d_plain = plain.get_loss([], (predicted, truths, masks))
    loss_weighted, d_weighted = weighted.get_loss([], (predicted, truths, masks))
    assert d_weighted[0, b] == pytest.approx(3.0 * d_plain[0, b])
    assert d_weighted[1, b] == d_plain[1, b]  # negatives keep weight 1
    others = [j for j in range(len(labels)) if j != b]
    assert (d_weighted[:, others] == d_plain[:, others]).all()
    assert loss_weighted == pytest.approx(loss_plain + 2.0 * 0.75**2)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tucker siegte",
        "Tucker fuhr. Es regnete! Warum? Darum...",
        '"Das war knapp." Dann kam der HPD. (Runde 3.) Ende.',
        "... Start. . . Ziel?! Nr. 3 (Bouchut) fiel aus.\n\nNeuer Absatz",
        "Rennen 1. 2. Lauf: 1. Tucker, 2. Bouchut.",
    ],
)
def test_sentence_ids_follow_spacys_sentencizer(text):
    from spacy.pipeline import Sentencizer

    nlp = blank("de")
    doc = nlp.make_doc(text)
    expected = []
    sentenced = Sentencizer()(nlp.make_doc(text))
    for number, sent in enumerate(sentenced.sents):
        expected.extend([number] * len(sent))
    assert sentence_ids(doc) == expected
    assert sentence_ids(sentenced) == expected  # from the boundaries the doc carries
