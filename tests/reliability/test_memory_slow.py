"""Heavy reliability cases with the bundled German pipeline (slow: run with -m slow)."""

import json
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, resource, sys
import spacy
from racereport.batch.local import process_items
from racereport.batch.sources import InputDoc
from racereport.pipe_errors import set_error_handlers
from racereport.corpus.jsonl import load_documents

kind = sys.argv[1]
if kind == "names":
    n = int(sys.argv[2])
    parts = [f"Fahrer{i} Nachname{i} (Team{i} Racing)" for i in range(n)]
    text = "Gemeldet sind " + ", ".join(parts) + " und weitere."
else:
    texts = [d.text for d in load_documents(["corpus/de"])]
    chunks, size = [], 0
    while size < int(sys.argv[2]):
        chunks.append(texts[len(chunks) % len(texts)])
        size += len(chunks[-1]) + 2
    text = "\n\n".join(chunks)[: int(sys.argv[2])]
nlp = spacy.load("models/racereport-de")
set_error_handlers(nlp)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
(row, _), = process_items(nlp, [InputDoc("x", "s", text=text)])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
extra = peak - base
print(json.dumps({"error": row["error"], "entities": len(row["entities"]), "extra_mb": extra}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "size"), [("names", 300), ("names", 1200), ("report", 950_000)])
def test_memory_stays_under_1_gb_above_the_loaded_pipeline(kind, size):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, kind, str(size)], capture_output=True, text=True, check=True
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["error"] is None and measured["entities"] > 0
    assert measured["extra_mb"] < 1024, measured
