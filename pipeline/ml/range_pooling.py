"""Last, first, mean and max of many token ranges without copying their tokens.

spaCy's ``extract_spans`` followed by a mean-max reducer copies every range's token
vectors before reducing them, so the relation extractor's context pooling cost memory
and time in proportion to the summed length of all candidate contexts (about 34 KB per
word of a batch). :class:`RangeReducer` reads the same four statistics from per-doc
tables instead: prefix sums give a range's mean from two rows, a sparse table of
power-of-two maxima gives its max from two rows. Memory is one doc's tables (its
tokens times the number of power-of-two levels its longest range needs) plus the rows
asked for; time is linear in the doc's tokens plus the number of ranges.

First, last and max are exact; the mean is summed in float64 and rounded to float32,
so it equals the copying reducer's float32 mean to float32 rounding.
"""

from __future__ import annotations

from typing import cast

import numpy
from thinc.api import Ops
from thinc.types import Floats2d, Ragged


class RangeReducer:
    """``(last, first, mean, max)`` rows, concatenated, for ranges ``a`` to ``b``.

    ``tokvecs`` holds the token vectors of several docs (one group per doc);
    ``ranges`` the ``(start, end)`` token ranges (end exclusive, relative to their doc,
    never empty), grouped per doc in the same order, as spaCy's ``extract_spans``
    reads them. Ranges are read in order, so one doc's tables are built once.
    """

    def __init__(self, ops: Ops, tokvecs: Ragged, ranges: Ragged) -> None:
        self.ops = ops
        self.xp = ops.xp
        self.vectors = cast(Floats2d, tokvecs.dataXd)
        self.width = int(self.vectors.shape[1])
        token_lengths = ops.to_numpy(tokvecs.lengths).astype("int64")
        self.token_starts = numpy.concatenate([[0], numpy.cumsum(token_lengths)])
        range_lengths = ops.to_numpy(ranges.lengths).astype("int64")
        self.range_starts = numpy.concatenate([[0], numpy.cumsum(range_lengths)])
        bounds = ops.to_numpy(ranges.dataXd).astype("int64").reshape((-1, 2))
        if len(bounds) and bool((bounds[:, 1] <= bounds[:, 0]).any()):
            raise ValueError("RangeReducer: every range needs at least one token")
        self.bounds = bounds
        self._doc = -1
        self._sums = self.xp.zeros((1, self.width), dtype="float64")
        self._levels: list = []

    def __len__(self) -> int:
        return len(self.bounds)

    def reduce(self, a: int, b: int) -> Floats2d:
        """The rows of ranges ``a`` to ``b`` (``b - a`` by four times the width)."""
        width = self.width
        out = self.ops.alloc2f(b - a, 4 * width)
        doc = int(numpy.searchsorted(self.range_starts, a, side="right")) - 1
        row = a
        while row < b:
            end_row = min(b, int(self.range_starts[doc + 1]))
            if end_row > row:
                self._build(doc)
                starts = self.bounds[row:end_row, 0]
                ends = self.bounds[row:end_row, 1]
                block = out[row - a : end_row - a]
                vectors = self._doc_vectors(doc)
                block[:, :width] = vectors[self.xp.asarray(ends - 1)]
                block[:, width : 2 * width] = vectors[self.xp.asarray(starts)]
                block[:, 2 * width : 3 * width] = self._means(starts, ends)
                block[:, 3 * width :] = self._maxima(starts, ends)
                row = end_row
            doc += 1
        return out

    def _doc_vectors(self, doc: int) -> Floats2d:
        return self.vectors[int(self.token_starts[doc]) : int(self.token_starts[doc + 1])]

    def _build(self, doc: int) -> None:
        """Prefix sums and power-of-two maxima of ``doc`` (kept until the next doc)."""
        if doc == self._doc:
            return
        xp = self.xp
        vectors = self._doc_vectors(doc)
        sums = xp.zeros((len(vectors) + 1, self.width), dtype="float64")
        xp.cumsum(vectors, axis=0, dtype="float64", out=sums[1:])
        rows = slice(int(self.range_starts[doc]), int(self.range_starts[doc + 1]))
        longest = int((self.bounds[rows, 1] - self.bounds[rows, 0]).max())
        levels = [vectors]
        step = 1
        while 2 * step <= longest:
            previous = levels[-1]
            levels.append(xp.maximum(previous[:-step], previous[step:]))
            step *= 2
        self._doc, self._sums, self._levels = doc, sums, levels

    def _means(self, starts: numpy.ndarray, ends: numpy.ndarray) -> Floats2d:
        xp = self.xp
        totals = self._sums[xp.asarray(ends)] - self._sums[xp.asarray(starts)]
        return (totals / xp.asarray(ends - starts, dtype="float64")[:, None]).astype("float32")

    def _maxima(self, starts: numpy.ndarray, ends: numpy.ndarray) -> Floats2d:
        xp = self.xp
        lengths = ends - starts
        level_of = numpy.floor(numpy.log2(lengths)).astype("int64")
        out = xp.empty((len(starts), self.width), dtype="float32")
        for level in numpy.unique(level_of).tolist():
            rows = numpy.nonzero(level_of == level)[0]
            table = self._levels[level]
            left = table[xp.asarray(starts[rows])]
            right = table[xp.asarray(ends[rows] - (1 << level))]
            out[xp.asarray(rows)] = xp.maximum(left, right)
        return out
