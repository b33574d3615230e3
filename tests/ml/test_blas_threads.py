"""blas_threads: processes racereport owns run numpy's BLAS on one thread."""

import subprocess
import sys

SCRIPT = """
from threadpoolctl import threadpool_info
from racereport.ml.blas_threads import blas_controller, one_blas_thread_for_this_process
assert blas_controller().lib_controllers, "numpy's BLAS found"
one_blas_thread_for_this_process()
print(sorted({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}))
"""


def test_one_thread_for_the_whole_process():
    # in a child process: the setting lasts for the process, and the test run's own
    # BLAS threads stay as they are
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[1]"
