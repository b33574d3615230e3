"""Dependencies point one way: no import circle between the package's modules (imports
inside functions included), and runtime modules do not import corpus tooling."""

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "pipeline"  # imported as `racereport`
NAME = "racereport"


def _module_name(path: Path) -> str:
    parts = (NAME, *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    top, *rest = name.split(".")
    if top != NAME:
        return False
    path = PACKAGE.joinpath(*rest)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    """``{module: modules of the package it imports}``, from the source."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    edges.add(sub if _is_module(sub) else node.module)
            elif isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
        name = _module_name(path)
        graph[name] = {e for e in edges if e.split(".")[0] == NAME and e != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, or None."""
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], node, nxt] if nxt in stack else [node, nxt]
            if nxt not in state:
                found = visit(nxt, [*stack, node])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [])
            if found:
                return found
    return None


def test_finds_a_circle_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_the_package():
    assert find_cycle(import_graph()) is None


def test_router_does_not_import_batch_processing():
    assert not {m for m in import_graph()["racereport.multilingual.router"] if "batch.local" in m}


RUNTIME = (
    "racereport.components",
    "racereport.ml",
    "racereport.extract",
    "racereport.multilingual",
    "racereport.graph",
    "racereport.batch.local",
    "racereport.batch.ray_engine",
    "racereport.batch.records",
    "racereport.batch.sink",
    "racereport.batch.sources",
    "racereport.records",
    "racereport.doc_records",
    "racereport.schema",
    "racereport.extensions",
    "racereport.relation_candidates",
    "racereport.relation_decoding",
    "racereport.pipe_errors",
    "racereport.tokenizer",
)


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_runtime_modules_do_not_reach_corpus_tooling():
    graph = import_graph()
    runtime = [m for m in graph if m.startswith(RUNTIME)]
    assert "racereport.components.event_graph" in runtime and "racereport.extract" in runtime
    offenders = {
        m: sorted(x for x in _reachable(graph, m) if x.startswith("racereport.corpus"))
        for m in runtime
    }
    assert {m: found for m, found in offenders.items() if found} == {}
