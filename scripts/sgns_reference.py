"""Check the shipped skip-gram vectors against the reference implementation (gensim's Word2Vec, same corpus,
vocabulary, window, negatives, dimension and subsampling threshold; 5 epochs, 1 thread, seed 0) and write
the comparison into the model card (model_card.json "reference" + a README section).

    python scripts/sgns_reference.py [--folder assets/checkpoints/tiny-sgns]   # needs gensim (requirements.txt)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    import numpy as np
    from safetensors.numpy import load_file

    from plm_core.pretrain.checkpoints import checkpoint_dir, read_word_counts
    from plm_core.pretrain.corpus import read_split
    from plm_core.pretrain.models import TINY_CONFIGS
    from plm_core.pretrain.reference import ReferenceConfig, compare, gensim_vectors

    p = argparse.ArgumentParser()
    p.add_argument("--folder", type=Path, default=checkpoint_dir("sgns"))
    args = p.parse_args()
    words, _ = read_word_counts(args.folder)
    ours = load_file(str(args.folder / "vectors.safetensors"))["vectors"].astype(np.float32)
    c = TINY_CONFIGS["sgns"]
    cfg = ReferenceConfig(dim=c["hidden"], window=c["window"], negatives=c["negatives"])
    start = time.perf_counter()
    theirs = gensim_vectors(read_split("train"), words, cfg)
    seconds = time.perf_counter() - start
    import gensim

    report = {"implementation": f"gensim {gensim.__version__} Word2Vec (sg=1)",
              "settings": vars(cfg) | {"min_count": 1}, "wall_time_s": round(seconds, 1),
              "raw": compare(ours, theirs, words).to_dict(),
              "centred": compare(ours, theirs, words, centred=True).to_dict()}
    card_path = args.folder / "model_card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["reference"] = report
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = args.folder / "README.md"
    text = readme.read_text(encoding="utf-8").split("\n## Reference check")[0].rstrip("\n")
    readme.write_text(text + "\n\n" + reference_section(report) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def reference_section(r: dict) -> str:
    def king(rows: list) -> str:
        return ", ".join(f"{w} ({s:.2f})" for w, s in rows)

    raw, centred = r["raw"], r["centred"]
    lines = ["## Reference check (gensim)", "",
             f"Same corpus, vocabulary and settings with {r['implementation']}, {r['settings']['epochs']} epochs "
             f"({r['wall_time_s']:.0f} s). Neighbour overlap = shared words among the 10 nearest, per probe word.", "",
             "| probe | overlap @10 | spread ours (cos #1 − #10) | spread gensim |", "|---|---|---|---|"]
    for w, n in raw["overlap"].items():
        lines.append(f"| {w} | {n} | {raw['ours_spread'][w]:.3f} | {raw['gensim_spread'][w]:.3f} |")
    lines += ["", f"Mean overlap: {raw['mean_overlap']:.1f} of 10 "
              f"(mean-centred cosine: {centred['mean_overlap']:.1f}).", "",
              f"- ours, `king`: {king(raw['ours_king'])}", f"- gensim, `king`: {king(raw['gensim_king'])}",
              f"- ours, `king`, mean-centred cosine: {king(centred['ours_king'])}"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
