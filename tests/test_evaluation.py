import pytest

from racereport.corpus.markup import parse_markup
from racereport.evaluation import score_documents

GOLD = parse_markup("""\
### id=a
[Scott Tucker]{d1:DRIVER} fuhr für [Level 5]{t1:TEAM} und hatte einen [Reifenschaden]{i1:INCIDENT:PUNCTURE} in [Sebring]{k1:TRACK}.
### id=b
[Alex Popow]{d1:DRIVER} bekam eine [Strafe]{i1:INCIDENT:PENALTY} nach dem [Dreher]{i2:INCIDENT:SPIN}.
""")

PREDICTED = parse_markup("""\
### id=a
[Scott Tucker]{d1:DRIVER} fuhr für [Level]{t1:TEAM} 5 und hatte einen [Reifenschaden]{i1:INCIDENT:MECHANICAL} in [Sebring]{k1:RACE}.
### id=b
[Alex Popow]{d1:DRIVER} bekam eine [Strafe]{i1:INCIDENT:PENALTY} nach [dem]{x1:CAR} Dreher.
""")


def test_exact_counts():
    report = score_documents(GOLD, PREDICTED)
    data = report.to_dict()
    # correct: Scott Tucker, Reifenschaden (INCIDENT), Alex Popow, Strafe
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (4, 3, 3)
    assert data["ents_per_label"]["DRIVER"] == {"p": 1.0, "r": 1.0, "f": 1.0, "support": 2}
    assert data["ents_per_label"]["TEAM"]["f"] == 0.0
    assert data["incident_detection"] == {"p": 1.0, "r": 0.6667, "f": 0.8, "support": 3}
    assert report.type_total == 2 and report.type_correct == 1
    assert data["confusion"]["label"] == [{"gold": "TRACK", "predicted": "RACE", "count": 1}]
    assert data["confusion"]["boundary"] == {"TEAM": 1}
    assert data["confusion"]["missed"] == {"INCIDENT": 1}
    assert data["confusion"]["spurious"] == {"CAR": 1}
    assert data["confusion"]["incident_type"] == [
        {"gold": "PUNCTURE", "predicted": "MECHANICAL", "count": 1}
    ]


def test_perfect_prediction():
    report = score_documents(GOLD, GOLD)
    assert report.micro.f == 1.0 and report.type_accuracy == 1.0


def test_mismatched_inputs():
    with pytest.raises(ValueError, match="2 gold documents but 1"):
        score_documents(GOLD, PREDICTED[:1])
    with pytest.raises(ValueError, match=r"\[a\] predicted text differs"):
        score_documents(GOLD[:1], PREDICTED[1:])


def test_real_text_reports_score_real_text_and_count_entities_in_other_text(
    tiny_pipeline_dir, sample_docs
):
    import spacy

    from racereport.evaluation import real_text_reports
    from racereport.records import Document

    nlp = spacy.load(tiny_pipeline_dir)
    other = [Document(id="o1", text=sample_docs[0].text)]  # every prediction counts as wrong
    reports = real_text_reports(nlp, sample_docs, other, train=[])
    assert reports["real_text"]["documents"] == len(sample_docs)
    assert reports["real_text"]["unseen_names"]["support"] > 0  # nothing was trained on
    found = reports["other_text"]
    assert found["documents"] == 1 and found["entities"] == sum(found["per_label"].values())
    # the overfitted pipeline finds this text's entities wherever it appears
    assert found["entities"] == len(sample_docs[0].entities)
    assert real_text_reports(nlp, [], [], train=[]) == {}


def test_long_article_reports_split_by_register_only_where_there_are_several(
    tiny_pipeline_dir, sample_docs
):
    from dataclasses import replace

    import spacy

    from racereport.evaluation import long_article_reports

    nlp = spacy.load(tiny_pipeline_dir)
    same = [replace(d, register="encyclopedic") for d in sample_docs]
    assert "heldout_long_by_register" not in long_article_reports(nlp, same, train=[])
    mixed = [
        replace(d, register=r) for d, r in zip(sample_docs, ["fan_report", "ticker"], strict=True)
    ]
    reports = long_article_reports(nlp, mixed, train=[])
    by_register = reports["heldout_long_by_register"]
    assert sorted(by_register) == ["fan_report", "ticker"]
    assert sum(r["documents"] for r in by_register.values()) == reports["heldout_long"]["documents"]
    assert (
        sum(r["ents_micro"]["support"] for r in by_register.values())
        == (reports["heldout_long"]["ents_micro"]["support"])
    )


def test_gold_entity_docs_do_not_propagate_names():
    """Relations scored from the gold entities see exactly those: name propagation,
    which adds entities, is skipped like the NER."""
    from racereport.corpus.docbin import document_to_doc
    from racereport.evaluation import gold_entity_docs
    from racereport.tokenizer import blank

    nlp = blank("de")
    nlp.add_pipe("racereport_name_propagation", name="name_propagation")
    (gold,) = parse_markup(
        "### id=p1 | lang=de | series=WRC\n[Colin McRae]{d1:DRIVER} gewann. McRae jubelte.\n"
    )
    (doc,) = gold_entity_docs(nlp, [gold], until="relation_extractor")
    assert [(e.text, e.label_) for e in doc.ents] == [("Colin McRae", "DRIVER")]
    # run on the gold entities, the component would have added the surname
    propagated = nlp.get_pipe("name_propagation")(document_to_doc(nlp, gold))
    assert [e.text for e in propagated.ents] == ["Colin McRae", "McRae"]
