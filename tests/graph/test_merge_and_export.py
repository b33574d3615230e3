import json
import xml.etree.ElementTree as ET
from io import BytesIO

import networkx as nx
import pytest

from racereport.corpus.markup import parse_markup
from racereport.graph.build import build_graph
from racereport.graph.export import export, to_graphml, to_html
from racereport.graph.merge import merge_graphs

DOCS = """\
### id=a
[Alex Popow]{d1:DRIVER} profitierte vom [Unfall]{i1:INCIDENT:CRASH} von [Tucker]{d2:DRIVER}.
> i1 BENEFITED d1; i1 INVOLVED d2
### id=b
[Popow]{d1:DRIVER} erhielt eine [Strafe]{i1:INCIDENT:PENALTY}; [Scott Tucker]{d2:DRIVER} siegte.
> i1 INVOLVED d1
"""


def corpus_graph():
    return merge_graphs(build_graph(d) for d in parse_markup(DOCS))


def test_same_driver_across_reports_is_one_node():
    graph = corpus_graph()
    drivers = sorted(n for n, a in graph.nodes(data=True) if a["label"] == "DRIVER")
    assert drivers == ["DRIVER:Alex Popow", "DRIVER:Scott Tucker"]
    assert graph.nodes["DRIVER:Alex Popow"]["docs"] == ["a", "b"]
    assert set(graph.nodes["DRIVER:Alex Popow"]["mentions"]) == {"Alex Popow", "Popow"}
    # incidents never merge; both edges into Popow survive, with their documents
    into = sorted(d["doc"] for _, _, d in graph.in_edges("DRIVER:Alex Popow", data=True))
    assert into == ["a", "b"]
    assert graph.graph["doc_ids"] == ["a", "b"]


def test_graphml_is_valid_and_keeps_edges():
    graph = corpus_graph()
    text = to_graphml(graph)
    ET.fromstring(text)
    again = nx.read_graphml(BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert again.number_of_edges() == graph.number_of_edges()
    assert (
        json.loads(again.nodes["DRIVER:Alex Popow"]["mentions"])
        == graph.nodes["DRIVER:Alex Popow"]["mentions"]
    )


def test_html_is_self_contained():
    page = to_html(corpus_graph(), title="Test <graph>")
    assert page.startswith("<!DOCTYPE html>")
    assert "src=" not in page and "http" not in page.replace("http://www.w3.org", "")
    assert "Test &lt;graph&gt;" in page and "Alex Popow" in page
    data = page.split('<script id="data" type="application/json">')[1].split("</script>")[0]
    assert len(json.loads(data)["nodes"]) == corpus_graph().number_of_nodes()


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="graphml"):
        export(corpus_graph(), "dot")


def test_html_data_cannot_end_or_open_script_elements():
    clean = to_html(corpus_graph())
    graph = corpus_graph()
    hostile = 'Tucker <!--<script>alert(1)</script> & "more"'
    first = next(iter(graph.nodes))
    graph.nodes[first]["text"] = hostile
    page = to_html(graph)
    assert page.count("<script") == clean.count("<script")
    assert (
        page.count("</script") == clean.count("</script") and "<!--" not in page.split("<body")[1]
    )
    data = page.split('<script id="data" type="application/json">')[1].split("</script>")[0]
    node = next(n for n in json.loads(data)["nodes"] if n["id"] == first)
    assert node["text"] == hostile
