"""numpy's BLAS threads: found once, set to one for processes racereport owns.

Light on purpose (numpy and threadpoolctl only): the command line calls
:func:`one_blas_thread_for_this_process` before it knows which command runs.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def blas_controller() -> Any:
    """``threadpoolctl``'s controller of the BLAS libraries numpy loaded."""
    import numpy  # noqa: F401  (loads numpy's BLAS, so that threadpoolctl finds it)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas")


def one_blas_thread_for_this_process() -> None:
    """Set numpy's BLAS to one thread for the rest of the process. For processes
    racereport owns (the command line, batch workers), where the per-product limit of
    :class:`racereport.ml.numpy_blas.NumpyBlasOps` would otherwise switch the thread
    count back and forth: one thread throughout ran the German pipeline about 10 %
    faster on the development machine (README, Throughput)."""
    controller = blas_controller()
    if controller.lib_controllers:
        controller.limit(limits=1)
