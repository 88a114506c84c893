"""Runs page render time with 1,000 stored runs (AppTest, a temporary runs database).

Fills a temp PLM_LAB_RUNS_DB with 1,000 runs shaped like real transfer runs (history, per-step losses,
confusion, parameter groups, drift), then times the Runs page: the first render and a rerun.
Target: <= 3 s per render.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N_RUNS = 1000
TARGET_S = 3.0


def fake_run(i: int) -> dict:
    """One stored run about the size of a real 3-epoch fine-tune (~200 optimizer steps)."""
    steps = [{"step": s, "loss": 0.7 - s * 1e-3, "lr": 1e-4} for s in range(200)]
    history = [{"epoch": e, "train_loss": 0.6 / e, "test_accuracy": 0.6 + 0.05 * e, "test_macro_f1": 0.6,
                "seconds": 3.0} for e in range(1, 4)]
    groups = [{"name": f"layer.{g}", "n_params": 1_000_000, "trainable": True, "lr": 1e-4} for g in range(8)]
    return {
        "config": {"backbone": ("minilm-l6", "tiny-bert-mlm", "glove-6b-50d")[i % 3],
                   "mode": ("frozen", "finetune", "discriminative", "gradual", "scratch")[i % 5],
                   "data": ("movie-snippets", "wiki-topics")[i % 2], "n": 256, "seed": i % 7, "epochs": 3},
        "metrics": {"test_accuracy": 0.5 + (i % 50) / 100, "test_macro_f1": 0.5, "n_train": 256, "n_test": 500},
        "curves": {"history": history, "steps": steps, "confusion": [[200, 50], [40, 210]],
                   "labels": ["negative", "positive"], "param_groups": groups,
                   "drift": {g["name"]: 0.01 * j for j, g in enumerate(groups)}},
        "timings": {"train_seconds": 10.0 + i % 13},
    }


def fill(path: Path) -> None:
    """N_RUNS rows in one transaction (a save per run would time the disk, not the page)."""
    from plm_core import __version__
    from plm_core.runs import RunStore, dumps

    rows = [("transfer", "2026-01-01T00:00:00+00:00", __version__, dumps(r["config"]), dumps(r["metrics"]),
             dumps(r["curves"]), dumps(r["timings"])) for r in map(fake_run, range(N_RUNS))]
    with RunStore(path).connect() as conn:
        conn.executemany("INSERT INTO runs (kind, created_at, app_version, config, metrics, curves, timings) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def render_seconds() -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("app_pages/runs.py")
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"the Runs page failed: {at.exception[0].message}")
    start = time.perf_counter()
    at.run()
    return first, time.perf_counter() - start


def main() -> int:
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "runs.sqlite"
        os.environ["PLM_LAB_RUNS_DB"] = str(db)
        start = time.perf_counter()
        fill(db)
        print(f"filled {N_RUNS} runs in {time.perf_counter() - start:.1f} s ({db.stat().st_size / 2**20:.1f} MB)")
        first, again = render_seconds()
    verdict = "ok" if max(first, again) <= TARGET_S else "SLOW"
    print(f"Runs page with {N_RUNS} runs: first render {first:.2f} s, rerun {again:.2f} s "
          f"(target <= {TARGET_S:.0f} s): {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
