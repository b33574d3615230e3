from racereport.corpus.markup import parse_markup
from racereport.graph.build import build_graph, graph_from_data, graph_to_data

DOC = """\
### id=alms-1
[Alex Popow]{d1:DRIVER} fuhr für [Level 5 Motorsports]{t1:TEAM}. Später drehte sich [Popow]{d2:DRIVER} nach einem [Dreher]{i1:INCIDENT:SPIN}. [Level 5]{t2:TEAM} setzte den [HPD]{c1:CAR} ein, der zweite [HPD]{c2:CAR} kam nicht an.
> d1 DRIVES_FOR t1; i1 INVOLVED d2; c1 ENTERED_BY t2; c2 ENTERED_BY t2
"""


def test_mentions_merge_into_one_node_per_entity():
    doc = parse_markup(DOC)[0]
    graph = build_graph(doc, scores={("i1", "d2", "INVOLVED"): 0.91})
    assert set(graph.nodes) == {
        "DRIVER:Alex Popow",
        "TEAM:Level 5 Motorsports",
        "CAR:HPD",
        "CAR:HPD#zweite",
        "INCIDENT:alms-1:i1",
    }
    assert graph.nodes["DRIVER:Alex Popow"]["mentions"] == ["Alex Popow", "Popow"]
    assert graph.nodes["INCIDENT:alms-1:i1"]["type"] == "SPIN"
    edge = graph.get_edge_data("INCIDENT:alms-1:i1", "DRIVER:Alex Popow")["INVOLVED"]
    assert edge["score"] == 0.91 and edge["doc"] == "alms-1"
    assert graph.has_edge("CAR:HPD#zweite", "TEAM:Level 5 Motorsports", key="ENTERED_BY")


def test_ordinal_before_a_compound_still_qualifies_the_car():
    doc = parse_markup(
        "### id=x\nDer [Level-5]{t1:TEAM}-[HPD]{c1:CAR} siegte, der zweite [Level-5]{t2:TEAM}-[HPD]{c2:CAR} fiel aus.\n"
    )[0]
    assert {n for n in build_graph(doc) if n.startswith("CAR")} == {"CAR:HPD", "CAR:HPD#zweite"}


def test_edges_carry_the_sentences_they_come_from():
    doc = parse_markup(DOC)[0]
    sentences = [(0, 49), (50, 105), (106, len(doc.text))]
    graph = build_graph(doc, sentences=sentences)
    edge = graph.get_edge_data("INCIDENT:alms-1:i1", "DRIVER:Alex Popow")["INVOLVED"]
    assert edge["sentence"] == doc.text[50:105].strip()
    assert edge["score"] is None


def test_ambiguous_surname_stays_apart():
    doc = parse_markup(
        "### id=x\n[Ralf Schumacher]{d1:DRIVER} und [Michael Schumacher]{d2:DRIVER} jagten [Schumacher]{d3:DRIVER}.\n"
    )[0]
    assert "DRIVER:Schumacher" in build_graph(doc)


def test_node_link_round_trip():
    graph = build_graph(parse_markup(DOC)[0])
    again = graph_from_data(graph_to_data(graph))
    assert set(again.edges(keys=True)) == set(graph.edges(keys=True))
    assert dict(again.nodes(data=True)) == dict(graph.nodes(data=True))


def test_definite_repetition_of_an_incident_joins_its_node():
    (doc,) = parse_markup(
        "### id=rep\n"
        "Ein [Reifenschaden]{i1:INCIDENT:PUNCTURE} am [Morgan]{c1:CAR}. "
        "Der [Reifenschaden]{i2:INCIDENT:PUNCTURE} führte zur [Aufgabe]{i3:INCIDENT:RETIREMENT}. "
        "Später ein [Reifenschaden]{i4:INCIDENT:PUNCTURE} am [HPD]{c2:CAR}.\n"
        "> i1 INVOLVED c1; i2 CAUSES i3; i4 INVOLVED c2"
    )
    graph = build_graph(doc)
    incidents = sorted(n for n, d in graph.nodes(data=True) if d["label"] == "INCIDENT")
    # "Der Reifenschaden" refers back to i1; "ein Reifenschaden" is a new one
    assert incidents == ["INCIDENT:rep:i1", "INCIDENT:rep:i3", "INCIDENT:rep:i4"]
    assert graph.nodes["INCIDENT:rep:i1"]["mentions"] == ["Reifenschaden", "Reifenschaden"]
    assert sorted((u, v, k) for u, v, k in graph.edges(keys=True)) == [
        ("INCIDENT:rep:i1", "CAR:Morgan", "INVOLVED"),
        ("INCIDENT:rep:i1", "INCIDENT:rep:i3", "CAUSES"),
        ("INCIDENT:rep:i4", "CAR:HPD", "INVOLVED"),
    ]
