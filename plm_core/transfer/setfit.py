"""SetFit (Tunstall et al. 2022) through the `setfit` library: contrastive fine-tuning, then a head.

    K labelled texts -> pairs (same label: positive, 1.0; different labels: negative, 0.0)
        -> fine-tune the sentence encoder so cos(u, v) matches the pair's label (CosineSimilarityLoss)
        -> embed the K texts with the tuned encoder -> logistic-regression head

The same idea as skip-gram's positive / negative pairs, on sentences. The encoder is built from the
backbone's local folder (MiniLM ships as a sentence-transformers folder), never from a hub id; the
shared cached backbone is never touched (SetFit trains its own copy).

setfit seeds the process (`transformers.set_seed`) and uses the threads it finds: run it only in a
process that owns the run (a job worker, the CLI, a benchmark), like `training.own_process` says.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone
from plm_core.errors import PLMError
from plm_core.training.callbacks import StopSignal
from plm_core.training.trainer import MemoryMonitor
from plm_core.transfer.split import split_from_frames
from plm_core.transfer.trainer import classification_metrics

MAX_PAIRS_SHOWN = 12


@dataclass(frozen=True)
class SetFitConfig:
    """One SetFit run (with the data and the seed)."""

    backbone: str = "minilm-l6"  # an encoder: MiniLM (its sentence-transformers folder) or any trainable HF encoder
    seed: int = 0  # pairs drawn, head init, batch order (setfit seeds the process with it)
    num_iterations: int = 20  # pairs per labelled text (setfit: 2 x iterations x N pairs in all)
    epochs: int = 1  # contrastive epochs over the pairs
    batch_size: int = 16  # pairs per step
    # the encoder's learning rate. setfit's own default is 2e-5; with MiniLM and K = 8 per class, 1e-4 gave
    # +5.7 points over the frozen probe on movie snippets (3 seeds), 2e-5 +3.2 (bench/strategies.py --part setfit)
    body_lr: float = 1e-4
    max_length: int = 128  # tokens per text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SetFitResult:
    """Scores, the pairs it made, and the embedding map before and after contrastive training."""

    test_accuracy: float
    test_macro_f1: float
    confusion: list[list[int]]
    labels: list[str]
    pairs: list[dict]  # a sample: text_a, text_b, kind ("positive" | "negative"), label_a, label_b
    n_pairs: int  # pairs trained on
    n_positive: int
    map_before: list[dict]  # x, y, label, split ("train" | "test"): 2-D PCA of the encoder's vectors
    map_after: list[dict]
    steps: list[dict] = field(default_factory=list)  # step, loss
    train_seconds: float = 0.0
    peak_memory_mb: float = 0.0
    trainable_params: int = 0
    total_params: int = 0
    n_train: int = 0
    n_test: int = 0
    stop_reason: str = ""
    config: dict = field(default_factory=dict)
    predictions: list[int] = field(default_factory=list)  # per test text, the class index (in `labels` order)

    def summary(self) -> dict[str, Any]:
        return {"method": "setfit", **self.config, "test_accuracy": self.test_accuracy,
                "test_macro_f1": self.test_macro_f1, "n_train": self.n_train, "n_test": self.n_test,
                "n_pairs": self.n_pairs, "n_positive": self.n_positive, "train_seconds": round(self.train_seconds, 2),
                "peak_memory_mb": round(self.peak_memory_mb, 1), "trainable_params": self.trainable_params,
                "total_params": self.total_params, "labels": self.labels, "confusion": self.confusion}


def sentence_body(backbone: Backbone, folder: Path | None, max_length: int) -> Any:
    """A private sentence-transformers encoder: from the backbone's own sentence-transformers folder when it
    has one (MiniLM), else the backbone's transformer saved to a temporary folder + mean pooling."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer

    if folder is not None and (folder / "modules.json").exists():
        body = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    elif backbone.spec.can("trainable"):
        from plm_core.backbones.capabilities import require

        trainable = require(backbone, "trainable")
        tmp = Path(tempfile.mkdtemp(prefix="plm-setfit-"))
        trainable.body.save_pretrained(tmp)
        trainable.tokenizer.save_pretrained(tmp)
        word = Transformer(str(tmp), max_seq_length=max_length)
        body = SentenceTransformer(modules=[word, Pooling(word.get_embedding_dimension(), "mean")], device="cpu")
    else:
        raise PLMError("transfer.err.setfit_backbone", name=backbone.spec.display)
    body.max_seq_length = min(max_length, int(backbone.spec.max_length))
    return body


def contrastive_pairs(texts: Sequence[str], labels: Sequence[int], num_iterations: int, seed: int) -> list[dict]:
    """The pairs setfit trains on (its own ContrastiveDataset, oversampling), drawn with `seed`."""
    import random

    from setfit.sampler import ContrastiveDataset

    state = random.getstate()
    random.seed(seed)  # setfit's sampler shuffles with the `random` module
    try:
        data = ContrastiveDataset(list(texts), list(labels), False, num_iterations, "oversampling")
        pairs = [dict(p) for p in data]
    finally:
        random.setstate(state)
    return pairs


def pair_sample(pairs: list[dict], text_label: dict[str, str], n: int = MAX_PAIRS_SHOWN) -> list[dict]:
    """Up to n pairs for the page, half positive, half negative."""
    pos = [p for p in pairs if p["label"] == 1.0 and p["sentence_1"] != p["sentence_2"]][: n // 2]
    neg = [p for p in pairs if p["label"] == 0.0][: n - len(pos)]
    return [{"kind": "positive" if p["label"] == 1.0 else "negative", "text_a": p["sentence_1"],
             "label_a": text_label.get(p["sentence_1"], ""), "text_b": p["sentence_2"],
             "label_b": text_label.get(p["sentence_2"], "")} for p in pos + neg]


def embedding_map(vectors: np.ndarray, labels: Sequence[str], splits: Sequence[str]) -> list[dict]:
    """2-D PCA of the vectors (N, H) -> points x, y with their label and split."""
    from sklearn.decomposition import PCA

    xy = PCA(n_components=2, random_state=0).fit_transform(vectors)  # (N, 2)
    return [{"x": float(a), "y": float(b), "label": lab, "split": sp}
            for (a, b), lab, sp in zip(xy, labels, splits, strict=False)]


def _map_points(body: Any, texts: list[str], labels: list[str], splits: list[str]) -> list[dict]:
    vectors = np.asarray(body.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False))
    return embedding_map(vectors, labels, splits)


def relay_callback(progress: Callable[[int, int, float | None], None] | None, stop: StopSignal | None,
                   steps: list[dict]) -> Any:
    """A transformers TrainerCallback: progress and the loss to us, our stop signal to the trainer."""
    from transformers import TrainerCallback

    class Relay(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):  # noqa: ANN001  transformers' signature
            if progress is not None:
                progress(state.global_step, max(state.max_steps, 1), None)
            if stop is not None and stop.is_set():
                control.should_training_stop = True
            return control

        def on_log(self, args, state, control, logs=None, **kw):  # noqa: ANN001
            if logs and "embedding_loss" in logs:
                steps.append({"step": state.global_step, "loss": float(logs["embedding_loss"])})
            return control

    return Relay()


def train_setfit(config: SetFitConfig, train_df: pd.DataFrame, test_df: pd.DataFrame,
                 backbone: Backbone | None = None, folder: Path | None = None,
                 progress: Callable[[int, int, float | None], None] | None = None,
                 stop: StopSignal | None = None, map_limit: int = 300) -> SetFitResult:
    """Contrastive fine-tuning on pairs of the training texts, a logistic head, scored on `test_df`."""
    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments
    from sklearn.linear_model import LogisticRegression

    from plm_core.backbones import get_spec, load_backbone
    from plm_core.backbones.registry import weights_folder

    split = split_from_frames(train_df, test_df)
    backbone = backbone or load_backbone(config.backbone)
    if folder is None and backbone.spec.loader == "hf_package":
        folder = weights_folder(get_spec(backbone.spec.name))
    memory = MemoryMonitor()
    start = time.perf_counter()
    body = sentence_body(backbone, folder, config.max_length)
    texts, y = split.train["text"].tolist(), split.encode(split.train["label"])
    test_texts = split.test["text"].tolist()
    shown = test_texts[:map_limit]
    map_texts = texts + shown
    map_labels = split.train["label"].astype(str).tolist() + split.test["label"].astype(str).tolist()[:map_limit]
    map_splits = ["train"] * len(texts) + ["test"] * len(shown)
    before = _map_points(body, map_texts, map_labels, map_splits)
    pairs = contrastive_pairs(texts, [int(v) for v in y], config.num_iterations, config.seed)
    model = SetFitModel(model_body=body, model_head=LogisticRegression(random_state=config.seed, max_iter=1000))
    args = TrainingArguments(output_dir=tempfile.mkdtemp(prefix="plm-setfit-out-"), batch_size=config.batch_size,
                             num_epochs=config.epochs, num_iterations=config.num_iterations,
                             body_learning_rate=config.body_lr, seed=config.seed, max_length=config.max_length,
                             show_progress_bar=False, report_to="none", logging_steps=5, save_strategy="no")
    steps: list[dict] = []
    train_dataset = Dataset.from_dict({"text": texts, "label": [int(v) for v in y]})
    trainer = Trainer(model=model, args=args, train_dataset=train_dataset,
                      callbacks=[relay_callback(progress, stop, steps)])
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)  # it printed each log dict on stdout (a --json command prints one object)
    memory.sample()
    trainer.train()
    memory.sample()
    pred = np.asarray(model.predict(test_texts, as_numpy=True)).astype(int)
    metrics = classification_metrics(np.asarray(split.encode(split.test["label"])), pred, len(split.labels))
    after = _map_points(body, map_texts, map_labels, map_splits)
    n_body = sum(p.numel() for p in body.parameters())
    n_head = int(np.prod(model.model_head.coef_.shape) + model.model_head.intercept_.size)
    text_label = dict(zip(texts, split.train["label"].astype(str), strict=False))
    return SetFitResult(
        test_accuracy=metrics["accuracy"], test_macro_f1=metrics["macro_f1"], confusion=metrics["confusion"],
        labels=split.labels, pairs=pair_sample(pairs, text_label), n_pairs=len(pairs),
        n_positive=sum(p["label"] == 1.0 for p in pairs), map_before=before, map_after=after, steps=steps,
        train_seconds=time.perf_counter() - start, peak_memory_mb=memory.peak, trainable_params=n_body + n_head,
        total_params=n_body + n_head, n_train=len(texts), n_test=len(test_texts),
        stop_reason="user" if stop is not None and stop.is_set() else "", config=config.as_dict(),
        predictions=pred.tolist(),
    )


# ---- the job kind ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetFitJob:
    """What the Transfer lab or the Few-shot lab asks for: SetFit on K labelled texts per class."""

    setfit: SetFitConfig
    data: Any = None  # a plm_core.jobs.DataRef (sample set or uploaded CSV)
    per_class: int = 8  # K labelled examples of every class
    test_limit: int | None = 300  # first examples of the fixed test set
    split: Any = None  # or an explicit Split (tests)

    @property
    def seed(self) -> int:
        return self.setfit.seed


@dataclass
class SetFitView:
    """The live view: phase and the contrastive loss so far."""

    phase: str = "starting"  # starting | pairs | train | done
    steps: list[dict] = field(default_factory=list)
    result: SetFitResult | None = None


def run_setfit_job(job: SetFitJob, ctx: Any) -> SetFitResult:
    """Job kind "setfit": draw the K-shot split, train, report progress through ctx (a JobContext)."""
    from plm_core.transfer.split import make_split

    split = job.split if job.split is not None else make_split(job.data.load(), per_class=job.per_class,
                                                               seed=job.seed, test_limit=job.test_limit)
    # no seeding here: the job runner's own_process(job.seed, threads) already did it, in the worker that owns it
    view = SetFitView()
    ctx.update(fraction=0.02, current="setfit: starting", state=view)

    def progress(step: int, total: int, _: float | None) -> None:
        view.phase = "train"
        ctx.update(fraction=0.05 + 0.9 * step / total, current=f"setfit: step {step}/{total}", state=view)

    backbone = ctx.backbone(job.setfit.backbone)
    result = train_setfit(job.setfit, split.train, split.test, backbone, progress=progress, stop=ctx.stop)
    view.phase, view.result, view.steps = "done", result, result.steps
    ctx.update(fraction=1.0, current="setfit: done", state=view)
    return result


def store_setfit(job: SetFitJob, result: SetFitResult) -> list[int]:
    """Save a finished SetFit run in the runs database (kind "setfit"), beside the Transfer lab's runs."""
    from plm_core.runs import save_run

    if result.stop_reason:  # a stopped run has no test score worth keeping
        return []
    data = {"data": job.data.name if job.data is not None else "frames", "n": None, "per_class": job.per_class,
            "test_limit": job.test_limit}
    config = {**result.config, **data, "mode": "setfit", "strategy": "setfit"}
    metrics = {"test_accuracy": result.test_accuracy, "test_macro_f1": result.test_macro_f1,
               "trainable_params": result.trainable_params, "total_params": result.total_params,
               "n_train": result.n_train, "n_test": result.n_test, "n_pairs": result.n_pairs,
               "n_positive": result.n_positive, "peak_memory_mb": result.peak_memory_mb}
    curves = {"steps": result.steps, "confusion": result.confusion, "labels": result.labels}
    return [save_run("setfit", config, metrics, curves, {"train_seconds": result.train_seconds})]
