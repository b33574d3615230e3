"""Relation decoding with the schema's constraints (racereport.relation_decoding)."""

import numpy
from spacy.tokens import Span

from racereport import schema
from racereport.relation_candidates import candidates, sentence_ids
from racereport.relation_decoding import decode
from racereport.tokenizer import blank

LABELS = schema.RELATION_LABELS
NLP = blank("de")


def _setup(text, ents):
    doc = NLP(text)
    spans = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    doc.ents = spans
    sents = sentence_ids(doc)
    found = candidates(spans, sents, 2)
    keys = [
        ((spans[h].start, spans[h].end), (spans[t].start, spans[t].end)) for h, t in found.pairs
    ]
    return doc, spans, keys, found.masks, sents


def _decode(doc, spans, keys, masks, sents, scores):
    thresholds = numpy.full(len(LABELS), 0.5, "f")
    out = decode(doc, spans, keys, scores, masks, thresholds, LABELS, sents)
    texts = {(s.start, s.end): s.text for s in spans}
    rows, columns = numpy.nonzero(out)
    return sorted(
        (texts[keys[i][0]], LABELS[j], texts[keys[i][1]])
        for i, j in zip(rows.tolist(), columns.tolist(), strict=True)
    )


def _scores(keys, texts, values):
    """A score matrix with ``values[(head text, label, tail text)]`` and 0 elsewhere."""
    scores = numpy.zeros((len(keys), len(LABELS)), "f")
    for i, (head, tail) in enumerate(keys):
        for j, label in enumerate(LABELS):
            scores[i, j] = values.get((texts[head], label, texts[tail]), 0.0)
    return scores


def test_no_relation_between_two_mentions_of_one_incident_and_causes_one_way():
    # Reifenschaden(0) am Morgan . Der Reifenschaden führte zur Aufgabe
    doc, spans, keys, masks, sents = _setup(
        "Reifenschaden am Morgan. Der Reifenschaden führte zur Aufgabe.",
        [(0, 1, "INCIDENT"), (2, 3, "CAR"), (5, 6, "INCIDENT"), (8, 9, "INCIDENT")],
    )
    texts = {(s.start, s.end): f"{s.text}@{s.start}" for s in spans}
    scores = _scores(
        keys,
        texts,
        {
            ("Reifenschaden@0", "CAUSES", "Reifenschaden@5"): 0.9,
            ("Reifenschaden@5", "CAUSES", "Aufgabe@8"): 0.8,
            ("Aufgabe@8", "CAUSES", "Reifenschaden@5"): 0.6,
            ("Reifenschaden@0", "INVOLVED", "Morgan@2"): 0.7,
        },
    )
    assert _decode(doc, spans, keys, masks, sents, scores) == [
        ("Reifenschaden", "CAUSES", "Aufgabe"),
        ("Reifenschaden", "INVOLVED", "Morgan"),
    ]


def test_one_wins_target_per_sentence_unless_coordinated():
    doc, spans, keys, masks, sents = _setup(
        "Tucker gewann die LMP2 in der ALMS. Tucker siegte in der LMP2 und der GTC.",
        [(0, 1, "DRIVER"), (3, 4, "CLASS"), (6, 7, "SERIES"), (8, 9, "DRIVER"),
         (12, 13, "CLASS"), (15, 16, "CLASS")],
    )  # fmt: skip
    texts = {(s.start, s.end): f"{s.text}@{s.start}" for s in spans}
    scores = _scores(
        keys,
        texts,
        {
            ("Tucker@0", "WINS", "LMP2@3"): 0.9,
            ("Tucker@0", "WINS", "ALMS@6"): 0.7,  # same sentence, not coordinated: dropped
            ("Tucker@8", "WINS", "LMP2@12"): 0.9,
            ("Tucker@8", "WINS", "GTC@15"): 0.6,  # "LMP2 und der GTC": coordinated, kept
        },
    )
    assert _decode(doc, spans, keys, masks, sents, scores) == [
        ("Tucker", "WINS", "GTC"),
        ("Tucker", "WINS", "LMP2"),
        ("Tucker", "WINS", "LMP2"),
    ]


def test_thresholds_and_label_masks_still_apply():
    doc, spans, keys, masks, sents = _setup("Tucker im HPD.", [(0, 1, "DRIVER"), (2, 3, "CAR")])
    texts = {(s.start, s.end): s.text for s in spans}
    scores = _scores(keys, texts, {("Tucker", "DRIVES", "HPD"): 0.4})
    scores[:, LABELS.index("WINS")] = 0.99  # DRIVER -> CAR cannot be WINS
    assert _decode(doc, spans, keys, masks, sents, scores) == []


def test_drives_for_drives_and_entered_by_keep_one_tail_per_head():
    doc, spans, keys, masks, sents = _setup(
        "Tucker und der HPD profitierten am Morgan von Conquest vor Level 5 .",
        [(0, 1, "DRIVER"), (3, 4, "CAR"), (6, 7, "CAR"), (8, 9, "TEAM"), (10, 12, "TEAM")],
    )
    texts = {(s.start, s.end): s.text for s in spans}
    scores = _scores(
        keys,
        texts,
        {
            ("HPD", "ENTERED_BY", "Level 5"): 0.9,
            ("HPD", "ENTERED_BY", "Conquest"): 0.6,  # a car has one entrant: dropped
            ("Morgan", "ENTERED_BY", "Conquest"): 0.95,
            ("Tucker", "DRIVES", "HPD"): 0.99,
            ("Tucker", "DRIVES", "Morgan"): 0.92,  # dropped
            ("Tucker", "DRIVES_FOR", "Level 5"): 0.7,
        },
    )
    assert _decode(doc, spans, keys, masks, sents, scores) == [
        ("HPD", "ENTERED_BY", "Level 5"),
        ("Morgan", "ENTERED_BY", "Conquest"),
        ("Tucker", "DRIVES", "HPD"),
        ("Tucker", "DRIVES_FOR", "Level 5"),
    ]
