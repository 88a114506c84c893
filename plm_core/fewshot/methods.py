"""The few-shot methods, each a small object: `run(train_k, test, seed) -> Outcome`.

Two meanings of "K-shot" live side by side here:
    zero   the method sees no labelled example at all (similarity, cloze): K = 0 only
    demo   K examples per class are shown *in the prompt*; no weight changes (prompt)
    train  K examples per class are *trained on* (frozen probe, fine-tuning)

`FewShotTask` fixes the data: a test set (the first `test_limit` test examples, the same for every method)
and a training pool with every test text removed, from which K-per-class samples are drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from plm_core.backbones.base import pad_batch
from plm_core.backbones.capabilities import require
from plm_core.data import SampleSet, fixed_test_order
from plm_core.errors import PLMError
from plm_core.fewshot.prompting import DEFAULT_TEMPLATE, GENERIC_TEMPLATE, PromptConfig, PromptScorer

METHODS: tuple[str, ...] = ("similarity", "prompt", "cloze", "frozen", "finetune")
KINDS: dict[str, str] = {"similarity": "zero", "cloze": "zero", "prompt": "demo", "frozen": "train",
                         "finetune": "train"}
DEFAULT_BACKBONES: dict[str, str] = {"similarity": "minilm-l6", "prompt": "smollm2-135m", "cloze": "tiny-bert-mlm",
                                     "frozen": "minilm-l6", "finetune": "minilm-l6"}
TEST_LIMIT = 300  # default size of the fixed test set (keeps CPU runs quick)


# ---- data ---------------------------------------------------------------------------------------

@dataclass
class FewShotTask:
    """A fixed test set and the pool K-shot samples are drawn from (test texts removed from it)."""

    data: SampleSet  # pool = training pool without any test text; test = the fixed test set
    task: str = "classification"  # "sentiment" | "topic" | "intent" | "classification" (picks default prompts)
    _draws: dict[tuple[int, int], pd.DataFrame] = field(default_factory=dict, repr=False)  # (K, seed) -> sample

    @property
    def test(self) -> pd.DataFrame:
        return self.data.test

    @property
    def labels(self) -> list[str]:
        return self.data.labels

    @property
    def name(self) -> str:
        return self.data.name

    def max_k(self) -> int:
        """Largest K every class can give."""
        return int(self.data.pool["label"].value_counts().min())

    def draw(self, k: int, seed: int) -> pd.DataFrame:
        """K examples of every class from the pool, shuffled (the demonstration order); K = 0: none."""
        if k == 0:
            return pd.DataFrame({"text": pd.Series(dtype=str), "label": pd.Series(dtype=str)})
        if (k, seed) not in self._draws:  # drawn once, shared by every method (treat as read-only)
            self._draws[(k, seed)] = self.data.sample_per_class(k, seed)[["text", "label"]]
        return self._draws[(k, seed)]


def fixed_test(ds: SampleSet, test_limit: int | None = TEST_LIMIT) -> pd.DataFrame:
    """The first `test_limit` examples of the test set in a fixed shuffled order (seed SPLIT_SEED).

    The stored test split keeps the source file's order, which for some sets is sorted by label
    (the first 300 movie snippets are 97% positive); one fixed shuffle makes any prefix representative.
    """
    if test_limit is not None and test_limit < 1:
        raise PLMError("fewshot.err.bad_test_limit", limit=test_limit)
    shuffled = fixed_test_order(ds.test)
    return shuffled if test_limit is None else shuffled.head(test_limit)


def make_task(ds: SampleSet, test_limit: int | None = TEST_LIMIT) -> FewShotTask:
    """A fixed test set (see `fixed_test`) and the pool without any of its texts."""
    test = fixed_test(ds, test_limit)
    test = test[["text", "label"]].reset_index(drop=True)
    pool = ds.pool[~ds.pool["text"].isin(set(test["text"]))][["text", "label"]].reset_index(drop=True)
    clean = SampleSet(ds.info, pool, test, list(ds.notices))
    return FewShotTask(clean, task=ds.info.task)


# ---- results ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one method scored at one (K, seed)."""

    accuracy: float
    macro_f1: float
    predictions: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # method-specific numbers (prefix tokens, ...)


LabelList = Sequence[str] | np.ndarray | pd.Series  # labels as a list, an array or a DataFrame column


def score(y_true: LabelList, y_pred: LabelList, labels: Sequence[str]) -> tuple[float, float]:
    """(accuracy, macro-F1) over the given label set."""
    from sklearn.metrics import f1_score

    true, pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    acc = float((true == pred).mean()) if len(true) else 0.0
    f1 = float(f1_score(true, pred, labels=list(labels), average="macro", zero_division=0))
    return acc, f1


def outcome(y_true: LabelList, y_pred: LabelList, labels: Sequence[str], **extra: Any) -> Outcome:
    acc, f1 = score(y_true, y_pred, labels)
    return Outcome(acc, f1, [str(p) for p in y_pred], dict(extra))


Progress = Callable[[int, int], None]  # (done, total) inside a preparation step


class Method:
    """Base class: a method prepares once per curve, then runs per (K, seed)."""

    name: str = ""
    kind: str = "zero"  # "zero" | "demo" | "train"

    def supports(self, k: int) -> bool:
        return k == 0 if self.kind == "zero" else (k >= 0 if self.kind == "demo" else k >= 1)

    def deterministic(self, k: int) -> bool:
        """True where every seed gives the same result (no sample drawn): run once, reuse for all seeds."""
        return k == 0

    def prepare(self, task: FewShotTask, samples: Sequence[pd.DataFrame], progress: Progress | None = None) -> None:
        """One-time work before the first point (e.g. feature extraction); `samples` = every draw to come."""

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        raise NotImplementedError


# ---- zero-shot: label descriptions -------------------------------------------------------------

def default_descriptions(labels: Sequence[str], task: str) -> dict[str, str]:
    """'a positive movie review' for sentiment, 'an article about Geography' for topics, else the label."""
    pattern = {"sentiment": "a {label} movie review", "topic": "an article about {label}"}.get(task, "{label}")
    return {lab: pattern.format(label=str(lab).replace("_", " ")) for lab in labels}


class SimilarityMethod(Method):
    """Embed each label's description and each test text; predict the label whose description is nearest."""

    name, kind = "similarity", "zero"

    def __init__(self, backbone: Any, descriptions: dict[str, str] | None = None, max_length: int = 128):
        if backbone.spec.family not in ("encoder", "sentence", "static"):
            raise PLMError("fewshot.err.needs_embedder", name=backbone.spec.display)
        self.backbone = backbone
        self.descriptions = dict(descriptions or {})
        self.max_length = max_length
        self._test_vectors: np.ndarray | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self.backbone.embed(list(texts), pooling="mean", max_length=self.max_length)  # (N, H)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    def prepare(self, task: FewShotTask, samples: Sequence[pd.DataFrame], progress: Progress | None = None) -> None:
        self._test_vectors = self.embed(task.test["text"].tolist())

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        if self._test_vectors is None:
            self.prepare(task, [])
        described = {**default_descriptions(task.labels, task.task),
                     **{k: v for k, v in self.descriptions.items() if v}}
        label_vecs = self.embed([described[lab] for lab in task.labels])  # (C, H)
        sims = self._test_vectors @ label_vecs.T  # (N, C) cosine similarities
        pred = [task.labels[i] for i in sims.argmax(axis=1)]
        return outcome(task.test["label"], pred, task.labels)


# ---- in-context prompting ----------------------------------------------------------------------

def default_prompt(task: str) -> PromptConfig:
    template = {"sentiment": DEFAULT_TEMPLATE, "topic": "Article: {text}\nTopic:{label}"}.get(task, GENERIC_TEMPLATE)
    return PromptConfig(template=template)


class PromptMethod(Method):
    """K demonstrations per class in the prompt of a causal LM; the label word with the highest score wins."""

    name, kind = "prompt", "demo"

    def __init__(self, backbone: Any, config: PromptConfig | None = None):
        self.backbone = backbone
        self.config = config or PromptConfig()
        self._scorer: PromptScorer | None = None

    def scorer(self, labels: Sequence[str]) -> PromptScorer:
        if self._scorer is None or self._scorer.labels != list(labels):
            self._scorer = PromptScorer(self.backbone, self.config, labels)
        return self._scorer

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        demos = list(train_k[["text", "label"]].itertuples(index=False, name=None))
        scores = self.scorer(task.labels).score(demos, task.test["text"].tolist())
        pred = scores.predictions(calibrate=self.config.calibrate)
        return outcome(task.test["label"], pred, task.labels, prefix_tokens=scores.prefix_tokens, demos=len(demos))


# ---- cloze (PET-style) with a masked LM ---------------------------------------------------------

@dataclass
class ClozeConfig:
    """A cloze pattern for a masked LM and the word each label stands for."""

    template: str = "{text} It was [MASK]."  # [MASK] is replaced by the model's own mask token
    words: dict[str, str] = field(default_factory=dict)  # label -> word at the mask; "" = the label itself
    max_words: int = 60  # test texts are cut to this many words so the pattern always fits


def default_cloze_words(labels: Sequence[str], task: str) -> dict[str, str]:
    if task == "sentiment" and set(labels) == {"positive", "negative"}:
        return {"positive": "good", "negative": "bad"}
    return {lab: str(lab).lower().replace("_", " ") for lab in labels}


def special_wrap(tok: Any) -> tuple[list[int], list[int]]:
    """The special pieces a tokenizer puts before and after a text ([CLS] ... [SEP] for BERT)."""
    ids = list(tok("", add_special_tokens=True)["input_ids"])
    starts = {tok.cls_token_id, tok.bos_token_id} - {None}
    return (ids[:1], ids[1:]) if ids and ids[0] in starts else ([], ids)


class ClozeMethod(Method):
    """Fill the [MASK] of a pattern with each label word; the most probable word gives the label."""

    name, kind = "cloze", "zero"

    def __init__(self, backbone: Any, config: ClozeConfig | None = None, batch_size: int = 32):
        require(backbone, "masked_lm")
        if "[MASK]" not in (config or ClozeConfig()).template or "{text}" not in (config or ClozeConfig()).template:
            raise PLMError("fewshot.err.bad_cloze", template=(config or ClozeConfig()).template)
        self.backbone = backbone
        self.config = config or ClozeConfig()
        self.batch_size = batch_size

    def label_ids(self, labels: Sequence[str], task: str) -> list[int]:
        """The first piece of each label word (a cloze fills exactly one piece)."""
        words = {**default_cloze_words(labels, task), **{k: v for k, v in self.config.words.items() if v}}
        tok = self.backbone.tokenizer
        ids = [tok(" " + words[lab].strip(), add_special_tokens=False)["input_ids"][:1] for lab in labels]
        for lab, piece in zip(labels, ids, strict=True):
            if not piece:
                raise PLMError("fewshot.err.empty_verbalizer", label=lab)
        return [p[0] for p in ids]

    def pattern(self, text: str) -> str:
        words = str(text).split()[: self.config.max_words]
        return self.config.template.replace("[MASK]", self.backbone.tokenizer.mask_token).format(text=" ".join(words))

    def pattern_ids(self, text: str) -> list[int]:
        """Pattern pieces with the text cut (not the pattern) so the whole input fits the model."""
        tok = self.backbone.tokenizer
        before, _, after = self.config.template.replace("[MASK]", tok.mask_token).partition("{text}")
        pieces = [tok(part, add_special_tokens=False)["input_ids"] if part else [] for part in (before, after)]
        head, tail = special_wrap(tok)
        budget = max(0, self.backbone.max_length - len(head) - len(tail) - len(pieces[0]) - len(pieces[1]))
        words = " ".join(str(text).split()[: self.config.max_words])
        text_ids = tok(words, add_special_tokens=False)["input_ids"][:budget]
        return head + pieces[0] + text_ids + pieces[1] + tail

    def logprobs(self, texts: Sequence[str], label_ids: list[int]) -> np.ndarray:
        """(N, C) log P(label piece at the mask | pattern)."""
        import torch

        tok = self.backbone.tokenizer
        pad = tok.pad_token_id or 0
        out = []
        for start in range(0, len(texts), self.batch_size):
            rows = [self.pattern_ids(t) for t in texts[start : start + self.batch_size]]
            ids, mask = pad_batch(rows, pad)  # (B, T) each, right-padded
            with torch.inference_mode():
                logits = self.backbone.model(input_ids=ids, attention_mask=mask).logits.float()  # (B, T, V)
            is_mask = ids == tok.mask_token_id  # (B, T)
            if not bool(is_mask.any(dim=1).all()):
                raise PLMError("fewshot.err.mask_truncated")
            pos = is_mask.float().argmax(dim=1)  # (B,) first mask position
            at_mask = torch.log_softmax(logits[torch.arange(logits.shape[0]), pos], dim=-1)  # (B, V)
            out.append(at_mask[:, label_ids].numpy())  # (B, C)
        return np.concatenate(out) if out else np.zeros((0, len(label_ids)))

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        scores = self.logprobs(task.test["text"].tolist(), self.label_ids(task.labels, task.task))
        pred = [task.labels[i] for i in scores.argmax(axis=1)]
        return outcome(task.test["label"], pred, task.labels)


# ---- training on K examples per class: the transfer lab's modes --------------------------------

def transfer_available() -> bool:
    """The frozen and finetune methods need the transfer lab's core (plm_core.transfer)."""
    try:
        import plm_core.transfer.features  # noqa: F401
        from plm_core.transfer import train  # noqa: F401
    except ImportError:
        return False
    return True


class FrozenMethod(Method):
    """Frozen body + logistic-regression probe: features of every text are extracted once, then each
    (K, seed) only fits a probe on K-per-class rows of the cached matrix."""

    name, kind = "frozen", "train"

    def __init__(self, backbone: Any, pooling: str = "mean", layer: int = -1, max_length: int = 64):
        self.backbone = backbone
        self.pooling, self.layer, self.max_length = pooling, layer, max_length
        self._rows: dict[str, int] = {}
        self._features: np.ndarray | None = None  # (N, H) for the test set and every drawn text

    def prepare(self, task: FewShotTask, samples: Sequence[pd.DataFrame], progress: Progress | None = None) -> None:
        from plm_core.transfer.features import extract_features

        texts = list(dict.fromkeys(task.test["text"].tolist() + [t for s in samples for t in s["text"]]))
        self._features = extract_features(self.backbone, texts, pooling=self.pooling, layer=self.layer,
                                          max_length=self.max_length, cache_key=f"fewshot-{task.name}")
        self._rows = {t: i for i, t in enumerate(texts)}

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._rows]
        if self._features is None or missing:
            raise PLMError("fewshot.err.not_prepared", method=self.name)
        return self._features[[self._rows[t] for t in texts]]

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        from plm_core.transfer.features import fit_probe  # the one frozen probe (the Transfer lab's frozen mode)

        acc, f1, pred = fit_probe(self.vectors(train_k["text"].tolist()), train_k["label"].to_numpy(),
                                  self.vectors(task.test["text"].tolist()), task.test["label"].to_numpy(), seed=seed)
        return Outcome(acc, f1, [str(p) for p in pred])


@dataclass
class FinetuneSettings:
    """Fine-tuning on K examples per class (small on purpose: this runs on a CPU)."""

    epochs: int = 10  # passes over the 2K..CK training examples
    lr_body: float = 5e-5  # learning rate of the pretrained body
    lr_head: float = 2e-3  # learning rate of the new head
    batch_size: int = 8  # examples per optimizer step
    max_length: int = 64  # tokens per text


class FinetuneMethod(Method):
    """Fine-tune a copy of the whole network (body + new head) on the K-shot sample, per (K, seed)."""

    name, kind = "finetune", "train"

    def __init__(self, backbone: Any, settings: FinetuneSettings | None = None, stop: Any = None):
        self.backbone = backbone
        self.settings = settings or FinetuneSettings()
        self.stop = stop

    def run(self, train_k: pd.DataFrame, task: FewShotTask, seed: int) -> Outcome:
        from plm_core.transfer import train
        from plm_core.transfer.config import TrainConfig

        s = self.settings
        config = TrainConfig.of(backbone=self.backbone.spec.name, mode="finetune", epochs=s.epochs, lr_body=s.lr_body,
                             lr_head=s.lr_head, batch_size=s.batch_size, max_length=s.max_length, seed=seed)
        result = train(config, train_k, task.test, backbone=self.backbone, stop=self.stop)
        return Outcome(float(result.test_accuracy), float(result.test_macro_f1),
                       extra={"train_seconds": float(result.train_seconds)})


# ---- which methods this installation offers ------------------------------------------------------

def method_backbones(method: str) -> list[str]:
    """Registered backbones a method can use, in registry order (empty: the method is not offered)."""
    from plm_core.backbones import specs

    if method in ("frozen", "finetune") and not transfer_available():
        return []
    fits = {
        "similarity": lambda s: s.family in ("encoder", "sentence"),
        "prompt": lambda s: s.family == "decoder" and s.head == "clm",
        "cloze": lambda s: s.head == "mlm",
        "frozen": lambda s: s.family in ("encoder", "decoder", "sentence", "static", "bilm"),
        "finetune": lambda s: s.family in ("encoder", "decoder"),
    }[method]
    return [name for name, spec in specs().items() if fits(spec)]


def available_methods() -> list[str]:
    return [m for m in METHODS if method_backbones(m)]


def default_backbone(method: str, language: str = "en") -> str:
    """The usual backbone for a method (USE-multilingual for similarity on Korean data)."""
    names = method_backbones(method)
    if not names:
        raise PLMError("fewshot.err.method_unavailable", method=method, choices=", ".join(available_methods()))
    if method == "similarity" and language == "ko" and "use-multilingual" in names:
        return "use-multilingual"
    return DEFAULT_BACKBONES[method] if DEFAULT_BACKBONES[method] in names else names[0]


def build_method(method: str, backbone: Any, prompt: PromptConfig | None = None,
                 descriptions: dict[str, str] | None = None, cloze: ClozeConfig | None = None,
                 finetune: FinetuneSettings | None = None, stop: Any = None) -> Method:
    """A ready method object around a loaded backbone."""
    if method == "similarity":
        return SimilarityMethod(backbone, descriptions)
    if method == "prompt":
        return PromptMethod(backbone, prompt)
    if method == "cloze":
        return ClozeMethod(backbone, cloze)
    if method == "frozen":
        return FrozenMethod(backbone)
    if method == "finetune":
        return FinetuneMethod(backbone, finetune, stop=stop)
    raise PLMError("fewshot.err.method_unavailable", method=method, choices=", ".join(available_methods()))


