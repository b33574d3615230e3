"""Words per second of pipelines side by side, in one process, on the same texts.

``racereport benchmark`` measures the racereport pipeline whole and its NER part
(``tok2vec``, ``generic_tagger`` or ``generic_entities``, ``ner``: what it takes to tag
entities), any spaCy
pipeline given to compare with (whole, and its ``tok2vec`` + ``ner``), and a fresh
``spacy.blank(lang)`` tokenizing each distinct text once (a tokenizer that has seen a
text before answers from its cache, so repeated texts would flatter it). Runs of the
pipelines alternate (A, B, A, B, ...) so that a machine busy with something else slows
them alike; each row reports the median of its runs. Ratios are taken to the first
compared pipeline and to the blank tokenizer.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

NER_PART = ("generic_entities", "generic_tagger", "transformer", "tok2vec", "ner")
"""Components an entity tagger needs (the rest is left out for the NER-only rows)."""


@dataclass(frozen=True)
class SpeedRow:
    """One measured configuration."""

    name: str
    components: tuple[str, ...]
    words_per_second: float
    runs: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible form."""
        return {
            "name": self.name,
            "components": list(self.components),
            "words_per_second": round(self.words_per_second),
            "runs": [round(r) for r in self.runs],
        }


def texts_for(texts: Sequence[str], words: int) -> tuple[list[str], int]:
    """``texts`` in order, repeated until they hold ``words`` words; and that count."""
    if not texts:
        raise ValueError("no texts to benchmark on")
    batch: list[str] = []
    count = 0
    while count < words:
        for text in texts:
            batch.append(text)
            count += len(text.split())
            if count >= words:
                break
    return batch, count


def _ner_part(nlp: Any) -> list[str]:
    return [name for name in nlp.pipe_names if name in NER_PART]


def _runner(nlp: Any, keep: Sequence[str], batch: list[str], batch_size: int) -> Callable[[], None]:
    disable = [name for name in nlp.pipe_names if name not in keep]

    def run() -> None:
        with nlp.select_pipes(disable=disable):
            for _ in nlp.pipe(batch, batch_size=batch_size):
                pass

    return run


def measure(
    pipelines: dict[str, Any],
    texts: Sequence[str],
    words: int,
    lang: str = "de",
    batch_size: int = 256,
    repeats: int = 3,
) -> list[SpeedRow]:
    """Rows for each pipeline (whole, and its NER part where it is smaller) and for the
    blank tokenizer on the distinct ``texts``. ``pipelines``: name -> loaded pipeline."""
    import spacy

    batch, count = texts_for(texts, words)
    configs: list[tuple[str, tuple[str, ...], Callable[[], None]]] = []
    for name, nlp in pipelines.items():
        configs.append(
            (name, tuple(nlp.pipe_names), _runner(nlp, nlp.pipe_names, batch, batch_size))
        )
        ner = _ner_part(nlp)
        if "ner" in ner and len(ner) < len(nlp.pipe_names):
            configs.append((f"{name}, NER part", tuple(ner), _runner(nlp, ner, batch, batch_size)))
        _runner(nlp, nlp.pipe_names, batch[:20], batch_size)()  # warm up
    runs: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    for _ in range(repeats):
        for name, _, run in configs:
            start = time.perf_counter()
            run()
            runs[name].append(count / (time.perf_counter() - start))
    rows = [
        SpeedRow(name, components, statistics.median(runs[name]), tuple(runs[name]))
        for name, components, _ in configs
    ]
    distinct = list(dict.fromkeys(texts))
    distinct_words = sum(len(t.split()) for t in distinct)
    blank = spacy.blank(lang)
    start = time.perf_counter()
    for _ in blank.pipe(distinct, batch_size=batch_size):
        pass
    blank_rate = distinct_words / (time.perf_counter() - start)
    rows.append(SpeedRow(f"spacy.blank('{lang}'), distinct texts", (), blank_rate, (blank_rate,)))
    return rows


def ratios(rows: Sequence[SpeedRow], reference: str | None) -> dict[str, dict[str, float]]:
    """Per row, its speed divided by the reference pipeline's (whole and NER part, each
    to its counterpart) and by the blank tokenizer's."""
    by_name = {row.name: row for row in rows}
    blank = rows[-1].words_per_second
    out: dict[str, dict[str, float]] = {}
    for row in rows[:-1]:
        entry = {"to_blank_tokenizer": round(row.words_per_second / blank, 4)}
        if reference is not None and not row.name.startswith(reference):
            counterpart = f"{reference}, NER part" if row.name.endswith(", NER part") else reference
            if counterpart in by_name:
                entry[f"to {counterpart}"] = round(
                    row.words_per_second / by_name[counterpart].words_per_second, 3
                )
        out[row.name] = entry
    return out
