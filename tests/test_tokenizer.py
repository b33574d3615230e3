import pytest
import spacy

from racereport.tokenizer import blank


@pytest.fixture(scope="module")
def nlp():
    return blank("de")


def words(nlp, text):
    return [t.text for t in nlp(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Level-5-HPD", ["Level", "-", "5", "-", "HPD"]),
        ("BMW-Piloten", ["BMW", "-", "Piloten"]),
        ("ALMS-Titel", ["ALMS", "-", "Titel"]),
        ("LMP2-Meisterschaft", ["LMP2", "-", "Meisterschaft"]),
        ("Muscle-Milk-Pickett-Duo", ["Muscle", "-", "Milk", "-", "Pickett", "-", "Duo"]),
        ("Formel-1-WM", ["Formel", "-", "1", "-", "WM"]),
        ("„Rast“-Team", ["„", "Rast", "“", "-", "Team"]),
        ("Sieg in der LMP2.", ["Sieg", "in", "der", "LMP2", "."]),
        ("Titel in der Moto3.", ["Titel", "in", "der", "Moto3", "."]),
        ("Titel in der GT500.", ["Titel", "in", "der", "GT500", "."]),
        ("Meister der Extreme E.", ["Meister", "der", "Extreme", "E", "."]),
        ("im Acura ARX-05.", ["im", "Acura", "ARX", "-", "05", "."]),
        ("im Ferrari 499P.", ["im", "Ferrari", "499P", "."]),
        ("Weltmeister der Formel 1. Er", ["Weltmeister", "der", "Formel", "1", ".", "Er"]),
        ("Titel in der Formel E.", ["Titel", "in", "der", "Formel", "E", "."]),
        ("im Porsche 911 GT3 R. Dann", ["im", "Porsche", "911", "GT3", "R", ".", "Dann"]),
        ("von J. Smith", ["von", "J.", "Smith"]),
        ("Sieg für Level 5.", ["Sieg", "für", "Level", "5", "."]),
        ("Sieg für Level 5.\nDanach", ["Sieg", "für", "Level", "5", ".", "\n", "Danach"]),
    ],
)
def test_splits_hyphenated_compounds(nlp, text, expected):
    assert words(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sprint- und Hauptrennen", ["Sprint-", "und", "Hauptrennen"]),
        (
            "Schreib eine E-Mail an info@le-mans.fr.",
            ["Schreib", "eine", "E-Mail", "an", "info@le-mans.fr", "."],
        ),
        ("Siehe https://www.fia.com/de-de/news.", ["Siehe", "https://www.fia.com/de-de/news", "."]),
        ("Zeit 1:23,456 min", ["Zeit", "1:23,456", "min"]),
        ("z.B. am 24. Mai", ["z.B.", "am", "24.", "Mai"]),
        ("Er wurde 24. im Ziel", ["Er", "wurde", "24.", "im", "Ziel"]),
        ("1. Max Verstappen 2. Lando Norris", ["1.", "Max", "Verstappen", "2.", "Lando", "Norris"]),
        ("vom 24.-26. Mai", ["vom", "24.-26.", "Mai"]),
        ("Das Team gewann.", ["Das", "Team", "gewann", "."]),
    ],
)
def test_keeps_ordinary_text(nlp, text, expected):
    assert words(nlp, text) == expected


def test_text_is_preserved(nlp):
    text = "Der Le-Mans-Sieger (Porsche-Werksfahrer)  fuhr\n„Rast“-Team-Wagen."
    assert nlp(text).text == text


def test_rules_survive_save_and_load(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.config["nlp"]["tokenizer"] == {"@tokenizers": "race.GermanTokenizer.v1"}
    text = "Der Level-5-HPD und die E-Mail vom BMW-Team."
    assert words(loaded, text) == words(nlp, text)


def test_pickles_for_multiprocessing(nlp):
    import pickle

    tokenizer = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert [t.text for t in tokenizer("in der Formel 1.")] == ["in", "der", "Formel", "1", "."]


def test_pipe_with_two_processes(nlp):
    texts = ["Der Level-5-HPD gewann.", "Titel in der Formel 1.", "Sieg in der LMP2."] * 4
    single = [[t.text for t in d] for d in nlp.pipe(texts)]
    multi = [[t.text for t in d] for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert multi == single


def test_registered_through_entry_point():
    from spacy.util import registry

    assert "race.GermanTokenizer.v1" in registry.tokenizers.get_all()
