"""The transformer config trains and runs on CPU with a tiny random BERT made here.

Nothing is downloaded: the model and its tokenizer are built and saved by the test,
and the Hugging Face hub is switched off.
"""

from pathlib import Path

import pytest

pytest.importorskip("spacy_transformers")

import spacy
from spacy.cli.train import train as spacy_train

from racereport.corpus.docbin import to_docbin
from racereport.corpus.markup import parse_markup
from racereport.tokenizer import blank
from tests.conftest import REPO, SAMPLE_MARKUP

CONFIG = REPO / "models" / "configs" / "motorsport_transformer.cfg"


def make_tiny_bert(path: Path, texts: list[str]) -> None:
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w for t in texts for w in t.replace(".", " . ").split()})
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    vocab = list(dict.fromkeys(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *words]))
    path.mkdir(parents=True)
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=False).save_pretrained(path)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(path)


def test_transformer_config_trains_saves_and_reloads(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    docs = parse_markup(SAMPLE_MARKUP)
    make_tiny_bert(tmp_path / "bert", [d.text for d in docs])
    to_docbin(blank("de"), docs).to_disk(tmp_path / "train.spacy")
    spacy_train(
        CONFIG,
        tmp_path / "out",
        overrides={
            "paths.transformer": str(tmp_path / "bert"),
            "paths.train": str(tmp_path / "train.spacy"),
            "paths.dev": str(tmp_path / "train.spacy"),
            "training.max_steps": 4,
            "training.eval_frequency": 2,
        },
    )
    nlp = spacy.load(tmp_path / "out" / "model-last")
    assert nlp.pipe_names == [
        "transformer",
        "ner",
        "name_propagation",
        "incident_typer",
        "relation_extractor",
        "event_graph",
    ]
    text = docs[0].text
    first = nlp(text)
    again = spacy.load(tmp_path / "out" / "model-last")(text)
    assert [(e.start_char, e.end_char, e.label_) for e in first.ents] == [
        (e.start_char, e.end_char, e.label_) for e in again.ents
    ]
