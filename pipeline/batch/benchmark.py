"""Benchmark batch processing on a generated corpus (``racereport batch-benchmark``).

Each measured run is a fresh Python process (so its peak memory is its own): the local
engine with 1 and 2 processes, the Ray engine, and the local engine on a quarter of the
corpus (peak memory should not grow with corpus size). ``spacy.blank("de")``
tokenization of the same texts is measured in the same invocation for comparison.
Without a model every engine identifies each document's language and uses its bundled
pipeline, as ``racereport process`` does by default.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def generate_corpus(path: Path, documents: int, seed: int = 2026) -> int:
    """Write ``documents`` JSONL records built from the bundled corpus texts (shuffled,
    repeated); returns the number of words."""
    from racereport.corpus.jsonl import load_documents

    texts = [
        d.text for d in load_documents([Path(__file__).resolve().parents[2] / "corpus" / "de"])
    ]
    rng = random.Random(seed)
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(documents):
            text = rng.choice(texts)
            words += len(text.split())
            f.write(json.dumps({"id": f"doc-{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    return words


def blank_rate(path: Path) -> float:
    """Words per second of ``spacy.blank("de")`` tokenization of the corpus at ``path``."""
    import spacy

    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.blank("de")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return words / (time.perf_counter() - start)


def run_once(
    engine: str, source: Path, out: Path, n_process: int, model: str | None
) -> dict[str, Any]:
    """One run in this process (called in a child process by :func:`measure`)."""
    from racereport.batch.sink import open_sink
    from racereport.batch.sources import read_inputs

    if engine == "ray":
        import ray

        from racereport.batch.ray_engine import run_ray

        ray.init(include_dashboard=False, log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        summary = run_ray([source], out, "parquet", model=model, batch_size=64)
    else:
        from racereport.batch.local import run_local
        from racereport.extract import load
        from racereport.multilingual.router import AUTO, Router

        # like racereport process: without a model, each document's language is identified
        nlp = load(model) if model else Router.for_option(AUTO)
        summary = run_local(
            nlp, read_inputs([source]), open_sink(out), n_process=n_process, batch_size=64
        )
    return {
        "words": summary.words,
        "seconds": summary.seconds,
        "done": summary.done,
        "failed": summary.failed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure(
    engine: str, source: Path, out: Path, n_process: int, model: str | None
) -> dict[str, Any]:
    """:func:`run_once` in a fresh Python process."""
    code = (
        "import json, sys; from pathlib import Path; "
        "from racereport.batch.benchmark import run_once; "
        "print(json.dumps(run_once(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), "
        "int(sys.argv[4]), sys.argv[5] or None)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, engine, str(source), str(out), str(n_process), model or ""],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def benchmark(documents: int, model: str | None = None, ray: bool = True) -> dict[str, Any]:
    """All measurements as a dict (what the command prints)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        full, quarter = root / "corpus.jsonl", root / "quarter.jsonl"
        words = generate_corpus(full, documents)
        generate_corpus(quarter, max(1, documents // 4))
        runs = {
            "local, 1 process": measure("local", full, root / "o1.jsonl", 1, model),
            "local, 2 processes": measure("local", full, root / "o2.jsonl", 2, model),
            "local, 1 process, quarter corpus": measure(
                "local", quarter, root / "oq.jsonl", 1, model
            ),
        }
        if ray:
            runs["ray"] = measure("ray", full, root / "oray", 1, model)
        blank = blank_rate(full)
    for run in runs.values():
        run["words_per_second"] = run["words"] / run["seconds"] if run["seconds"] else 0.0
    one = runs["local, 1 process"]["words_per_second"]
    return {
        "documents": documents,
        "words": words,
        "runs": runs,
        "blank_tokenization_words_per_second": blank,
        "speedup_2_processes": runs["local, 2 processes"]["words_per_second"] / one,
        "ray_vs_local_1_process": runs["ray"]["words_per_second"] / one if ray else None,
        "pipeline_vs_blank_tokenization": one / blank,
    }
