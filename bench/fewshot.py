"""Few-shot benchmarks (printed; also written to bench/out/fewshot.json).

    python bench/fewshot.py                         # all three
    python bench/fewshot.py --parts frozen,prefix   # skip the full curve

1. Frozen curve on cached features: 7 values of K x 5 seeds after the one-time extraction. Target <= 5 s.
2. SmolLM2 8-shot prompting: the demonstration prefix encoded once and its cache re-used, vs the whole
   prompt re-encoded for every test example, same run, same examples. Target >= 2x faster, equal scores.
3. The Few-shot lab's default curve (similarity + frozen K 0-32, prompting K 0-2, 3 seeds, 60 test examples),
   with progress.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plm_core.backbones import load_backbone  # noqa: E402
from plm_core.data import get_dataset  # noqa: E402
from plm_core.fewshot.curves import CurveConfig, run_curves, summarize, to_json  # noqa: E402
from plm_core.fewshot.methods import make_task  # noqa: E402
from plm_core.fewshot.prompting import PromptConfig, PromptScorer  # noqa: E402
from plm_core.recipes import FewShotCurve  # noqa: E402

DATA = "movie-snippets"


def bench_frozen(task, cache: dict) -> dict:
    config = CurveConfig(data=DATA, methods=("frozen",), shots=(1, 2, 4, 8, 16, 32, 64), seeds=5)
    first = run_curves(config, task, lambda n: cache.setdefault(n, load_backbone(n)))
    cpu0 = time.process_time()
    second = run_curves(config, task, lambda n: cache[n])  # features now come from the disk cache
    cpu = time.process_time() - cpu0  # CPU seconds: what the run costs, whatever else shares the machine
    fits = second.timings["run_frozen"]
    print(f"[frozen] first run: extraction {first.timings['prepare_frozen']:.1f} s, "
          f"35 probes {first.timings['run_frozen']:.2f} s")
    print(f"[frozen] cached run: load features {second.timings['prepare_frozen']:.2f} s + 35 probes {fits:.2f} s "
          f"= {second.timings['total']:.2f} s wall, {cpu:.2f} s CPU  "
          f"(target <= 5 s: {'OK' if second.timings['total'] <= 5 else 'MISSED'} on wall time)")
    print(summarize(second.points).round(3).to_string(index=False))
    return {"extract_s": first.timings["prepare_frozen"], "cached_total_s": second.timings["total"], "cpu_s": cpu,
            "probe_fits_s": fits, "curve": to_json(second)["methods"]["frozen"]["points"]}


def bench_prefix_cache(task, cache: dict, n_test: int, k: int = 8) -> dict:
    lm = cache.setdefault("smollm2-135m", load_backbone("smollm2-135m"))
    scorer = PromptScorer(lm, PromptConfig(batch_size=16), task.labels)
    demos = list(task.draw(k, 0).itertuples(index=False, name=None))
    texts = task.test["text"].tolist()[:n_test]
    scorer.score(demos, texts[:4])  # warm-up
    t0 = time.perf_counter()
    cached = scorer.score(demos, texts, use_cache=True)
    t_cached = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain = scorer.score(demos, texts, use_cache=False)
    t_plain = time.perf_counter() - t0
    diff = float(np.abs(cached.logprobs - plain.logprobs).max())
    speedup = t_plain / t_cached
    acc = float(np.mean(np.array(cached.predictions()) == task.test["label"].to_numpy()[:n_test]))
    print(f"[prompt] SmolLM2 {k}-shot ({len(demos)} demonstrations, prefix {cached.prefix_tokens} tokens), "
          f"{n_test} test texts: cached {t_cached:.1f} s vs re-encoded {t_plain:.1f} s = {speedup:.1f}x "
          f"(target >= 2x: {'OK' if speedup >= 2 else 'MISSED'}); max |Δ log p| = {diff:.2e}; accuracy {acc:.3f}")
    return {"k": k, "n_test": n_test, "prefix_tokens": cached.prefix_tokens, "cached_s": t_cached,
            "uncached_s": t_plain, "speedup": speedup, "max_abs_diff": diff, "accuracy": acc}


def bench_full(cache: dict) -> dict:
    config = FewShotCurve(data=DATA).job_config().config  # the page's default curve (bench/lessons.py: as a job)
    task = make_task(get_dataset(DATA), config.test_limit)

    def progress(info) -> None:
        eta = f"{info.eta_seconds:.0f}s left" if info.eta_seconds is not None else "estimating"
        print(f"  [{info.done}/{info.total}] {info.method} K={info.k if info.k >= 0 else 'prepare'} · {eta}",
              flush=True)

    result = run_curves(config, task, lambda n: cache.setdefault(n, load_backbone(n)), on_progress=progress)
    print(f"[full] default curve: {result.timings['total']:.0f} s "
          + ", ".join(f"{k}={v:.0f}s" for k, v in result.timings.items() if k != "total"))
    print(summarize(result.points).round(3).to_string(index=False))
    return to_json(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="frozen,prefix,full", help="which benchmarks, comma-separated")
    parser.add_argument("--prompt-test", type=int, default=64, help="test texts for the prefix-cache comparison")
    parser.add_argument("--test-limit", type=int, default=300)
    args = parser.parse_args()
    cache: dict = {}
    task = make_task(get_dataset(DATA), args.test_limit)
    parts = set(args.parts.split(","))
    out = {}
    if "frozen" in parts:
        out["frozen"] = bench_frozen(task, cache)
    if "prefix" in parts:
        out["prefix_cache"] = bench_prefix_cache(task, cache, args.prompt_test)
    if "full" in parts:
        out["full"] = bench_full(cache)
    folder = ROOT / "bench" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fewshot.json").write_text(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
