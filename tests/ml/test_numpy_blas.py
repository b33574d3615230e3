"""race.numpy_blas.v1: matrix products through numpy's BLAS, one thread, same results."""

import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import registry
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from racereport.ml.numpy_blas import NumpyBlasOps, _one_thread, use_numpy_blas
from racereport.tokenizer import blank


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_thinc(trans1, trans2):
    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(7, 5)).astype("f")
    y = rng.normal(size=(5, 3)).astype("f")
    x = x.T.copy() if trans1 else x
    y = y.T.copy() if trans2 else y
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = NumpyBlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    out = numpy.zeros((7, 3), "f")
    assert NumpyBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def _blas_threads():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_one_thread_per_product_and_restored():
    before = _blas_threads()
    with _one_thread():
        assert all(n == 1 for n in _blas_threads())
    assert _blas_threads() == before


def _tiny_pipeline():
    nlp = blank("de")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner")
    texts = [("Max Verstappen gewinnt in Zandvoort.", [(0, 14, "DRIVER"), (26, 35, "TRACK")])]
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": ents}) for t, ents in texts * 4]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(5):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_use_numpy_blas_keeps_predictions():
    nlp = _tiny_pipeline()
    text = "Max Verstappen gewinnt in Zandvoort vor Lando Norris."
    before = nlp(text)
    assert use_numpy_blas(nlp) is nlp
    tok2vec = nlp.get_pipe("tok2vec").model
    assert all(isinstance(node.ops, NumpyBlasOps) for node in tok2vec.walk())
    after = nlp(text)
    numpy.testing.assert_allclose(after.tensor, before.tensor, rtol=1e-4, atol=1e-5)
    assert [(e.text, e.label_) for e in after.ents] == [(e.text, e.label_) for e in before.ents]


def test_other_ops_are_left_alone():
    class OtherOps(NumpyOps):
        pass

    nlp = _tiny_pipeline()
    model = nlp.get_pipe("tok2vec").model
    for node in model.walk():
        node.ops = OtherOps()
    use_numpy_blas(nlp)
    assert all(type(node.ops) is OtherOps for node in model.walk())


def test_callback_is_registered_and_runs_from_config(tmp_path):
    assert registry.callbacks.get("race.numpy_blas.v1")() is use_numpy_blas
    nlp = _tiny_pipeline()
    nlp.config["nlp"]["after_pipeline_creation"] = {"@callbacks": "race.numpy_blas.v1"}
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert isinstance(loaded.get_pipe("ner").model.ops, NumpyBlasOps)
    text = "Max Verstappen gewinnt in Zandvoort."
    assert [(e.text, e.label_) for e in loaded(text).ents] == [
        (e.text, e.label_) for e in nlp(text).ents
    ]
