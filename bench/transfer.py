"""Transfer benchmark: feature extraction, the feature cache, the probe, fine-tuning throughput.

    python bench/transfer.py [--texts 1000] [--n 256] [--json]

Prints, measured in the same process on this machine (a shared CPU: treat timings as approximate):
  1. MiniLM feature extraction, sentences/s: plm_core (length-bucketed, dynamic padding, inference_mode)
     next to a plain HF loop (batches of 32, pad to longest, original order)      target >= 1.3x
  2. a second frozen run on the same data (features from the disk cache) vs the first   target >= 10x
  3. logistic-regression head fit on 1,000 cached vectors                           target <= 0.5 s
  4. MiniLM fine-tuning throughput, training examples/s (one epoch of `finetune`)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402


def current_threads() -> int:
    import torch

    return torch.get_num_threads()


def plain_hf_loop(backbone, texts: list[str], max_length: int) -> np.ndarray:
    """The baseline: batches of 32 in the original order, padded to the longest text of the batch."""
    import torch

    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), 32):
            enc = backbone.tokenizer(texts[i : i + 32], padding=True, truncation=True, max_length=max_length,
                                     return_tensors="pt")
            hidden = backbone.body(**enc).last_hidden_state  # (B, T, H)
            mask = enc["attention_mask"].unsqueeze(-1).float()  # (B, T, 1)
            out.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())  # (B, H)
    return np.concatenate(out)


def bench_extraction(backbone, texts: list[str], max_length: int) -> dict:
    from plm_core.transfer.features import extract_layer_features

    plain_hf_loop(backbone, texts[:64], max_length)  # warm-up
    t0 = time.perf_counter()
    baseline = plain_hf_loop(backbone, texts, max_length)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours, _ = extract_layer_features(backbone, texts, "mean", max_length, use_cache=False)
    t_ours = time.perf_counter() - t0
    return {
        "texts": len(texts), "plain_sentences_per_s": len(texts) / t_plain, "ours_sentences_per_s": len(texts) / t_ours,
        "speedup": t_plain / t_ours, "max_abs_diff": float(np.abs(ours[:, -1] - baseline).max()),
    }


def bench_cache(backbone, train_df, test_df) -> dict:
    from plm_core.transfer import TrainConfig, train

    cfg = TrainConfig.of(backbone=backbone.spec.name, mode="frozen", max_length=64, threads=current_threads())
    t0 = time.perf_counter()
    first = train(cfg, train_df, test_df, backbone=backbone)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = train(cfg, train_df, test_df, backbone=backbone)
    t_second = time.perf_counter() - t0
    assert second.timings["cache_hit"] and not first.timings["cache_hit"]
    assert second.test_accuracy == first.test_accuracy
    return {"first_s": t_first, "second_s": t_second, "speedup": t_first / t_second,
            "test_accuracy": first.test_accuracy, "n_train": len(train_df), "n_test": len(test_df)}


def bench_probe(backbone, texts: list[str], labels: list[str], test_texts: list[str], test_labels: list[str]) -> dict:
    from plm_core.transfer import extract_features, fit_probe

    X = extract_features(backbone, texts, "mean", -1, 64, cache_key="bench-probe")
    X_test = extract_features(backbone, test_texts, "mean", -1, 64, cache_key="bench-probe-test")
    fit_probe(X[:100], labels[:100], X_test[:10], test_labels[:10])  # warm-up (imports)
    t0 = time.perf_counter()
    acc, f1, _ = fit_probe(X, labels, X_test, test_labels)
    return {"vectors": len(X), "fit_s": time.perf_counter() - t0, "test_accuracy": acc, "test_macro_f1": f1}


def bench_finetune(backbone, train_df, test_df) -> dict:
    from plm_core.transfer import Callback, TrainConfig, train

    class Clock(Callback):
        def __init__(self) -> None:
            self.start = self.last = 0.0

        def on_epoch_begin(self, trainer, epoch) -> None:
            self.start = time.perf_counter()

        def on_step_end(self, trainer, step, loss) -> None:
            self.last = time.perf_counter()

    clock = Clock()
    cfg = TrainConfig.of(backbone=backbone.spec.name, mode="finetune", epochs=1, max_length=64, batch_size=16,
                      threads=current_threads())
    result = train(cfg, train_df, test_df.head(16), backbone=backbone, callbacks=[clock])
    seconds = clock.last - clock.start
    return {"examples": len(train_df), "train_s": seconds, "examples_per_s": len(train_df) / seconds,
            "batch_size": 16, "peak_memory_mb": result.peak_memory_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000, help="snippets for the extraction benchmark")
    parser.add_argument("--n", type=int, default=256, help="training examples for the cache/fine-tuning runs")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads for every measurement, ours and the baseline alike (default 1)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["PLM_LAB_FEATURES_DIR"] = tempfile.mkdtemp(prefix="plm-bench-features-")  # a cold cache
    import torch

    from plm_core.training import own_process

    own_process(0, args.threads)  # a benchmark owns its process: threads for every measurement, seeds
    from plm_core.backbones import load_backbone
    from plm_core.data import get_dataset
    from plm_core.transfer import make_split

    ds = get_dataset("movie-snippets")
    backbone = load_backbone("minilm-l6")
    snippets = ds.pool["text"].tolist()[: args.texts]
    split = make_split(ds, n=args.n, seed=0)
    probe = make_split(ds, n=1000, seed=1)
    report = {
        "torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
        "extraction": bench_extraction(backbone, snippets, 64),
        "frozen_cache": bench_cache(backbone, split.train, split.test),
        "probe": bench_probe(backbone, probe.train["text"].tolist(), probe.train["label"].tolist(),
                             probe.test["text"].tolist(), probe.test["label"].tolist()),
        "finetune": bench_finetune(backbone, split.train, split.test),
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    e, c, p, f = report["extraction"], report["frozen_cache"], report["probe"], report["finetune"]
    print(f"CPU threads: {report['torch_threads']} (cores: {report['cpu_count']}); "
          "timings on a shared CPU are approximate")
    print(f"1. extraction, {e['texts']} snippets: plm_core {e['ours_sentences_per_s']:.1f}/s vs plain HF loop "
          f"{e['plain_sentences_per_s']:.1f}/s -> {e['speedup']:.2f}x "
          f"(target >= 1.3x; max |diff| {e['max_abs_diff']:.1e})")
    print(f"2. frozen run, {c['n_train']} train + {c['n_test']} test: first {c['first_s']:.2f} s, cached second "
          f"{c['second_s']:.3f} s -> {c['speedup']:.0f}x (target >= 10x)")
    print(f"3. logistic head on {p['vectors']} cached vectors: {p['fit_s']:.3f} s (target <= 0.5 s), "
          f"test accuracy {p['test_accuracy']:.3f}")
    print(f"4. MiniLM fine-tuning: {f['examples_per_s']:.1f} training examples/s (batch {f['batch_size']}, "
          f"{f['examples']} examples in {f['train_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
