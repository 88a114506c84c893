"""The one frozen probe (torch L-BFGS, `plm_core.transfer.features.fit_probe`) next to sklearn's logistic regression.

    python bench/probe.py [--backbone minilm-l6] [--data movie-snippets] [--sizes 16,64,256,1000] [--seeds 3]

Both fit standardised features with cross-entropy + L2 (C = 1; sklearn's binary case is the sigmoid form, the
torch probe the softmax over every class) on the same cached features of a frozen backbone's top layer. Per
training size and seed: each one's fit time and test accuracy, how many test predictions differ, and how far the
torch probe's 75 L-BFGS iterations stop from its own optimum (the objective after 1,000 iterations).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402


def sklearn_probe(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, C: float = 1.0):
    """What fit_probe was before: StandardScaler + LogisticRegression(lbfgs, max_iter=1000), one BLAS thread."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000, random_state=0)).fit(X_tr, y_tr)
        return model.predict(X_te)


def torch_objective(X_tr, y_tr, X_te, y_te, seed: int, iters: int) -> float:
    """The objective the torch probe reaches with `iters` L-BFGS iterations (fit_probe uses the lab's 75)."""
    import torch

    from plm_core.transfer.config import TrainConfig
    from plm_core.transfer.trainer import FeatureTrainer

    classes = np.unique(np.concatenate([y_tr, y_te]))
    trainer = FeatureTrainer(TrainConfig.of(backbone="", frozen_iters=iters, seed=seed), X_tr.astype(np.float32),
                             np.searchsorted(classes, y_tr), X_te.astype(np.float32), np.searchsorted(classes, y_te),
                             len(classes))
    trainer.fit()
    with torch.no_grad():
        return float(trainer.objective())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", default="minilm-l6")
    parser.add_argument("--data", default="movie-snippets")
    parser.add_argument("--sizes", default="16,64,256,1000")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    from plm_core.backbones import load_backbone
    from plm_core.data import get_dataset
    from plm_core.training import own_process
    from plm_core.transfer import extract_features, fit_probe, make_split

    own_process(0, 1)
    ds, backbone = get_dataset(args.data), load_backbone(args.backbone)
    print(f"{args.backbone} top-layer mean features, {args.data}; C = 1; one thread")
    print(f"{'n':>5} {'seed':>4} | {'sklearn s':>9} {'acc':>6} | {'torch s':>8} {'acc':>6} {'obj gap':>8} | differ")
    for n in map(int, args.sizes.split(",")):
        accs: dict[str, list[float]] = {"sklearn": [], "torch": []}
        times: dict[str, list[float]] = {"sklearn": [], "torch": []}
        for seed in range(args.seeds):
            split = make_split(ds, n=n, seed=seed)
            X_tr = extract_features(backbone, split.train["text"].tolist(), "mean", -1, 64, cache_key="bench-probe")
            X_te = extract_features(backbone, split.test["text"].tolist(), "mean", -1, 64, cache_key="bench-probe-t")
            y_tr, y_te = split.train["label"].to_numpy(), split.test["label"].to_numpy()
            t0 = time.perf_counter()
            pred_s = sklearn_probe(X_tr, y_tr, X_te)
            times["sklearn"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            acc_t, _, pred_t = fit_probe(X_tr, y_tr, X_te, y_te, seed=seed)
            times["torch"].append(time.perf_counter() - t0)
            accs["sklearn"].append(float((pred_s == y_te).mean()))
            accs["torch"].append(acc_t)
            data = (X_tr, y_tr, X_te, y_te, seed)
            gap = torch_objective(*data, 75) - torch_objective(*data, 1000)
            differ = int((pred_s != pred_t).sum())
            print(f"{n:>5} {seed:>4} | {times['sklearn'][-1]:>9.3f} {accs['sklearn'][-1]:>6.3f} | "
                  f"{times['torch'][-1]:>8.3f} {acc_t:>6.3f} {gap:>8.1e} | {differ:>4} / {len(y_te)}")
        print(f"{n:>5} mean | sklearn {np.mean(accs['sklearn']):.3f} ± {np.std(accs['sklearn'], ddof=1):.3f} "
              f"({np.mean(times['sklearn']):.3f} s)   torch {np.mean(accs['torch']):.3f} ± "
              f"{np.std(accs['torch'], ddof=1):.3f} ({np.mean(times['torch']):.3f} s)   (± sample sd over seeds)")


if __name__ == "__main__":
    main()
