"""Figure export time: the first figure (starts the warm Chromium) and the ones after it, PNG and SVG.

    .venv/bin/python bench/export.py [--rounds 5]

Figures are the app's own: a race's accuracy curves (transfer.figures.accuracy_figure) and a few-shot curve
(fewshot.figures.curve_figure), with Korean text. Prints each time and the load average beside it (the
machine is shared: compare the ratio first / later within one run rather than absolute seconds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from plm_core import export  # noqa: E402
from plm_core.fewshot.figures import curve_figure  # noqa: E402
from plm_core.figures import figure_text  # noqa: E402
from plm_core.transfer.figures import accuracy_figure  # noqa: E402


def race_figure():
    history = [{"epoch": e, "train_accuracy": 0.5 + 0.1 * e, "test_accuracy": 0.5 + 0.08 * e} for e in range(1, 4)]
    runs = [(name, [{**h, "test_accuracy": h["test_accuracy"] - 0.02 * i} for h in history])
            for i, name in enumerate(("frozen", "finetune", "discriminative", "gradual", "lora"))]
    return accuracy_figure(runs, figure_text("ko"))


def fewshot_figure():
    rows = [{"method": m, "k": k, "acc_mean": 0.5 + 0.01 * k + 0.05 * i, "acc_std": 0.03, "f1_mean": 0.5,
             "f1_std": 0.03, "n": 3} for i, m in enumerate(("frozen", "finetune")) for k in (0, 2, 8, 32)]
    return curve_figure(pd.DataFrame(rows), [0, 2, 8, 32], figure_text("ko"), majority=0.5)


def timed(fig, fmt: export.ExportFormat) -> tuple[float, int]:
    start = time.perf_counter()
    data = export.figure_bytes(fig, fmt)
    return time.perf_counter() - start, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="exports per figure and format after the first")
    args = parser.parse_args()
    print(f"browser: {export.browser_path()}")
    figures = {"race": race_figure(), "fewshot": fewshot_figure()}
    first, size = timed(figures["race"], "png")
    print(f"first figure (starts Chromium): {first:.2f} s ({size:,} bytes)   load {os.getloadavg()}")
    later: list[float] = []
    for name, fig in figures.items():
        for fmt in export.FORMATS:
            times = [timed(fig, fmt)[0] for _ in range(args.rounds)]
            later += times
            print(f"{name:8s} {fmt}: median {statistics.median(times):.3f} s, max {max(times):.3f} s "
                  f"over {args.rounds}   load {os.getloadavg()}")
    print(f"later figures: median {statistics.median(later):.3f} s; first / later = "
          f"{first / statistics.median(later):.1f}x")
    export.close_browser()


if __name__ == "__main__":
    main()
