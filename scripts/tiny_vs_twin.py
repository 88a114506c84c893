"""Each shipped tiny model, frozen, against its random-init twin on movie snippets (a linear head on the
frozen features; same split, seed, pooling and head for both). Prints one Markdown table row per model.

    python scripts/tiny_vs_twin.py [--n 512] [--test-limit 1000] [--json out.json]
    python scripts/tiny_vs_twin.py --splits 5 --draws 3 [--models tiny-t5-span]

With --splits / --draws: the shipped weights on splits 0..S-1, against D random draws of the twin on each split
(a random twin's accuracy moves by several points from one draw to the next, so one draw per split is a
coin toss); "splits won" counts the splits where the shipped weights beat the mean of that split's draws.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TINY = ("tiny-bert-mlm", "tiny-gpt-clm", "tiny-t5-span", "tiny-elmo-bilm", "tiny-sgns")


def main() -> int:
    import torch

    from plm_core.backbones.registry import load_backbone
    from plm_core.data import get_dataset
    from plm_core.transfer import TrainConfig, train
    from plm_core.transfer.split import make_split

    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=512)
    p.add_argument("--test-limit", type=int, default=1000)
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--models", default=",".join(TINY), help="comma-separated registry names")
    p.add_argument("--pooling", default=None,
                   help="e.g. mix (ELMo's scalar mix); default: mean (one split), each model's lab default (--splits)")
    p.add_argument("--splits", type=int, default=0, help="splits 0..S-1 (with --draws); 0: the one-split table")
    p.add_argument("--draws", type=int, default=3, help="random twins per split (with --splits)")
    args = p.parse_args()
    if args.splits:
        return many_splits(args)
    torch.set_num_threads(1)  # this script owns its process
    split = make_split(get_dataset("movie-snippets"), n=args.n, seed=0, test_limit=args.test_limit)
    rows = {}
    print("| model | frozen accuracy | random-init twin | difference |\n|---|---|---|---|")
    for name in args.models.split(","):
        scores = []
        for random_init in (False, True):
            bb = load_backbone(name, random_init=random_init, seed=0)
            extra = {"pooling": args.pooling} if args.pooling else {}
            config = TrainConfig.of(backbone=name, mode="frozen", seed=0, **extra)
            result = train(config, split.train, split.test, backbone=bb)
            scores.append(result.test_accuracy)
        rows[name] = {"pretrained": round(scores[0], 3), "random": round(scores[1], 3), "n_train": len(split.train),
                      "n_test": len(split.test), "pooling": args.pooling or "default"}
        print(f"| {name} | {scores[0]:.3f} | {scores[1]:.3f} | {scores[0] - scores[1]:+.3f} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def many_splits(args: argparse.Namespace) -> int:
    """Shipped weights on each split against the mean of several twin draws on that split."""
    import numpy as np
    import torch

    from plm_core.backbones import get_spec
    from plm_core.backbones.registry import load_backbone
    from plm_core.data import get_dataset
    from plm_core.transfer import TrainConfig, train
    from plm_core.transfer.config import default_pooling
    from plm_core.transfer.split import make_split

    torch.set_num_threads(1)
    data = get_dataset("movie-snippets")
    rows = {}
    print(f"| model | pooling | shipped, {args.splits} splits | twin, {args.draws} draws per split | difference | "
          "splits won |")
    print("|---|---|---|---|---|---|")
    for name in args.models.split(","):
        shipped, twins = [], []
        pooling = args.pooling or default_pooling(get_spec(name))  # as the lab reads each model (the matrix too)
        for s in range(args.splits):
            split = make_split(data, n=args.n, seed=s, test_limit=args.test_limit)
            config = TrainConfig.of(backbone=name, mode="frozen", seed=s, pooling=pooling)
            shipped.append(train(config, split.train, split.test, backbone=load_backbone(name, seed=s)).test_accuracy)
            twins.append([train(config, split.train, split.test,
                                backbone=load_backbone(name, random_init=True, seed=d)).test_accuracy
                          for d in range(args.draws)])
        a, t = np.array(shipped), np.array(twins)  # (splits,), (splits, draws)
        won = int((a > t.mean(1)).sum())
        rows[name] = {"shipped": a.round(3).tolist(), "twin": t.round(3).tolist(), "won": won,
                      "n_train": args.n, "test_limit": args.test_limit, "pooling": pooling}
        print(f"| {name} | {pooling} | {a.mean():.3f} ± {a.std(ddof=1):.3f} | {t.mean():.3f} ± {t.std(ddof=1):.3f} | "
              f"{a.mean() - t.mean():+.3f} | {won} of {args.splits} |", flush=True)
    if args.json:  # the layout of assets/checkpoints/frozen_vs_twin_splits.json
        out = {"data": "movie-snippets", "n_train": args.n, "test_limit": args.test_limit, "splits": args.splits,
               "draws": args.draws, "script": f"python scripts/tiny_vs_twin.py --splits {args.splits} --draws "
               f"{args.draws} --test-limit {args.test_limit}", "models": rows}
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
