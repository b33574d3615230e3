"""Matrix products through numpy's BLAS, one thread per product.

thinc's ``NumpyOps`` multiplies float32 matrices with the BLIS library it bundles. On
the machines this project measures on, numpy's own BLAS (OpenBLAS in the numpy wheels)
runs the same products 2-3x faster on one core, and matrix products are most of the
pipeline's time (the tok2vec, the parser's lower layer, the relation extractor's
context layers). :class:`NumpyBlasOps` sends ``gemm`` to numpy and keeps every other
operation of ``NumpyOps``; each product runs on one thread (a per-call limit through
``threadpoolctl``, restored afterwards), so several worker processes do not compete
for the cores and the user's own numpy settings are left as they were; processes
racereport owns set one thread once
(:func:`racereport.ml.blas_threads.one_blas_thread_for_this_process`).

``race.numpy_blas.v1`` (``[nlp] after_pipeline_creation``) gives every component model
of a pipeline these ops; ``after_pipeline_creation = null`` keeps thinc's default.
The weights are the same either way; scores agree to float32 rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from spacy.language import Language
from spacy.util import registry
from thinc.api import NumpyOps

from racereport.ml.blas_threads import blas_controller


def _one_thread() -> AbstractContextManager[Any]:
    controller = blas_controller()
    if not controller.lib_controllers:
        return nullcontext()
    return controller.limit(limits=1)


class NumpyBlasOps(NumpyOps):
    """``NumpyOps`` whose matrix products go through numpy's BLAS on one thread."""

    def __init__(self, device_type: str = "cpu", device_id: int = -1) -> None:
        super().__init__(device_type, device_id, use_blis=False)

    def gemm(
        self, x: Any, y: Any, *, out: Any = None, trans1: bool = False, trans2: bool = False
    ) -> Any:
        """``x @ y`` (transposed as asked), into ``out`` when given."""
        with _one_thread():
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


def use_numpy_blas(nlp: Language) -> Language:
    """Give the thinc model nodes of ``nlp``'s components :class:`NumpyBlasOps` where
    they run on thinc's plain CPU ``NumpyOps`` (models on a GPU, or on other CPU ops
    such as thinc-apple-ops, are left alone); returns ``nlp``."""
    ops = NumpyBlasOps()
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
    return nlp


@registry.callbacks("race.numpy_blas.v1")
def create_numpy_blas() -> Callable[[Language], Language]:
    """An ``after_pipeline_creation`` callback: :func:`use_numpy_blas`."""
    return use_numpy_blas
