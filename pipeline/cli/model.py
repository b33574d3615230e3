"""``racereport train|evaluate|extract|benchmark``: the motorsport pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from racereport.bundled import SOURCE_ROOT
from racereport.cli.choices import GraphFormat, PrintFormat, Split
from racereport.cli.common import err, fail, load_pipeline, usage
from racereport.corpus.jsonl import CorpusError, load_documents
from racereport.corpus.split import DEFAULT_SEED, default_heldout, split_documents
from racereport.errors import ModelNotFoundError
from racereport.factory_names import migrate_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc

out = Console(soft_wrap=True)

DEFAULT_CONFIG = SOURCE_ROOT / "models" / "configs" / "motorsport_distilled.cfg"
DEFAULT_CORPUS = SOURCE_ROOT / "corpus" / "de"
ModelOption = typer.Option(
    None, "--model", "-m", help="Pipeline path or package (default: models/racereport-de)."
)
RealTextOption = typer.Option(
    None,
    "--real-text",
    exists=True,
    file_okay=False,
    help="Folder holding the openly licensed real text that corpus/real/LANG annotates "
    "(GermEval 2014: NER-de-dev.tsv, NER-de-test.tsv, e.g. ../shared/data/german_ner/"
    "germeval2014); also scored: the annotated real text, and the entities found in its "
    "sentences about other things. Without it both are skipped.",
)
LangOption = typer.Option(
    "auto",
    help="Without --model: auto (identify each document's language and use its bundled "
    "pipeline, models/racereport-de|en|fr) or de, en, fr.",
)


def scores_table(report: dict) -> Table:
    """A readable table of an evaluation report."""
    table = Table(title=f"{report['documents']} documents", title_justify="left")
    for column in ("label", "P", "R", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    rows = [*report["ents_per_label"].items(), ("micro", report["ents_micro"])]
    for label, s in rows:
        table.add_row(label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", str(s["support"]))
    table.add_row(
        "incident type acc.",
        "",
        "",
        f"{report['incident_type_accuracy']:.3f}",
        str(report["incident_type_support"]),
    )
    return table


def relations_table(report: dict) -> Table | None:
    """Relation P/R/F1 per type: end to end and, where scored, with gold entities."""
    if "relations_micro" not in report:
        return None
    gold = report.get("relations_gold_entities")
    table = Table(title="relations", title_justify="left")
    table.add_column("type")
    for column in ("P", "R", "F1", "support"):
        table.add_column(column, justify="right")
    if gold:
        table.add_column("F1 (gold entities)", justify="right")
    rows = [*report["relations_per_label"].items(), ("micro", report["relations_micro"])]
    for label, s in rows:
        cells = [label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", str(s["support"])]
        if gold:
            g = gold["micro"] if label == "micro" else gold["per_label"].get(label)
            cells.append(f"{g['f']:.3f}" if g else "")
        table.add_row(*cells)
    return table


def _print_report(report: dict) -> None:
    out.print(scores_table(report))
    relations = relations_table(report)
    if relations is not None:
        out.print(relations)


def train(
    config: Path = typer.Option(DEFAULT_CONFIG, help="Training config (models/configs/)."),
    output: Path = typer.Option(Path("training/motorsport"), help="spaCy training output."),
    package: Path | None = typer.Option(None, help="Copy the best model here with its scores."),
    corpus: list[Path] = typer.Option([DEFAULT_CORPUS], help="Corpus files or folders."),
    transfer: list[Path] | None = typer.Option(
        None,
        help="Corpora in other languages added to the training split only (cross-lingual "
        "transfer), e.g. --transfer corpus/de.",
    ),
    heldout: list[Path] | None = typer.Option(
        None,
        help="Long-article test set, never trained or tuned on, scored after training "
        "(default: corpus/heldout/LANG where it exists).",
    ),
    seed: int | None = typer.Option(
        None, help="Training seed (training.seed and system.seed; default: the config's)."
    ),
    real_text: Path | None = RealTextOption,
) -> None:
    """Train the motorsport pipeline, evaluate it on the test split and the long-article
    test set (and, with --real-text, on annotated real text), optionally package it."""
    from racereport.corpus.standoff import StandoffError
    from racereport.training import train_motorsport

    overrides = None if seed is None else {"training.seed": seed, "system.seed": seed}
    try:
        report = train_motorsport(
            config,
            output,
            corpus,
            package=package,
            transfer=transfer,
            heldout=heldout,
            overrides=overrides,
            real_text=real_text,
        )
    except (CorpusError, FileNotFoundError, StandoffError) as e:
        raise fail(str(e)) from None
    _print_reports(_summary_sets("random test split", report))


def holdout_series(
    series: list[str] = typer.Option(..., help="Series code to hold out (repeatable)."),
    config: Path = typer.Option(DEFAULT_CONFIG, help="Training config (models/configs/)."),
    output: Path = typer.Option(Path("training/series-held-out"), help="One folder a series."),
    corpus: list[Path] = typer.Option([DEFAULT_CORPUS], help="Corpus files or folders."),
    heldout: list[Path] | None = typer.Option(
        None, help="Long-article test set whose documents of the series are scored too."
    ),
    transfer: list[Path] | None = typer.Option(
        None,
        help="Corpora in other languages added to the training part, less the series' "
        "documents (as racereport train --transfer), e.g. --transfer corpus/de.",
    ),
) -> None:
    """For each series: train without it, score on all of its documents (slow: one
    training run a series). Writes OUTPUT/SERIES/series_scores.json and a summary."""
    from racereport.training import config_lang, train_series_held_out

    folders = default_heldout(config_lang(config)) if heldout is None else heldout
    reports = {}
    for code in series:
        try:
            reports[code] = train_series_held_out(
                config, output / code, corpus, code, folders, transfer=transfer or ()
            )
        except (CorpusError, ValueError) as e:
            raise fail(str(e)) from None
    output.mkdir(parents=True, exist_ok=True)
    (output / "summary.json").write_text(json.dumps(reports, indent=2) + "\n")
    _print_reports({f"{code} held out": report for code, report in reports.items()})


def _summary_row(report: dict) -> list[str]:
    relations = report.get("relations_micro", {}).get("f")
    unseen = report.get("unseen_names")
    people = report.get("people_not_drivers")
    return [
        str(report["documents"]),
        f"{report['ents_micro']['f']:.3f}",
        f"{report['ents_micro_overlap']['f']:.3f}",
        f"{report['incident_detection']['f']:.3f}",
        f"{report['incident_type_accuracy']:.3f}",
        "" if relations is None else f"{relations:.3f}",
        "" if unseen is None else f"{unseen['recall']:.3f} ({unseen['support']})",
        f"{report['common_words']['rate']:.3f}",
        "" if people is None else f"{people['rate']:.3f} ({people['candidates']})",
    ]


def summary_table(reports: dict[str, dict | None]) -> Table:
    """One row per evaluation set: the figures that predict accuracy on real text."""
    table = Table(
        title="summary",
        title_justify="left",
        caption="overlap: entity F1 counting overlapping spans; unseen R: recall on names "
        "absent from the training split (their count); cap. words: share of ordinary "
        "capitalised words read as DRIVER or TEAM; people: share of people who do not "
        "drive (by the generic tagger, outside gold entities; their count) read as DRIVER",
        caption_justify="left",
    )
    columns = ("set", "docs", "ent F1", "overlap", "incident", "type acc",
               "rel e2e", "unseen R", "cap. words", "people")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column == "set" else "right")
    for name, report in reports.items():
        if report is not None:
            table.add_row(name, *_summary_row(report))
    return table


def _print_reports(reports: dict[str, dict | None]) -> None:
    for name, report in reports.items():
        if report is None:
            continue
        out.print(f"[bold]{escape(name)}[/bold]")
        _print_report(report)
    out.print(summary_table(reports))


def evaluate(
    model: str | None = ModelOption,
    corpus: list[Path] = typer.Option([DEFAULT_CORPUS], help="Corpus files or folders."),
    split: Split = typer.Option(Split.test, help="Corpus split to score."),
    heldout: list[Path] | None = typer.Option(
        None,
        help="Long-article test set scored next to the split (default: "
        "corpus/heldout/LANG where it exists; not with --split dev, which chooses models).",
    ),
    real_text: Path | None = RealTextOption,
    real: list[Path] | None = typer.Option(
        None, help="Standoff annotations of real text (default: corpus/real/LANG)."
    ),
    output: Path | None = typer.Option(None, help="Write the report as JSON here."),
) -> None:
    """Score a pipeline on a corpus split and on the long-article test set (and, with
    --real-text, on annotated real text): per-label P/R/F1, incidents, confusions, overlap
    F1, unseen-name recall (names not in the training split), ordinary capitalised words
    read as DRIVER or TEAM."""
    from racereport.corpus.standoff import StandoffError, default_real, load_real_text

    nlp = load_pipeline(model)
    lang = str(nlp.lang)
    if heldout is None and split is Split.dev:
        # dev figures choose models and seeds: the test set stays out of sight unless asked
        err.print("long articles: not scored with --split dev (pass --heldout to score them)")
        heldout = []
    try:
        docs = [d for d in load_documents(corpus) if d.lang == lang]
        long_docs = load_documents(default_heldout(lang) if heldout is None else heldout)
        real_docs, other_docs = (
            load_real_text(real_text, lang, real) if real_text is not None else ([], [])
        )
    except (CorpusError, StandoffError) as e:
        raise fail(str(e)) from None
    if real_text is None and default_real(lang):
        err.print("real text: skipped (pass --real-text to score corpus/real/" + lang + ")")
    splits = split_documents(docs, DEFAULT_SEED)
    gold = docs if split is Split.all else splits[split.value]
    from racereport.evaluation import (
        evaluation_report,
        long_article_reports,
        real_text_reports,
    )

    report = evaluation_report(nlp, gold, train=splits["train"])
    long_docs = [d for d in long_docs if d.lang == lang]
    report.update(long_article_reports(nlp, long_docs, splits["train"]))
    report.update(real_text_reports(nlp, real_docs, other_docs, splits["train"]))
    if output is not None:
        output.write_text(json.dumps(report, indent=2) + "\n")
    _print_report(report)
    confusion = report["confusion"]
    for item in confusion["label"][:10]:
        out.print(f"label confusion: {item['gold']} -> {item['predicted']}: {item['count']}")
    out.print(f"boundary errors: {confusion['boundary']}")
    out.print(f"missed: {confusion['missed']}  spurious: {confusion['spurious']}")
    for item in confusion["incident_type"][:10]:
        out.print(f"type confusion: {item['gold']} -> {item['predicted']}: {item['count']}")
    out.print(f"common words read as DRIVER/TEAM: {report['common_words']['most_common']}")
    if long_docs:
        out.print("[bold]long articles[/bold]")
        _print_report(report["heldout_long"])
        out.print(
            "common words read as DRIVER/TEAM: "
            f"{report['heldout_long']['common_words']['most_common']}"
        )
    if "real_text" in report:
        out.print("[bold]real text[/bold]")
        _print_report(report["real_text"])
    if "other_text" in report:
        other = report["other_text"]
        out.print(
            f"[bold]other text[/bold] ({other['documents']} GermEval sentences about other "
            f"things, {other['words']} words): {other['entities']} entities predicted, "
            f"{other['per_1000_words']} per 1,000 words (all wrong); {other['per_label']}; "
            f"most common: {other['most_common']}"
        )
    out.print(summary_table(_summary_sets(f"{split.value} split", report)))


def _summary_sets(split_name: str, report: dict) -> dict[str, dict | None]:
    """The sets of a train or evaluate report, by summary row name: the split, the long
    articles (all, about new events, per register as "long: ticker", ...), real text."""
    by_register = report.get("heldout_long_by_register") or {}
    return {
        split_name: report,
        "long articles": report.get("heldout_long"),
        "long, new events": report.get("heldout_long_new_events"),
        **{f"long: {register}": scores for register, scores in by_register.items()},
        "real text": report.get("real_text"),
    }


def _read_texts(files: list[Path] | None) -> list[tuple[str, str | None, str | None]]:
    """``(id, text, error)`` per file (id: the path as given, so two ``report.txt`` in
    different folders stay apart; ``-`` or none: stdin). A file that cannot be read as
    text gets an error instead of stopping the others; byte-order marks decide the
    encoding (UTF-8, UTF-16, UTF-32)."""
    from racereport.batch.sources import decode_bytes, printable

    inputs: list[tuple[str, str | None, str | None]] = []
    for path in files or [Path("-")]:
        if str(path) == "-":
            text, error = decode_bytes(sys.stdin.buffer.read())
            inputs.append(("stdin", text, error))
            continue
        doc_id = printable(str(path))
        try:
            data = path.read_bytes()
        except OSError as e:
            inputs.append((doc_id, None, f"cannot read: {e.strerror or e}"))
            continue
        text, error = decode_bytes(data)
        if text is not None and not text.strip():
            text, error = None, "empty text"
        inputs.append((doc_id, text, error))
    return inputs


def _process(
    inputs: list[tuple[str, str | None, str | None]], model: str | None, lang: str
) -> list[tuple[str, Doc | str]]:
    """``(id, Doc)`` or ``(id, error)`` per input, in order; unreadable inputs keep their
    error, the rest go through the pipeline."""
    from racereport.extract import process_texts

    readable = [(doc_id, text) for doc_id, text, _ in inputs if text is not None]
    try:
        processed = iter(process_texts(readable, model, lang))
    except (ModelNotFoundError, OSError, ValueError) as e:
        raise fail(str(e)) from None
    return [
        next(processed) if text is not None else (doc_id, cast(str, error))
        for doc_id, text, error in inputs
    ]


def _extract_records(
    inputs: list[tuple[str, str | None, str | None]], model: str | None, lang: str
) -> list[dict[str, Any] | str]:
    """The extraction record or the error of each input, in order. A text longer than
    ``chunks.MAX_CHARS_PER_PART`` goes through the pipeline in paragraph-cut parts whose
    records are merged (as ``racereport process`` does), so memory stays flat in
    document length."""
    from racereport.batch import chunks
    from racereport.extract import extraction_record

    parts: list[tuple[int, int, tuple[str, str | None, str | None]]] = []
    for i, (doc_id, text, error) in enumerate(inputs):
        if text is None:
            parts.append((i, 0, (doc_id, text, error)))
            continue
        for part_doc_id, offset, part in chunks.document_parts(
            doc_id, text, chunks.MAX_CHARS_PER_PART
        ):
            parts.append((i, offset, (part_doc_id, part, None)))
    done: dict[int, list[tuple[int, str, Doc | str]]] = {}
    for (i, offset, (part_doc_id, _, _)), (_, result) in zip(
        parts, _process([p for _, _, p in parts], model, lang), strict=True
    ):
        done.setdefault(i, []).append((offset, part_doc_id, result))
    results: list[dict[str, Any] | str] = []
    for i, (doc_id, text, _) in enumerate(inputs):
        pieces = done[i]
        error = chunks.first_failure([r for _, _, r in pieces])
        if error is not None:
            results.append(error)
            continue
        rows = [extraction_record(cast("Doc", r), part) for _, part, r in pieces]
        if len(rows) == 1:
            results.append(rows[0])
        else:
            merged = chunks.merge_rows(doc_id, [offset for offset, _, _ in pieces], rows)
            results.append({**merged, "id": doc_id, "text": text})
    return results


def extract(
    files: list[Path] | None = typer.Argument(None, help="Text files; '-' or none: stdin."),
    model: str | None = ModelOption,
    fmt: PrintFormat = typer.Option(PrintFormat.jsonl, "--format", "-f", help="Output format."),
    lang: str = LangOption,
) -> None:
    """Print entities, relations and the event graph for each document; a document
    that cannot be read or processed gets a record with its error (exit status 1)."""
    inputs = _read_texts(files)
    records: list[dict[str, Any]] = []
    for (doc_id, text, _), result in zip(
        inputs, _extract_records(inputs, model, lang), strict=True
    ):
        if isinstance(result, str):
            err.print(f"[yellow]{escape(doc_id)}:[/yellow] {escape(result)}", highlight=False)
            records.append(
                {"id": doc_id, "lang": None, "text": text, "entities": [], "relations": [],
                 "graph": {}, "warnings": [], "error": result}
            )  # fmt: skip
        else:
            records.append(result)
    if fmt is PrintFormat.json:
        out.print_json(json.dumps(records, ensure_ascii=False))
    elif fmt is PrintFormat.jsonl:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        for record in records:
            if record.get("error"):
                continue
            table = Table(title=f"{escape(record['id'])} ({record['lang']})", title_justify="left")
            for column in ("start", "end", "label", "type", "text"):
                table.add_column(column)
            for ent in record["entities"]:
                table.add_row(
                    str(ent["start"]),
                    str(ent["end"]),
                    ent["label"],
                    ent["type"] or "",
                    escape(ent["text"]),
                )
            out.print(table)
            texts = {ent["id"]: ent["text"] for ent in record["entities"]}
            if record["relations"]:
                relations = Table(title_justify="left")
                for column in ("head", "relation", "tail", "score"):
                    relations.add_column(column)
                for rel in record["relations"]:
                    score = "" if rel["score"] is None else f"{rel['score']:.2f}"
                    relations.add_row(
                        escape(texts[rel["head"]]), rel["label"], escape(texts[rel["tail"]]), score
                    )
                out.print(relations)
    failed = sum(1 for record in records if record.get("error"))
    if failed:
        err.print(f"{failed} of {len(records)} documents failed (see their error)")
        raise typer.Exit(1)


def graph(
    files: list[Path] | None = typer.Argument(None, help="Text files; '-' or none: stdin."),
    model: str | None = ModelOption,
    fmt: GraphFormat = typer.Option(GraphFormat.json, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--out", "-o", help="Write here, not stdout."),
    lang: str = LangOption,
) -> None:
    """The event graph of the documents (merged into one graph when there are several,
    across languages)."""
    from racereport.graph.build import graph_from_data
    from racereport.graph.export import export
    from racereport.graph.merge import merge_graphs

    inputs = _read_texts(files)
    graphs = []
    for doc_id, result in _process(inputs, model, lang):
        if isinstance(result, str):
            err.print(f"[yellow]{escape(doc_id)}:[/yellow] {escape(result)}", highlight=False)
        elif result._.racereport_event_graph_data is None:
            raise fail(f"the pipeline {result.lang_} has no event_graph component")
        else:
            graphs.append(graph_from_data(result._.racereport_event_graph_data))
    if not graphs:
        raise fail("no document could be processed")
    merged = graphs[0] if len(graphs) == 1 else merge_graphs(graphs)
    title = ", ".join(doc_id for doc_id, _, _ in inputs[:3]) + (" ..." if len(inputs) > 3 else "")
    text = export(merged, fmt.value, title=f"Event graph: {title}")
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


def benchmark(
    model: str | None = ModelOption,
    compare: list[str] = typer.Option(
        [], help="spaCy pipelines (package or path) to measure beside it, e.g. fr_core_news_md."
    ),
    words: int = typer.Option(200_000, help="Words per run (the corpus, repeated)."),
    batch_size: int = typer.Option(256, help="nlp.pipe batch size."),
    repeats: int = typer.Option(3, min=1, help="Timed runs of each; the median is reported."),
    disable: list[str] = typer.Option([], help="Components to leave out (repeatable)."),
    output: Path | None = typer.Option(None, help="Write the rows and ratios as JSON here."),
) -> None:
    """Words per second side by side in one process on the same texts: the pipeline and its
    NER part, the --compare pipelines (whole and tok2vec + ner), and spacy.blank
    tokenization of the distinct texts, with ratios."""
    import spacy

    from racereport.speed import measure, ratios

    nlp = load_pipeline(model)
    unknown = set(disable) - set(nlp.pipe_names)
    if unknown:
        raise fail(f"no component {sorted(unknown)} in the pipeline {nlp.pipe_names}")
    for name in disable:
        nlp.disable_pipe(name)
    pipelines = {"racereport": nlp}
    for name in compare:
        try:
            pipelines[name] = spacy.load(name)
        except OSError as e:
            err.print(f"[yellow]skipped {escape(name)}:[/yellow] {escape(str(e))}", highlight=False)
    texts = [d.text for d in load_documents([DEFAULT_CORPUS])]
    rows = measure(pipelines, texts, words, str(nlp.lang), batch_size, repeats)
    reference = next((name for name in pipelines if name != "racereport"), None)
    relative = ratios(rows, reference)
    table = Table(
        title=f"{words:,}+ words a run, {repeats} runs, 1 process, batch size {batch_size}"
    )
    for column in ("pipeline", "components", "words/s (median)", "ratios"):
        table.add_column(column, justify="right" if column.startswith("words") else "left")
    for row in rows:
        table.add_row(
            row.name,
            ", ".join(row.components),
            f"{row.words_per_second:,.0f}",
            "; ".join(f"{k.replace('_', ' ')} {v}" for k, v in relative.get(row.name, {}).items()),
        )
    out.print(table)
    if output is not None:
        output.write_text(
            json.dumps({"rows": [r.to_dict() for r in rows], "ratios": relative}, indent=2) + "\n"
        )


def migrate_model(
    source: Path = typer.Argument(..., help="A pipeline saved with the old factory names."),
    output: Path = typer.Argument(..., help="New folder for the copy (must not exist)."),
) -> None:
    """Copy a pipeline saved before the factories were namespaced (incident_typer,
    relation_extractor, event_graph) with its config naming the racereport_ factories;
    the source is left unchanged."""
    try:
        renamed = migrate_pipeline(source, output)
    except FileExistsError as e:
        raise usage(str(e)) from None
    except FileNotFoundError as e:
        raise fail(str(e)) from None
    if renamed:
        changes = ", ".join(f"{old} -> {new}" for old, new in sorted(renamed.items()))
        out.print(f"wrote {output}: {changes}")
    else:
        out.print(f"wrote {output}: nothing to rename (already namespaced)")
