"""Run a batch job on Ray Data: files are read in Ray tasks, documents processed by a
pool of actors that each load the pipeline once, rows streamed back to the same sink
the local engine uses (so resuming works the same way and results are identical).

``address=None`` starts (or joins) a local Ray; pass ``"auto"`` on a cluster node or
``"ray://head:10001"`` for a remote cluster (the project must be installed on every
node, e.g. through a ``runtime_env``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from racereport.batch.local import Summary, process_items
from racereport.batch.sink import from_flat_row, open_sink, parquet_schema, to_flat_row
from racereport.batch.sources import (
    DEFAULT_FIELDS,
    MAX_CHARS,
    Fields,
    InputDoc,
    expand,
    read_path,
)
from racereport.multilingual.router import Router
from racereport.pipe_errors import set_error_handlers


def read_file_rows(
    row: dict[str, Any], text_field: str, id_field: str, max_chars: int, done: set[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The documents of one input file or dataset folder (``row``: its absolute ``path``
    and the ``name`` its rows carry as source) as rows (a Ray ``flat_map``),
    without those done already; a repeated id within the source becomes an error row,
    as in the local engine."""
    fields = Fields(text=text_field, id=id_field)
    docs = read_path(Path(row["path"]), fields, max_chars, row["name"])
    rows = []
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        if doc.key in done:
            continue
        if doc.key in seen:
            doc = doc.as_duplicate()
        seen.add(doc.key)
        rows.append({"id": doc.id, "source": doc.source, "text": doc.text, "error": doc.error})
    return rows


class ExtractActor:
    """A Ray actor holding its pipeline (``model``) or its :class:`Router` (no ``model``:
    each document through its language's pipeline, or all in ``lang``); turns a batch of
    input rows into output rows."""

    def __init__(self, model: str | None, batch_size: int = 64, lang: str = "auto") -> None:
        from racereport.extract import load

        self.nlp: Any
        if model is None:
            self.nlp = Router.for_option(lang)
        else:
            self.nlp = load(model)
            set_error_handlers(self.nlp)
        self.batch_size = batch_size

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        items = [
            InputDoc(r["id"], r["source"], text=r["text"], error=r["error"])
            for r in batch.to_pylist()
        ]
        flat = [
            {**to_flat_row(row), "words": words}
            for row, words in process_items(self.nlp, items, self.batch_size)
        ]
        schema = parquet_schema().append(pa.field("words", pa.int64()))
        return pa.Table.from_pylist(flat, schema=schema)


def run_ray(
    inputs: list[Path],
    out: Path,
    out_format: str,
    *,
    fields: Fields = DEFAULT_FIELDS,
    model: str | None = None,
    batch_size: int = 64,
    max_chars: int = MAX_CHARS,
    address: str | None = None,
    concurrency: int | None = None,
    lang: str = "auto",
) -> Summary:
    """Process the documents of ``inputs`` not yet in ``out`` on Ray; returns the summary.
    Without ``model``, each document goes to its language's pipeline (``lang="auto"``)
    or to ``lang``'s."""
    import ray

    from racereport.batch.sources import count_inputs

    start = time.perf_counter()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    # one CPU per actor, and one CPU left for the read tasks (else they starve)
    actors = concurrency or max(1, int(ray.available_resources().get("CPU", 1)) - 1)
    sink = open_sink(out, out_format)
    total = count_inputs(inputs, fields)
    already = len(sink.done)
    # workers read absolute paths (their working folder may differ); rows keep the
    # names as given, like the local engine's
    files = [{"path": str(p.resolve()), "name": str(p)} for p in expand(inputs)]
    if model is not None and Path(model).exists():
        model = str(Path(model).resolve())
    dataset = (
        ray.data.from_items(files)
        .flat_map(
            read_file_rows,  # type: ignore[arg-type]
            fn_kwargs={
                "text_field": fields.text,
                "id_field": fields.id,
                "max_chars": max_chars,
                "done": set(sink.done),
            },
            num_cpus=0.5,
        )
        .map_batches(
            ExtractActor,
            fn_constructor_kwargs={"model": model, "batch_size": batch_size, "lang": lang},
            batch_size=batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1,
        )
    )
    summary = Summary()
    for batch in dataset.iter_batches(batch_format="pyarrow", batch_size=batch_size):
        table = batch.to_pylist()  # type: ignore[union-attr]
        rows = [from_flat_row(r) for r in table]
        sink.write(rows)
        sink.flush()
        for row, flat in zip(rows, table, strict=True):
            summary.count(row, int(flat["words"]))
    sink.close()
    summary.skipped = max(0, min(already, total - summary.done - summary.failed))
    summary.seconds = time.perf_counter() - start
    return summary
