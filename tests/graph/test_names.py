"""Cross-lingual merging: one node per driver, team and series across languages."""

from __future__ import annotations

from racereport.corpus.markup import parse_markup
from racereport.graph.build import build_graph
from racereport.graph.export import to_graphml
from racereport.graph.merge import merge_graphs
from racereport.graph.names import fold, name_key

REPORTS = """\
### id=de-1 | lang=de | series=F1
[Sergio Pérez]{d1:DRIVER} gewann für [Red-Bull]{t1:TEAM} in der [Formel 1]{s1:SERIES}, nachdem [Lewis Hamilton]{d2:DRIVER} einen [Unfall]{i1:INCIDENT:CRASH} hatte.
> d1 DRIVES_FOR t1; i1 INVOLVED d2; i1 BENEFITED d1
### id=en-1 | lang=en | series=F1
[Sergio Perez]{d1:DRIVER}'s win for [Red Bull]{t1:TEAM} came in [Formula 1]{s1:SERIES} after [Hamilton]{d2:DRIVER} [crashed]{i1:INCIDENT:CRASH}.
> d1 DRIVES_FOR t1; i1 INVOLVED d2
### id=fr-1 | lang=fr | series=F1
Victoire de [Pérez]{d1:DRIVER} et de [Red Bull]{t1:TEAM} en [Formule 1]{s1:SERIES}. [Lando Norris]{d2:DRIVER} termine deuxième pour [McLaren]{t2:TEAM}.
> d1 DRIVES_FOR t1; d2 DRIVES_FOR t2
"""


def test_fold_and_keys():
    assert fold("Red-Bull") == fold("Red Bull") == "red bull"
    assert fold("Pérez") == fold("PEREZ") == "perez"
    assert fold("l'Alpine") == "alpine" and fold("Verstappen's") == "verstappen"
    assert fold("Großer Preis") == "grosser preis"
    assert name_key("SERIES", "Formel 1") == name_key("SERIES", "Formule 1") == "SERIES:formula 1"
    assert name_key("TEAM", "Formel 1") == "TEAM:formel 1"  # aliases only for series
    assert name_key("CAR", "HPD#zweite") == "CAR:hpd#zweite"


def test_the_same_driver_and_team_in_three_languages_is_one_node():
    graphs = [build_graph(doc) for doc in parse_markup(REPORTS)]
    corpus = merge_graphs(graphs)
    drivers = {n: a for n, a in corpus.nodes(data=True) if a["label"] == "DRIVER"}
    assert set(drivers) == {"DRIVER:Sergio Pérez", "DRIVER:Lewis Hamilton", "DRIVER:Lando Norris"}
    perez = drivers["DRIVER:Sergio Pérez"]
    assert perez["langs"] == ["de", "en", "fr"] and perez["docs"] == ["de-1", "en-1", "fr-1"]
    assert perez["names"] == ["Sergio Perez", "Pérez"]
    assert drivers["DRIVER:Lewis Hamilton"]["langs"] == ["de", "en"]
    teams = [n for n, a in corpus.nodes(data=True) if a["label"] == "TEAM"]
    assert sorted(teams) == ["TEAM:McLaren", "TEAM:Red-Bull"]
    series = [n for n, a in corpus.nodes(data=True) if a["label"] == "SERIES"]
    assert series == ["SERIES:Formel 1"]
    assert corpus.graph["langs"] == ["de", "en", "fr"]
    # every DRIVES_FOR edge from the three reports now joins the same two nodes
    edges = corpus.get_edge_data("DRIVER:Sergio Pérez", "TEAM:Red-Bull")
    assert sorted(e["doc"] for e in edges.values()) == ["de-1", "en-1", "fr-1"]
    assert "Sergio Perez" in to_graphml(corpus)
