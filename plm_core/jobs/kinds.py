"""The registry of job kinds: plain data. Adding a kind = one entry here + its `run(config, ctx)`.

`run` and `store` are "module:function" strings, imported only where the job runs (a worker), so the
server that only queues and polls never imports torch for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from plm_core.errors import PLMError


@dataclass(frozen=True)
class KindSpec:
    name: str
    run: str  # "module:function": run(config, ctx) -> result (picklable)
    store: str = ""  # "module:function": store(config, result) -> list of run ids (after the result is shown)
    cache: bool = True  # identical requests are served from the result cache


KINDS: dict[str, KindSpec] = {spec.name: spec for spec in [
    KindSpec("transfer", "plm_core.transfer.jobs:run_transfer", "plm_core.transfer.jobs:store_transfer"),
    KindSpec("fewshot.curves", "plm_core.fewshot.jobs:run_curves_job", "plm_core.fewshot.jobs:store_curves"),
    KindSpec("fewshot.sensitivity", "plm_core.fewshot.jobs:run_sensitivity_job"),
    KindSpec("setfit", "plm_core.transfer.setfit:run_setfit_job", "plm_core.transfer.setfit:store_setfit"),
    KindSpec("pretrain.live", "plm_core.pretrain.studio:run_live_pretraining"),
    KindSpec("domain.fit", "plm_core.evidence.domain:run_fit"),
    KindSpec("domain.compare", "plm_core.evidence.domain:run_compare"),
    KindSpec("domain.continue", "plm_core.evidence.domain_continue:run_continue"),
    KindSpec("proof", "plm_core.evidence.cards:run_proof"),
    KindSpec("matrix", "plm_core.evidence.matrix:run_matrix_job", "plm_core.evidence.matrix:store_matrix"),
    # jobs for the service's own tests and benchmarks (tiny, no model weights)
    KindSpec("test.sleep", "plm_core.jobs.testing:run_sleep"),
    KindSpec("test.fail", "plm_core.jobs.testing:run_fail", cache=False),
    KindSpec("test.threads", "plm_core.jobs.testing:run_threads", cache=False),
    KindSpec("test.crash", "plm_core.jobs.testing:run_crash", cache=False),
]}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise PLMError("jobs.err.unknown_kind", kind=kind, choices=", ".join(KINDS)) from None


@cache
def resolve(target: str) -> Callable[..., Any]:
    """'pkg.module:function' -> the function."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
