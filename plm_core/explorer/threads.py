"""Run the explorer's small, interactive computations on few threads.

On a small shared CPU, two-thread BLAS/OpenMP work stalls whenever another process holds a core: a
64-piece MiniLM forward pass measured 1.4 s with 2 threads and 0.04 s with 1 thread while another job
was running (bench/explorer.py). Interactive views are small, so one thread is both fast and predictable.
PLM_LAB_EXPLORER_THREADS sets the number (0 = leave the libraries' defaults alone).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def explorer_threads() -> int:
    try:
        return int(os.environ.get("PLM_LAB_EXPLORER_THREADS", "1"))
    except ValueError:
        return 1


@contextmanager
def few_threads() -> Iterator[None]:
    """Limit BLAS and OpenMP (torch included) to `explorer_threads()` threads inside the block."""
    n = explorer_threads()
    if n <= 0:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=n):
        yield


def single_threaded(fn: F) -> F:
    """Decorator form of `few_threads`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with few_threads():
            return fn(*args, **kwargs)

    return cast(F, wrapper)  # functools.wraps keeps the signature; the type checker cannot see that
