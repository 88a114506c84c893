"""One trainer for every training run: the loop skeleton, callbacks, stop, schedules, per-run generators.

    from plm_core.training import Callback, Trainer, run_generators
    class Printer(Callback):
        def on_step_end(self, trainer, step, loss): print(step, loss)

Transfer (`plm_core.transfer.trainer`) and pretraining (`plm_core.pretrain.train`) subclass `Trainer`
and take the same `Callback` objects and the same `stop` (anything with `is_set()`).
"""

from __future__ import annotations

from plm_core.training.callbacks import Callback, Progress, ProgressSink, StopSignal
from plm_core.training.generators import RunGenerators, init_module, init_transformer, run_generators
from plm_core.training.schedules import warmup_cosine
from plm_core.training.threads import own_process, torch_threads
from plm_core.training.trainer import MemoryMonitor, Trainer

__all__ = [
    "Callback", "MemoryMonitor", "Progress", "ProgressSink", "RunGenerators", "StopSignal", "Trainer", "init_module",
    "init_transformer",
    "own_process", "run_generators", "torch_threads", "warmup_cosine",
]
