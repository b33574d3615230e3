import matplotlib

matplotlib.use("Agg")

from racereport.corpus.markup import parse_markup
from racereport.graph.build import build_graph
from racereport.graph.draw import draw_graph
from tests.conftest import SAMPLE_MARKUP


def test_draw_graph_draws_every_node():
    graph = build_graph(parse_markup(SAMPLE_MARKUP)[0])
    ax = draw_graph(graph)
    texts = {t.get_text() for t in ax.texts}
    assert {graph.nodes[n]["name"] for n in graph} <= texts
    assert "BENEFITED" in texts
