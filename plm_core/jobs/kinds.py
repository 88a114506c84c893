"""The registry of job kinds: plain data, filled by the composition root (`plm_core.wiring`).

A kind's `run` and `store` are *references*: functions of no argument that import the kind's module and
return its function. They are called only where the job runs (a worker) or is stored, so the server that
only queues and polls never imports torch for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from plm_core.errors import PLMError

JobFn = Callable[[Any, Any], Any]  # run(config, ctx) -> result (picklable)
StoreFn = Callable[[Any, Any], Iterable[int]]  # store(config, result) -> run ids (after the result is shown)
F = TypeVar("F")


@dataclass(frozen=True)
class KindSpec:
    name: str
    run: Callable[[], JobFn]
    store: Callable[[], StoreFn] | None = None
    cache: bool = True  # identical requests are served from the result cache


KINDS: dict[str, KindSpec] = {}


def register_kinds(*specs: KindSpec) -> None:
    for spec in specs:
        KINDS[spec.name] = spec


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise PLMError("jobs.err.unknown_kind", kind=kind, choices=", ".join(KINDS)) from None


def resolve(ref: Callable[[], F]) -> F:
    """The function behind a kind's reference (imports its module on first use)."""
    return ref()
