"""The GPT-3 card's width sweep: train the tiny GPT at three widths on the synthetic in-context task, then
evaluate accuracy vs K demonstrations per width (3 held-out seeds) into assets/checkpoints/icl_width_sweep.json.

    nice -n 5 python scripts/icl_widths.py train --width 16      # one width (fixed seed), one thread
    nice -n 5 python scripts/icl_widths.py train --width 32
    nice -n 5 python scripts/icl_widths.py train --width 64
    nice -n 5 python scripts/icl_widths.py sweep                 # K = 0,1,2,4,8 x seeds 0,1,2 -> the sweep file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train one width from scratch and ship it (weights + model card)")
    t.add_argument("--width", type=int, required=True, help="d_model (16, 32 and 64 are shipped)")
    t.add_argument("--steps", type=int, default=3000)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--symbols", type=int, default=8, help="letters of the mapping (8 shipped; chance = 1/symbols)")
    t.add_argument("--out", type=Path, default=None, help="folder (default: assets/checkpoints/tiny-gpt-icl-<width>)")
    s = sub.add_parser("sweep", help="evaluate the shipped widths and write the sweep file")
    s.add_argument("--seeds", type=int, default=3)
    s.add_argument("--sequences", type=int, default=1000, help="held-out sequences per seed")
    s.add_argument("--widths", default=",".join(str(w) for w in (16, 32, 64)), help="shipped widths, narrowest first")
    s.add_argument("--root", type=Path, default=None, help="folder holding tiny-gpt-icl-<width>/ (default: shipped)")
    s.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)

    import torch

    from plm_core.pretrain import icl

    if args.command == "train":
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)
        task = icl.IclTask(symbols=args.symbols)
        cfg = icl.IclTrainConfig(d_model=args.width, steps=args.steps, seed=args.seed)
        result = icl.train_icl(task, cfg, log=lambda line: print(line, flush=True))
        card = icl.save_icl(result, task, cfg, args.out or icl.icl_dir(args.width), args.threads)
        print(f"{cfg.name}: {card['params']} params, cpu {card['cpu_time_s']} s, wall {card['wall_time_s']} s, "
              f"check {card['check']['accuracy']}", flush=True)
        return 0
    torch.set_num_threads(1)
    widths = tuple(int(w) for w in args.widths.split(","))
    record = icl.run_sweep(widths, seeds=tuple(range(args.seeds)), sequences=args.sequences, out=args.out,
                           root=args.root)
    print("\n".join(icl.sweep_table(record)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
