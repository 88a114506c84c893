"""Benchmark of the representation explorer (printed, not asserted).

    python bench/explorer.py            # everything (about 2-3 minutes on a 2-core CPU)
    python bench/explorer.py --quick    # skip the cold-UMAP and t-SNE subprocesses

Targets (issue 5): UMAP of 1,000 points in a freshly started server <= 5 s; PCA <= 0.5 s; all-layer,
all-head attention of a 64-piece text with MiniLM <= 0.5 s; the Attention page responsive at 512 pieces.
Cold numbers run in fresh subprocesses, so numba's in-process JIT cache does not flatter them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = "import numpy as np; X = np.random.default_rng(0).normal(size=(1000, 384)).astype('float32')\n"


def fresh(code: str) -> dict:
    """Run `code` in a new interpreter (repo on the path); it prints one JSON line of results."""
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + code],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of `fn()` over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, seconds: float, target: str = "") -> None:
    print(f"  {name:<62} {seconds:8.2f} s   {target}")


def bench_projections(quick: bool) -> None:
    print("Projections of 1,000 points (384-d)")
    import numpy as np

    from plm_core.explorer.projection import clear_cache, pca, project

    x = np.random.default_rng(0).normal(size=(1000, 384)).astype("float32")
    row("PCA (eigh of the covariance), median of 5", timed(lambda: pca(x)), "target <= 0.5 s")
    if quick:
        return
    cold = fresh(DATA + "import time; t=time.perf_counter(); from plm_core.explorer.projection import project\n"
                 "p = project(X, 'umap'); import json; print(json.dumps({'s': time.perf_counter()-t}))")
    row("UMAP, cold process (import + JIT + fit)", cold["s"])
    worker = fresh(DATA + "import time, json\nfrom plm_core.explorer.jobs import ProjectionJob, run_projection\n"
                   "from plm_core.jobs import JobContext\nctx = JobContext(lambda e: None)\n"
                   "t = time.perf_counter(); run_projection(ProjectionJob.of(X, 'umap'), ctx)\n"
                   "first = time.perf_counter() - t\n"
                   "t = time.perf_counter(); run_projection(ProjectionJob.of(X + 1e-3, 'umap'), ctx)\n"
                   "print(json.dumps({'first': first, 'second': time.perf_counter() - t}))")
    row("UMAP job in a fresh worker: first (JIT, numba's disk cache)", worker["first"], "(a worker, never the server)")
    row("UMAP job of another 1,000 points in the same worker", worker["second"], "target <= 5 s")
    t0 = time.perf_counter()
    project(x, "tsne")
    row("t-SNE (sklearn, PCA-50 first, 500 steps)", time.perf_counter() - t0, "(on request)")
    row("PCA through project() (cached after the first call)", project(x + 1, "pca").seconds, "target <= 0.5 s")
    clear_cache()


def bench_attention() -> None:
    from plm_core.backbones import load_backbone
    from plm_core.explorer import attention as attn
    from plm_core.explorer import figures as figs

    print("Attention")
    mini = load_backbone("minilm-l6")
    text64 = " ".join(["river"] * 62)  # 62 words + [CLS] + [SEP] = 64 pieces
    assert mini.tokenize(text64).n_tokens == 64
    attn.compute_attentions(mini, text64)  # first call allocates
    row("MiniLM, all 6 layers x 12 heads, 64 pieces, median of 5", timed(lambda: attn.compute_attentions(mini, text64)),
        "target <= 0.5 s")
    row("  same, through Backbone.attentions with the default torch threads", timed(lambda: mini.attentions(text64)),
        "(no thread limit)")
    long_text = " ".join(f"word{i % 50} and" for i in range(400))
    for name in ("minilm-l6", "smollm2-135m"):
        bb = mini if name == "minilm-l6" else load_backbone(name)
        start = time.perf_counter()
        view = attn.compute_attentions(bb, long_text)
        compute = time.perf_counter() - start
        w, q, k = view.select(view.available[0])
        start = time.perf_counter()
        mosaic, cell = attn.mosaic(w)
        fig_list = [figs.attention_heatmap(w[-1, 0], q, k, "one head"),
                    figs.attention_heatmap(attn.head_average(w)[-1], q, k, "avg"),
                    figs.attention_heatmap(attn.rollout(w)[-1], q, k, "rollout"),
                    figs.attention_grid_figure(mosaic, w.shape[0], w.shape[1], cell)]
        payload = sum(len(f.to_json()) for f in fig_list)
        build = time.perf_counter() - start
        n = w.shape[-1]
        row(f"{name}: attention of a long text ({n} pieces, notice: {bool(view.notices)})", compute)
        row(f"{name}: grid + head + average + rollout figures ({payload / 1e6:.1f} MB JSON)", build)
        del view, w


def bench_page_512() -> None:
    """The Attention page under AppTest with SmolLM2 and a 512-piece text: first draw, then a slider move."""
    from streamlit.testing.v1 import AppTest

    print("Attention page, SmolLM2, a text of 512+ pieces (AppTest, server-side time)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("app_pages/attention.py").run()
    at.text_area[0].set_value(" ".join(f"word{i % 50} and" for i in range(400)))
    at.selectbox[0].set_value("smollm2-135m")
    at.button[0].click().run()
    start = time.perf_counter()
    at.button_group(key="attention.tab").set_value("weights").run()
    row("attention heads section, first draw (model run + all figures)", time.perf_counter() - start)
    start = time.perf_counter()
    at.slider[1].set_value(5).run()
    row("move the head slider (cached attention, figures only)", time.perf_counter() - start)
    notices = [i.value for i in at.info]
    print(f"  notices: {notices}; exceptions: {len(at.exception)}")


def bench_embeddings() -> None:
    from plm_core.backbones import load_backbone
    from plm_core.data import get_dataset
    from plm_core.explorer import polysemy as poly
    from plm_core.explorer.sentences import sample_texts, sentence_map

    print("Embeddings page")
    bank = poly.polysemy_sets()["bank"]
    for name in ("minilm-l6", "smollm2-135m"):
        bb = load_backbone(name)
        poly.word_vectors(bb, bank)
        row(f"{name}: 'bank' in 10 sentences, every layer, median of 3",
            timed(lambda bb=bb: poly.word_vectors(bb, bank), 3))
    mini = load_backbone("minilm-l6")
    sample = sample_texts(get_dataset("movie-snippets"), 1000)
    start = time.perf_counter()
    sentence_map(mini, sample["text"].tolist(), sample["label"].tolist())
    row("MiniLM: embed 1,000 movie snippets (sentence map)", time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the cold subprocess measurements and t-SNE")
    args = parser.parse_args()
    import torch

    from plm_core.explorer.threads import explorer_threads

    print(f"torch threads: {torch.get_num_threads()}, explorer computations limited to {explorer_threads()} "
          f"(PLM_LAB_EXPLORER_THREADS), cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    bench_projections(args.quick)
    bench_attention()
    bench_page_512()
    bench_embeddings()


if __name__ == "__main__":
    main()
