"""Write tasks for an annotation tool into a folder, with what the tool needs to set up
the project:

- ``labelstudio``: ``tasks.json`` (tasks with predictions) and ``labeling_config.xml``;
- ``doccano``: ``tasks.jsonl``, ``span_types.json`` and ``relation_types.json``;
- ``prodigy``: ``tasks.jsonl`` (for ``rel.manual`` / ``spans.manual``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language

from racereport.annotate import doccano, labelstudio, prodigy
from racereport.annotate.formats import TOOLS
from racereport.annotate.tasks import Task


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def export_tasks(
    tasks: Iterable[Task], tool: str, out: Path, nlp: Language | None = None
) -> list[Path]:
    """Write ``tasks`` for ``tool`` into the folder ``out``; returns the files written.
    ``nlp`` tokenizes for Prodigy (its tasks carry tokens; default: the project
    tokenizer of each document's language)."""
    if tool not in TOOLS:
        raise ValueError(f"unknown tool '{tool}' (known: {', '.join(TOOLS)})")
    out.mkdir(parents=True, exist_ok=True)
    if tool == "labelstudio":
        return [
            _write(
                out / "tasks.json",
                json.dumps(labelstudio.to_tasks(tasks), ensure_ascii=False, indent=1) + "\n",
            ),
            _write(out / "labeling_config.xml", labelstudio.labeling_config()),
        ]
    if tool == "doccano":
        sets = doccano.label_sets()
        lines = "".join(doccano.dumps(doccano.to_record(t)) + "\n" for t in tasks)
        return [
            _write(out / "tasks.jsonl", lines),
            _write(out / "span_types.json", json.dumps(sets["span_types"], indent=1) + "\n"),
            _write(
                out / "relation_types.json", json.dumps(sets["relation_types"], indent=1) + "\n"
            ),
        ]
    lines = "".join(json.dumps(prodigy.to_record(t, nlp), ensure_ascii=False) + "\n" for t in tasks)
    return [_write(out / "tasks.jsonl", lines)]
