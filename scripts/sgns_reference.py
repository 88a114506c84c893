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

    from plm_core.backbones.static import all_but_the_top
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
    d = c["remove_directions"]
    cfg = ReferenceConfig(dim=c["hidden"], window=c["window"], negatives=c["negatives"], sample=c["sample"])
    start = time.perf_counter()
    theirs = gensim_vectors(read_split("train"), words, cfg)
    seconds = time.perf_counter() - start
    import gensim

    report = {"implementation": f"gensim {gensim.__version__} Word2Vec (sg=1)",
              "settings": vars(cfg) | {"min_count": 1}, "wall_time_s": round(seconds, 1),
              "raw": compare(ours, theirs, words).to_dict(),
              # as the backbone reads them: mean and top principal directions removed, for both tables
              "remove_directions": d,
              "read": compare(all_but_the_top(ours, d), all_but_the_top(theirs, d), words).to_dict()}
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

    raw, read, d = r["raw"], r["read"], r["remove_directions"]
    lines = ["## Reference check (gensim)", "",
             f"Same corpus, vocabulary and settings with {r['implementation']}, {r['settings']['epochs']} epochs "
             f"({r['wall_time_s']:.0f} s). Neighbour overlap = shared words among the 10 nearest, per probe word; "
             f"spread = cosine of neighbour 1 minus cosine of neighbour 10. *As read*: both tables with the mean and "
             f"the top {d} principal direction(s) removed, as the backbone reads the vectors (all-but-the-top).", "",
             "| probe | overlap @10 as read | spread ours as read | spread gensim as read | overlap raw "
             "| spread ours raw | spread gensim raw |", "|---|---|---|---|---|---|---|"]
    for w, n in read["overlap"].items():
        lines.append(f"| {w} | {n} | {read['ours_spread'][w]:.3f} | {read['gensim_spread'][w]:.3f} | "
                     f"{raw['overlap'][w]} | {raw['ours_spread'][w]:.3f} | {raw['gensim_spread'][w]:.3f} |")
    lines += ["", f"Mean overlap: {read['mean_overlap']:.1f} of 10 as read ({raw['mean_overlap']:.1f} raw).", "",
              f"- ours, `king`, as read: {king(read['ours_king'])}",
              f"- gensim, `king`, as read: {king(read['gensim_king'])}",
              f"- ours, `king`, raw cosine: {king(raw['ours_king'])}"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
