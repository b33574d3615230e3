"""A small mixed input corpus: text files (good, empty, binary, not UTF-8), JSONL with
bad lines and a duplicate id, Parquet, and a saved Hugging Face dataset."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Dataset

TEXTS = [
    "Scott Tucker und der Level-5-HPD profitierten in Sebring von einem Reifenschaden.",
    "Runde 12: Max Verstappen erhält eine Fünf-Sekunden-Strafe für Track Limits.",
    "Nach einem Unfall kam das Safety-Car in der Formel 1.",
]

GOOD = 3 + 2 + 2 + 2  # text files, JSONL, Parquet, dataset
BAD = 3 + 3  # empty, binary, not UTF-8; malformed line, missing text, duplicate id


@pytest.fixture
def inputs(tmp_path):
    root = tmp_path / "in"
    (root / "texts" / "deeper").mkdir(parents=True)
    (root / "texts" / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (root / "texts" / "deeper" / "b.txt").write_text(TEXTS[1], encoding="utf-8")
    (root / "texts" / "c.md").write_text(TEXTS[2], encoding="utf-8")
    (root / "texts" / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "texts" / "binary.bin").write_bytes(b"\x00\x01\x02PK")
    (root / "texts" / "latin1.txt").write_bytes("Räikkönen".encode("latin-1"))
    (root / "texts" / ".hidden.txt").write_text("ignored", encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "text": TEXTS[0]}),
        "{not json",
        json.dumps({"id": "j2", "body": "no text field"}),
        json.dumps({"id": "j1", "text": "again"}),
        "",
        json.dumps({"id": "j3", "text": TEXTS[1]}),
    ]
    (root / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(
        pa.table({"id": ["p1", "p2"], "text": [TEXTS[1], TEXTS[2]]}), root / "docs.parquet"
    )
    Dataset.from_dict({"id": ["h1", "h2"], "text": [TEXTS[2], TEXTS[0]]}).save_to_disk(
        str(root / "dataset")
    )
    return root
