"""Process-wide torch settings: threads and the global seeds (dropout's RNG).

torch's thread pool and its default generator belong to the whole process. Code that can run beside
another run in the same process (a Streamlit server thread, a test, a notebook) must never change them:
runs draw from their own generators (`plm_core.training.generators`) and use the threads they find.
Only a job that owns its worker process (a job-service worker, the CLI) calls `own_process`.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch

_THREADS_LOCK = threading.Lock()
_ACTIVE_RUNS = 0
_SAVED_THREADS = 0


def own_process(seed: int, threads: int) -> None:
    """For a process that runs one job at a time: set torch's threads and seed torch/numpy/random globally.

    The global seed only matters for what has no generator of its own: dropout inside the models.
    """
    torch.set_num_threads(int(threads))
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run with `n` torch CPU threads; the previous setting comes back when the last such block ends.

    Process-wide: only for a process that owns its work (a worker, the CLI, a benchmark), never around
    a run that shares its process with another run. On a busy shared CPU one thread was measured
    3-10x faster than two for the tiny models (every op waits for its slowest thread).
    """
    global _ACTIVE_RUNS, _SAVED_THREADS
    with _THREADS_LOCK:
        if _ACTIVE_RUNS == 0:
            _SAVED_THREADS = torch.get_num_threads()
        _ACTIVE_RUNS += 1
        torch.set_num_threads(n)
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _ACTIVE_RUNS -= 1
            if _ACTIVE_RUNS == 0:
                torch.set_num_threads(_SAVED_THREADS)
