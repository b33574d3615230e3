from racereport.corpus.consistency import (
    find_bare_series_names,
    find_suspects,
    find_unannotated_incident_verbs,
)
from racereport.corpus.markup import parse_markup


def test_finds_bare_occurrences_of_annotated_strings():
    docs = parse_markup(
        "### id=a\n[Porsche]{t1:TEAM} und [Audi]{t2:TEAM} im Duell.\n"
        "### id=b\nPorsche gewann, die Porschefahrer jubelten, [Audi]{t1:TEAM} nicht.\n"
        "### id=c\nDer BMW-Pilot und Porsche-Werksfahrer.\n"
    )
    found = [(s.doc_id, s.text, s.labels) for s in find_suspects(docs)]
    # whole words only ("Porschefahrer" is not a mention), hyphen parts count
    assert found == [("b", "Porsche", ("TEAM",)), ("c", "Porsche", ("TEAM",))]


def test_short_strings_are_ignored():
    docs = parse_markup("### id=a\n[F1]{s1:SERIES} und F1.\n")
    assert find_suspects(docs) == []
    assert [s.text for s in find_suspects(docs, min_length=2)] == ["F1"]


def test_incident_verbs_outside_incident_spans_are_listed():
    docs = parse_markup(
        "### id=a\n[Bortolotti]{d1:DRIVER} schied nach einem [Reifenschaden]{i1:INCIDENT:PUNCTURE}"
        " aus. Danach [drehte sich]{i2:INCIDENT:SPIN} [Auer]{d2:DRIVER}.\n"
        "### id=b\nZwei Autos kollidierten, dann fiel Auer mit Defekt aus. Er fiel aus den Top Ten."
        " Wir drehten am Set-up.\n"
        "### id=c | lang=en\n[Hill]{d1:DRIVER} spun and Sutton retired.\n"
    )
    found = [(s.doc_id, s.text) for s in find_unannotated_incident_verbs(docs)]
    # annotated verbs, "aus den Top Ten" and a verb without "sich" are not listed
    assert found == [
        ("a", "schied"),
        ("b", "kollidierten"),
        ("b", "fiel"),
        ("c", "spun"),
        ("c", "retired"),
    ]


def test_bare_series_names_are_listed():
    docs = parse_markup(
        "### id=a\nEin Lauf zur Rallye-Europameisterschaft und zur [Formel-1]{s1:SERIES}-"
        "Weltmeisterschaft. Die Meisterschaft ist offen, die WM auch.\n"
        "### id=b\nBeim Finale des Endurance Cups fuhr [Team WRT]{t1:TEAM} im"
        " [Porsche Carrera Cup]{s1:SERIES} nicht mit. Der Cup ruht.\n"
        "### id=c | lang=en\nThe Championship was decided in the British Touring Car"
        " Championship finale, not in the [NASCAR Cup Series]{s1:SERIES}.\n"
    )
    found = [(s.doc_id, s.text) for s in find_bare_series_names(docs)]
    # annotated names (whole or on their series part), "Die Meisterschaft", "WM", "Der Cup"
    # and a sentence-initial "The Championship" are not listed
    assert found == [
        ("a", "Rallye-Europameisterschaft"),
        ("b", "Endurance Cups"),
        ("c", "British Touring Car Championship"),
    ]
