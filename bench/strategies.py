"""Strategy benchmark: LoRA against full fine-tuning, SetFit against the frozen probe (issue 12).

    python bench/strategies.py [--part lora|setfit|all] [--seeds 3] [--n 512] [--test-limit 500] [--json]

Prints, measured on this machine with MiniLM (minilm-l6), mean ± sd over the seeds:
  1. movie snippets, N = 512: LoRA (r = 8) vs fine-tune all    target: within 2 points, < 5% trainable
  2. K = 8 per class: SetFit vs the frozen probe, on movie snippets and on Wikipedia topics
                                                                target: SetFit >= probe + 5 points
Seeds vary the training (and for K-shot, the K examples drawn); the test set is fixed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from plm_core.figures import sample_sd  # noqa: E402


def mean_sd(values: list[float]) -> tuple[float, float]:
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()), sample_sd(arr)


def run_strategy(backbone, ds, strategy: str, seeds: int, n: int, test_limit: int, **config) -> dict:
    """One strategy over `seeds` seeds on N examples drawn with seed 0 (the same split for every seed)."""
    from plm_core.transfer import TrainConfig, make_split, train

    split = make_split(ds, n=n, seed=0, test_limit=test_limit)
    accs, shares, seconds = [], [], []
    for seed in range(seeds):
        cfg = TrainConfig.of(backbone="minilm-l6", strategy=strategy, seed=seed, **config)
        t0 = time.perf_counter()
        result = train(cfg, split.train, split.test, backbone=backbone)
        seconds.append(time.perf_counter() - t0)
        accs.append(result.test_accuracy)
        shares.append(result.trainable_params / result.total_params)
        print(f"    {strategy} seed {seed}: acc {result.test_accuracy:.4f}, trainable {shares[-1]:.2%}, "
              f"{seconds[-1]:.0f} s", file=sys.stderr, flush=True)
    mean, sd = mean_sd(accs)
    return {"strategy": strategy, "accuracy_mean": mean, "accuracy_sd": sd, "accuracies": accs,
            "trainable_share": shares[0], "seconds_mean": float(np.mean(seconds))}


def bench_lora(backbone, seeds: int, n: int, test_limit: int, epochs: int) -> dict:
    from plm_core.data import resolve_dataset

    ds = resolve_dataset("movie-snippets")
    full = run_strategy(backbone, ds, "finetune", seeds, n, test_limit, epochs=epochs)
    lora = run_strategy(backbone, ds, "lora", seeds, n, test_limit, epochs=epochs, lora_rank=8)
    gap = 100 * (full["accuracy_mean"] - lora["accuracy_mean"])
    return {"finetune": full, "lora": lora, "gap_points": gap,
            "within_2_points": gap <= 2.0, "lora_share_below_5pct": lora["trainable_share"] < 0.05}


def bench_setfit(backbone, seeds: int, per_class: int, test_limit: int,
                 datasets: tuple[str, ...] = ("movie-snippets", "wiki-topics"), iterations: int = 20,
                 body_lr: float | None = None, setfit_epochs: int = 1) -> dict:
    from plm_core.data import resolve_dataset
    from plm_core.transfer import TrainConfig, make_split, train
    from plm_core.transfer.setfit import SetFitConfig, train_setfit

    out = {}
    for name in datasets:
        ds = resolve_dataset(name)
        probe, setfit = [], []
        for seed in range(seeds):
            split = make_split(ds, per_class=per_class, seed=seed, test_limit=test_limit)
            frozen = train(TrainConfig.of(backbone="minilm-l6", mode="frozen", seed=seed), split.train, split.test,
                           backbone=backbone)
            sf = train_setfit(SetFitConfig(backbone="minilm-l6", seed=seed, num_iterations=iterations,
                                           body_lr=body_lr or SetFitConfig.body_lr, epochs=setfit_epochs), split.train,
                              split.test, backbone=backbone)
            probe.append(frozen.test_accuracy)
            setfit.append(sf.test_accuracy)
            print(f"    {name} seed {seed}: probe {frozen.test_accuracy:.4f}, setfit {sf.test_accuracy:.4f} "
                  f"({sf.train_seconds:.0f} s)", file=sys.stderr, flush=True)
        pm, ps = mean_sd(probe)
        sm, ss = mean_sd(setfit)
        out[name] = {"probe_mean": pm, "probe_sd": ps, "setfit_mean": sm, "setfit_sd": ss,
                     "gain_points": 100 * (sm - pm), "at_least_5_points": 100 * (sm - pm) >= 5.0}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["lora", "setfit", "all"], default="all")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--per-class", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--test-limit", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--datasets", default="movie-snippets,wiki-topics", help="SetFit part: sample sets")
    parser.add_argument("--iterations", type=int, default=20, help="SetFit: pairs per labelled text")
    parser.add_argument("--body-lr", type=float, default=None,
                        help="SetFit: the encoder's learning rate (default: SetFitConfig's)")
    parser.add_argument("--setfit-epochs", type=int, default=1, help="SetFit: contrastive epochs over the pairs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from plm_core.backbones import load_backbone
    from plm_core.training import own_process
    from plm_core.transfer.setfit import SetFitConfig

    own_process(0, args.threads)  # a benchmark owns its process
    backbone = load_backbone("minilm-l6")
    report: dict = {"seeds": args.seeds, "n": args.n, "per_class": args.per_class, "test_limit": args.test_limit}
    if args.part in ("lora", "all"):
        r = report["lora_vs_finetune"] = bench_lora(backbone, args.seeds, args.n, args.test_limit, args.epochs)
        print(f"1. movie snippets, N={args.n}, {args.seeds} seeds, {args.epochs} epochs:\n"
              f"   fine-tune all  {r['finetune']['accuracy_mean']:.4f} ± {r['finetune']['accuracy_sd']:.4f}  "
              f"trainable {r['finetune']['trainable_share']:.2%}  {r['finetune']['seconds_mean']:.0f} s/run\n"
              f"   LoRA r=8       {r['lora']['accuracy_mean']:.4f} ± {r['lora']['accuracy_sd']:.4f}  "
              f"trainable {r['lora']['trainable_share']:.2%}  {r['lora']['seconds_mean']:.0f} s/run\n"
              f"   gap {r['gap_points']:+.1f} points (within 2: {r['within_2_points']}), "
              f"trainable < 5%: {r['lora_share_below_5pct']}", flush=True)
    if args.part in ("setfit", "all"):
        r = report["setfit_vs_probe"] = bench_setfit(backbone, args.seeds, args.per_class, args.test_limit,
                                                     tuple(args.datasets.split(",")), args.iterations,
                                                     args.body_lr, args.setfit_epochs)
        print(f"2. K={args.per_class} per class, {args.seeds} seeds, {args.iterations} pairs per text, body LR "
              f"{args.body_lr or SetFitConfig.body_lr:g}, {args.setfit_epochs} epoch(s):")
        for name, row in r.items():
            print(f"   {name:15s} probe {row['probe_mean']:.4f} ± {row['probe_sd']:.4f}   SetFit "
                  f"{row['setfit_mean']:.4f} ± {row['setfit_sd']:.4f}   gain {row['gain_points']:+.1f} points "
                  f"(>= 5: {row['at_least_5_points']})", flush=True)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
