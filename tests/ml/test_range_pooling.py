import numpy
import pytest
from spacy.ml.extract_spans import extract_spans
from spacy.ml.models.spancat import build_mean_max_reducer
from thinc.api import NumpyOps, chain
from thinc.types import Ragged

from racereport.ml.range_pooling import RangeReducer

OPS = NumpyOps()
WIDTH = 6


def inputs(doc_lengths, ranges_per_doc, seed=0):
    rng = numpy.random.default_rng(seed)
    vectors = rng.normal(size=(sum(doc_lengths), WIDTH)).astype("f")
    tokvecs = Ragged(vectors, OPS.asarray1i(doc_lengths))
    flat = [r for doc in ranges_per_doc for r in doc]
    ranges = Ragged(
        OPS.asarray2i(numpy.asarray(flat, dtype="i").reshape((-1, 2))),
        OPS.asarray1i([len(doc) for doc in ranges_per_doc]),
    )
    return tokvecs, ranges


def copying_statistics(tokvecs, ranges):
    """What the relation model computed before: copy each range, then reduce it."""
    statistics = build_mean_max_reducer(WIDTH).layers[0]
    return chain(extract_spans(), statistics).predict((tokvecs, ranges))


def random_ranges(rng, length, n):
    starts = rng.integers(0, length, size=n)
    ends = numpy.minimum(length, starts + rng.integers(1, length + 1, size=n))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def test_statistics_equal_those_of_the_copied_ranges():
    rng = numpy.random.default_rng(1)
    lengths = [5, 1, 40, 17]
    ranges = [
        [(0, 5), (2, 3), (4, 5)],
        [(0, 1)],
        [(0, 40), (3, 35), *random_ranges(rng, 40, 30)],
        random_ranges(rng, 17, 12),
    ]
    tokvecs, spans = inputs(lengths, ranges)
    got = RangeReducer(OPS, tokvecs, spans).reduce(0, len(spans.dataXd))
    want = copying_statistics(tokvecs, spans)
    assert got.shape == want.shape == (48, 4 * WIDTH)
    # last, first and max are exact; the mean agrees to float32 rounding
    numpy.testing.assert_array_equal(got[:, : 2 * WIDTH], want[:, : 2 * WIDTH])
    numpy.testing.assert_array_equal(got[:, 3 * WIDTH :], want[:, 3 * WIDTH :])
    numpy.testing.assert_allclose(
        got[:, 2 * WIDTH : 3 * WIDTH], want[:, 2 * WIDTH : 3 * WIDTH], rtol=1e-5, atol=1e-6
    )


def test_chunks_across_docs_and_docs_without_ranges_give_the_same_rows():
    rng = numpy.random.default_rng(2)
    lengths = [9, 4, 30, 3]
    ranges = [random_ranges(rng, 9, 5), [], random_ranges(rng, 30, 11), [(0, 3)]]
    tokvecs, spans = inputs(lengths, ranges, seed=3)
    reducer = RangeReducer(OPS, tokvecs, spans)
    whole = reducer.reduce(0, len(reducer))
    for size in (1, 2, 4, 7):
        pieces = [
            reducer.reduce(a, min(a + size, len(reducer))) for a in range(0, len(reducer), size)
        ]
        numpy.testing.assert_array_equal(numpy.vstack(pieces), whole)


def test_an_empty_range_is_refused():
    tokvecs, spans = inputs([4], [[(1, 1)]])
    with pytest.raises(ValueError, match="at least one token"):
        RangeReducer(OPS, tokvecs, spans)
