"""The configs that start from spaCy's own pipelines (``de_core_news_md``,
``en_core_web_md``, ``fr_core_news_md``; not installable here) source a tok2vec with
static vectors and the vectors from a pipeline. Trained here from a tiny stand-in
pipeline that the test builds and saves, with the same mechanism (``paths.base``,
``paths.vectors``)."""

import numpy
import pytest
import spacy

from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import split_documents
from racereport.training import config_lang, train_on_documents
from tests.conftest import REPO

CONFIGS = {
    "de": "motorsport_de_core_news_md.cfg",
    "en": "motorsport_en_core_web_md.cfg",
    "fr": "motorsport_fr_core_news_md.cfg",
}
TOK2VEC = {
    "@architectures": "spacy.Tok2Vec.v2",
    "embed": {
        "@architectures": "spacy.MultiHashEmbed.v2",
        "width": 96,
        "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
        "rows": [500, 100, 100, 100],
        "include_static_vectors": True,
    },
    "encode": {
        "@architectures": "spacy.MaxoutWindowEncoder.v2",
        "width": 96,
        "depth": 1,
        "window_size": 1,
        "maxout_pieces": 3,
    },
}


def _stand_in(lang: str, path, words: list[str]) -> tuple[int, int]:
    """A pipeline shaped like spaCy's md models: vectors and a tok2vec that uses them."""
    nlp = spacy.blank(lang)
    rng = numpy.random.default_rng(0)
    nlp.vocab.reset_vectors(width=8)
    for word in words:
        nlp.vocab.set_vector(word, rng.normal(size=8).astype("f"))
    nlp.add_pipe("tok2vec", config={"model": TOK2VEC})
    nlp.initialize()
    nlp.to_disk(path)
    return nlp.vocab.vectors.shape


@pytest.mark.parametrize("lang", sorted(CONFIGS))
def test_spacy_model_config_sources_tok2vec_and_vectors(lang, tmp_path):
    config = REPO / "models" / "configs" / CONFIGS[lang]
    assert config_lang(config) == lang
    docs = load_documents([REPO / "corpus" / lang])
    splits = split_documents(docs)
    train, dev = splits["train"][:8], splits["dev"][:4]
    words = sorted({w for d in train for w in d.text.split()})[:50]
    shape = _stand_in(lang, tmp_path / "base", words)
    best = train_on_documents(
        config,
        train,
        dev,
        tmp_path / "out",
        overrides={
            "paths.base": str(tmp_path / "base"),
            "paths.vectors": str(tmp_path / "base"),
            "training.max_steps": 4,
            "training.eval_frequency": 2,
        },
    )
    nlp = spacy.load(best)
    assert nlp.lang == lang
    assert nlp.pipe_names == [
        "tok2vec",
        "ner",
        "name_propagation",
        "incident_typer",
        "relation_extractor",
        "event_graph",
    ]
    assert nlp.vocab.vectors.shape == shape
    assert any(layer.name == "static_vectors" for layer in nlp.get_pipe("tok2vec").model.walk())
    doc = nlp(dev[0].text)
    assert doc._.racereport_event_graph_data is not None
