"""Long documents are processed in paragraph-cut parts and merged into one row."""

import pytest
import spacy

from racereport.batch.chunks import split_text
from racereport.batch.local import process_items
from racereport.batch.sources import InputDoc
from tests.batch.conftest import TEXTS


def test_parts_cover_the_text_and_cut_at_paragraphs():
    text = "\n\n".join(TEXTS * 4)
    parts = split_text(text, 200)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 200 for _, p in parts) and len(parts) > 1
    assert all(text[o : o + len(p)] == p for o, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])
    assert split_text("kurz", 200) == [(0, "kurz")]
    no_breaks = "x" * 450
    assert [len(p) for _, p in split_text(no_breaks, 200)] == [200, 200, 50]
    with pytest.raises(ValueError, match="limit"):
        split_text("x", 0)


def test_a_long_document_gives_the_row_of_the_whole_text(tiny_pipeline_dir):
    nlp = spacy.load(tiny_pipeline_dir)
    text = "\n\n".join(TEXTS * 3)
    item = InputDoc("long", "s", text=text)
    ((whole, words),) = process_items(nlp, [item])
    ((parts, part_words),) = process_items(nlp, [item], max_chars_per_part=250)
    assert words == part_words == len(text.split())
    assert parts["id"] == "long" and parts["error"] is None
    key = lambda e: (e["start"], e["end"], e["label"], e["type"], e["text"])  # noqa: E731
    assert [key(e) for e in parts["entities"]] == [key(e) for e in whole["entities"]]
    assert [e["id"] for e in parts["entities"]] == [
        f"e{i + 1}" for i in range(len(whole["entities"]))
    ]
    for ent in parts["entities"]:
        assert text[ent["start"] : ent["end"]] == ent["text"]
    ids = {e["id"] for e in parts["entities"]}
    assert parts["relations"] and all({r["head"], r["tail"]} <= ids for r in parts["relations"])
    # exactly the rows of the parts processed alone, shifted and renumbered
    span = {e["id"]: (e["start"], e["end"]) for e in parts["entities"]}
    merged = {(span[r["head"]], span[r["tail"]], r["label"]) for r in parts["relations"]}
    expected = set()
    for offset, part in split_text(text, 250):
        ((alone, _),) = process_items(nlp, [InputDoc("p", "s", text=part)])
        at = {e["id"]: (e["start"] + offset, e["end"] + offset) for e in alone["entities"]}
        expected |= {(at[r["head"]], at[r["tail"]], r["label"]) for r in alone["relations"]}
    assert merged == expected
    graph = parts["graph"]
    assert graph["graph"]["doc_ids"] == ["long"]
    incidents = [n["id"] for n in graph["nodes"] if n["label"] == "INCIDENT"]
    assert incidents and all(n.startswith("INCIDENT:long:e") for n in incidents)
    # every node of the whole text's graph; repeated incident mentions are joined
    # within a part only, so a part may keep one as its own node
    assert {n["id"] for n in whole["graph"]["nodes"]} <= {n["id"] for n in graph["nodes"]}
    assert any("processed in" in w for w in parts["warnings"]) and whole["warnings"] == []
