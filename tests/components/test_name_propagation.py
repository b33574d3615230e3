import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from racereport.tokenizer import blank


def pipeline(**config) -> Language:
    nlp = blank("de")
    nlp.add_pipe("racereport_name_propagation", name="name_propagation", config=config)
    return nlp


def run(nlp: Language, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tag the first occurrence of each ``(text, label)`` of ``ents`` (as the NER would
    have), run the component and return the entities in order."""
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    doc = nlp.get_pipe("name_propagation")(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_surname_of_a_full_name_becomes_driver():
    text = "Colin McRae gewann 1995 die Rallye. McRae war damals 27 Jahre alt."
    assert run(pipeline(), text, [("Colin McRae", "DRIVER")]) == [
        ("Colin McRae", "DRIVER"),
        ("McRae", "DRIVER"),
    ]


def test_repeated_name_keeps_its_label_longest_first():
    text = (
        "1. Hugo Valente (FRA) Wolf-Power Racing. Später fiel Wolf-Power Racing zurück, "
        "und Garage 59 gewann vor Garage 59 B."
    )
    ents = [("Wolf-Power Racing", "TEAM"), ("Garage 59", "TEAM"), ("Hugo Valente", "DRIVER")]
    assert run(pipeline(), text, ents) == [
        ("Hugo Valente", "DRIVER"),
        ("Wolf-Power Racing", "TEAM"),
        ("Wolf-Power Racing", "TEAM"),
        ("Garage 59", "TEAM"),
        ("Garage 59", "TEAM"),
    ]


def test_names_with_two_labels_are_left_alone():
    # "Halder" is a TEAM somewhere and the surname of a DRIVER: ambiguous, not spread
    text = "Halder führte das Feld an. Mike Halder fuhr stark, Halder gewann."
    assert run(pipeline(), text, [("Halder", "TEAM"), ("Mike Halder", "DRIVER")]) == [
        ("Halder", "TEAM"),
        ("Mike Halder", "DRIVER"),
    ]
    # "Porsche" as TEAM once and as CAR once: neither label spreads
    text = "Porsche setzte den Porsche 911 ein. Der Porsche war schnell, Porsche jubelte."
    got = run(pipeline(), text, [("Porsche", "TEAM"), ("Porsche 911", "CAR")])
    assert got == [("Porsche", "TEAM"), ("Porsche 911", "CAR")]
    text = "Ferrari siegte. Der Ferrari brannte, Ferrari jubelte."
    doc = pipeline().make_doc(text)
    doc.ents = [Span(doc, 0, 1, label="TEAM"), Span(doc, 4, 5, label="CAR")]
    doc = pipeline()(doc)
    assert [(e.start, e.label_) for e in doc.ents] == [(0, "TEAM"), (4, "CAR")]


def test_never_changes_or_overlaps_a_predicted_entity():
    text = "Max Verstappen gewann vor Jos Verstappen. Verstappen jubelte."
    got = run(pipeline(), text, [("Max Verstappen", "DRIVER"), ("Jos Verstappen", "DRIVER")])
    assert got == [
        ("Max Verstappen", "DRIVER"),
        ("Jos Verstappen", "DRIVER"),
        ("Verstappen", "DRIVER"),
    ]


def test_incidents_lowercase_and_short_words_do_not_spread():
    text = "Nach dem Unfall von Lando Norris gab es einen Unfall. Le Mans und Le."
    ents = [("Unfall", "INCIDENT"), ("Lando Norris", "DRIVER"), ("Le", "TRACK")]
    assert run(pipeline(), text, ents) == ents
    text = "Ein Dreher von Pierre Gasly jr. Dann: jr."
    assert run(pipeline(), text, [("Pierre Gasly jr.", "DRIVER")]) == [
        ("Pierre Gasly jr.", "DRIVER")
    ]


def test_matching_is_case_sensitive_on_whole_tokens():
    text = "Tim Regen fuhr vorn. Der Regen kam, Regenreifen halfen nicht, regen war es."
    assert run(pipeline(), text, [("Tim Regen", "DRIVER")]) == [
        ("Tim Regen", "DRIVER"),
        ("Regen", "DRIVER"),
    ]
    # the guard against ordinary words is in the NER, not here: with surnames off
    assert run(pipeline(surnames=False), text, [("Tim Regen", "DRIVER")]) == [
        ("Tim Regen", "DRIVER")
    ]


def test_labels_restrict_what_spreads():
    text = "In Spa gewann Ayhancan Güven. Spa war nass, Güven fuhr vorn."
    ents = [("Spa", "TRACK"), ("Ayhancan Güven", "DRIVER")]
    assert run(pipeline(labels=["DRIVER"]), text, ents) == [
        ("Spa", "TRACK"),
        ("Ayhancan Güven", "DRIVER"),
        ("Güven", "DRIVER"),
    ]
    assert run(pipeline(), text, ents)[2:] == [("Spa", "TRACK"), ("Güven", "DRIVER")]


def test_unknown_label_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown labels \\['PILOT'\\]"):
        pipeline(labels=["PILOT"])


def test_empty_and_entity_free_docs_pass_through():
    nlp = pipeline()
    assert list(nlp("").ents) == []
    doc = Doc(nlp.vocab, words=["Regen", "fällt", "."])
    assert list(nlp.get_pipe("name_propagation")(doc).ents) == []


def test_saved_pipeline_reloads_with_its_config(tmp_path):
    nlp = pipeline(labels=["DRIVER", "TEAM"], surnames=False)
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    component = loaded.get_pipe("name_propagation")
    assert component.labels == ("DRIVER", "TEAM") and component.surnames is False


def test_runs_in_two_processes():
    nlp = pipeline()
    texts = ["Colin McRae siegte. McRae jubelte."] * 4

    @Language.component("test_tag_first_two")
    def tag(doc: Doc) -> Doc:
        doc.ents = [Span(doc, 0, 2, label="DRIVER")]
        return doc

    nlp.add_pipe("test_tag_first_two", first=True)
    docs = list(nlp.pipe(texts, n_process=2))
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("Colin McRae", "DRIVER"), ("McRae", "DRIVER")]
    ] * 4
