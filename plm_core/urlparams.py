"""Every page's settings as URL query parameters: a plain-data registry, parsing, encoding and share links.

    PAGE_PARAMS["transfer"]                      # the Transfer lab's settings, each a Param
    values, problems = parse("transfer", {"backbone": "minilm-l6", "modes": "frozen,lora", "n": "64"})
    encode("transfer", values)                   # {"modes": "frozen,lora", "n": "64"} (only what differs)
    link("transfer", values, "http://10.0.0.5:8501", "ko")   # the address of exactly this view

The URL key of a setting is its `name`; the page's widget keeps it in `st.session_state[f"{page}.{name}"]`
(`widget_key`). `lang` (the language) and `u` (the browser's job owner id) are global, not page settings.
Nothing here knows Streamlit: lessons, the CLI and tests read and write the same links.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from plm_core.backbones import POOLINGS, specs
from plm_core.data import DATASETS
from plm_core.errors import PLMError
from plm_core.pretrain import OBJECTIVES
from plm_core.transfer.config import HEADS, SCHEDULES
from plm_core.transfer.defaults import RACE_EPOCHS, RACE_N, RACE_TEST
from plm_core.transfer.strategies import STRATEGIES

Kind = Literal["str", "int", "float", "bool", "list"]
LANG, OWNER = "lang", "u"  # global query keys: the language and this browser's job owner id (ui/jobs.py)
GLOBAL_KEYS = (LANG, OWNER, "present", "lesson", "step",
               "teacher")  # app-wide keys (presenter view, lesson step): no page's
PUBLIC_URL_ENV = "PLM_LAB_PUBLIC_URL"  # e.g. http://10.0.0.5:8501: the address share links and QR codes use
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "")
AUTO = "auto"  # a str setting whose value the page resolves (e.g. "the chosen data set's language's backbone")
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Param:
    """One setting of a page: its URL name, type, default and allowed values (choices, or lo..hi)."""

    name: str  # the URL query key, short: "backbone", "modes", "n", "epochs", "seed", "tab", "k"
    kind: Kind
    default: Any  # a list's default is a tuple
    choices: tuple | None = None  # allowed values (of a list: allowed items; their type is the items' type)
    lo: float | None = None  # int/float bounds, inclusive
    hi: float | None = None  # ... and of a free text (no choices): its longest length


BACKBONES = tuple(specs())  # registry names of the installed backbones
DATA_SETS = tuple(DATASETS)
LRS = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1)  # the transfer lr sliders
FEWSHOT_METHODS = ("similarity", "prompt", "cloze", "frozen", "finetune")  # plm_core.fewshot.methods (a test checks)
SHOT_CHOICES = (0, 1, 2, 4, 8, 16, 32, 64, 128)  # plm_core.fewshot.curves.SHOT_CHOICES (a test checks)
DEFAULT_SHOTS = (0, 1, 2, 4, 8, 16, 32)  # plm_core.fewshot.curves.DEFAULT_SHOTS
DEFAULT_METHODS = ("similarity", "prompt", "frozen")  # CurveConfig().methods
CURVE_TEST = 60  # plm_core.fewshot.curves.CURVE_TEST_LIMIT (a test checks): the default curve's test texts
PROMPT_MAX_K, PROMPT_K_CHOICES = 2, (0, 1, 2, 4, 8, 16, 32)  # plm_core.fewshot.curves.PROMPT_MAX_K, PROMPT_K_CHOICES
POLYSEMY_SETS = ("bank", "bat", "apple", "play", "light", "bae", "nun", "custom")  # explorer.polysemy + "custom"
PROJECTIONS = ("pca", "umap", "tsne")  # plm_core.explorer.projection.METHODS
ATTENTION_SECTIONS = ("masks", "weights", "mlm", "next", "swap", "tokens")


def _setfit(default_backbone: str = "minilm-l6") -> tuple[Param, ...]:
    """The SetFit form (on the Transfer and the Few-shot page)."""
    return (Param("sf_backbone", "str", default_backbone, BACKBONES), Param("sf_k", "int", 8, (2, 4, 8, 16, 32)),
            Param("sf_iters", "int", 20, (2, 5, 10, 20)), Param("sf_seed", "int", 0, lo=0, hi=10_000))


PAGE_PARAMS: dict[str, tuple[Param, ...]] = {
    "home": (),
    "domain": (),  # the domain-fit lab keeps its settings in the page for now (no link state yet)
    "lessons": (),  # the lesson page (?teacher=1 is global: see GLOBAL_KEYS)
    "proofs": (),  # (added on the domain branch so that every registered page has an entry)
    "transfer": (
        Param("tab", "str", "single", ("single", "race", "setfit")),
        Param("backbone", "str", "minilm-l6", BACKBONES),
        Param("data", "str", DATA_SETS[0], DATA_SETS),
        Param("mode", "str", "frozen", STRATEGIES),  # the single run's strategy
        Param("modes", "list", ("frozen", "finetune", "lora"), STRATEGIES),  # the race's racers (at most 5)
        Param("k", "int", 2, lo=0, hi=64),  # freeze_bottom / top_k: k layers (capped at the backbone's layers)
        Param("rank", "int", 8, (1, 2, 4, 8, 16, 32)),  # LoRA rank
        Param("seeds", "int", 1, (1, 2, 3, 4, 5)),  # a race's seeds per strategy
        Param("sizing", "str", "n", ("n", "k")),  # n = N examples in all, k = K per class
        Param("n", "int", RACE_N, lo=1, hi=1000),  # sized for a live race (plm_core.transfer.defaults)
        Param("epochs", "int", RACE_EPOCHS, lo=1, hi=20),
        Param("pooling", "str", AUTO, (AUTO, *POOLINGS, "mix")),  # auto = the backbone's own default
        Param("head", "str", "logreg", HEADS),
        Param("layer", "int", -1, lo=-1, hi=64),  # hidden-state index read; -1 = the top layer
        Param("lr_body", "float", 1e-4, LRS),
        Param("lr_head", "float", 2e-3, LRS),
        Param("decay", "float", 0.8, lo=0.5, hi=1.0),
        Param("schedule", "str", "constant", SCHEDULES),
        Param("warmup", "float", 0.1, lo=0.0, hi=0.5),
        Param("seed", "int", 0, lo=0, hi=10_000),
        Param("max_len", "int", 0, (0, 16, 32, 64, 128, 256)),  # 0 = auto
        Param("budget", "int", 256, (64, 128, 256, 512)),
        Param("test", "int", 500, lo=10, hi=2000),  # test texts scored by a single run
        Param("race_test", "int", RACE_TEST, lo=10, hi=2000),  # ... and by a race (it scores every racer)
        Param("batch", "int", 16, (4, 8, 16, 32, 64)),
        *_setfit(),
    ),
    "fewshot": (
        Param("data", "str", DATA_SETS[0], DATA_SETS),
        Param("methods", "list", DEFAULT_METHODS, FEWSHOT_METHODS),
        Param("shots", "list", DEFAULT_SHOTS, SHOT_CHOICES),
        Param("seeds", "int", 3, lo=1, hi=10),
        Param("test", "int", CURVE_TEST, lo=20, hi=1000),
        Param("prompt_k", "int", PROMPT_MAX_K, PROMPT_K_CHOICES),  # prompting stops at this K
        Param("epochs", "int", 10, lo=1, hi=20),
        Param("calibrate", "bool", False),
        *(Param(f"bb_{m}", "str", AUTO, (AUTO, *BACKBONES)) for m in FEWSHOT_METHODS),  # auto = the set's default
        Param("metric", "str", "acc", ("acc", "f1")),
        Param("sens_k", "int", 2, (1, 2, 4, 8)),
        Param("sens_orders", "int", 4, lo=2, hi=8),
        Param("sens_test", "int", 100, lo=20, hi=500),
        *_setfit(),
    ),
    "pretraining": (
        Param("objective", "str", "mlm", OBJECTIVES),
        Param("tab", "str", "example", ("example", "predict", "live", "cards")),
        Param("sentence", "str", "", hi=500),  # the example's sentence ("" = the page's)
        Param("seed", "int", 0, lo=0, hi=10_000),  # the example's masking draw
        Param("input", "str", "", hi=500),  # the shipped model's input ("" = the objective's own example)
        Param("steps", "int", 300, lo=50, hi=600),  # live pretraining
    ),
    "embeddings": (
        Param("set", "str", POLYSEMY_SETS[0], POLYSEMY_SETS),
        Param("contextual", "str", AUTO, (AUTO, *BACKBONES)),  # auto = a backbone that reads the set's language
        Param("static", "str", "glove-6b-50d", BACKBONES),
        Param("layer", "int", -1, lo=-1, hi=64),  # -1 = the top layer
        Param("method", "str", "pca", PROJECTIONS),
        Param("sdata", "str", "wiki-topics", DATA_SETS),  # 11 topics: the clearest "frozen features + linear head"
        Param("sbackbone", "str", "minilm-l6", BACKBONES),
        Param("sn", "int", 300, lo=50, hi=1000),
        Param("pooling", "str", "mean", POOLINGS),
        Param("smethod", "str", "pca", PROJECTIONS),
    ),
    "attention": (
        Param("tab", "str", "masks", ATTENTION_SECTIONS),
        Param("text", "str", "", hi=8000),  # "" = the default text in the user's language
        Param("backbone", "str", "minilm-l6", BACKBONES),
        Param("target", "str", "", hi=2000),  # the decoder's text (encoder-decoder)
        Param("padding", "int", 2, lo=0, hi=4),  # masks: padding tokens drawn
        Param("prefix", "int", -1, lo=-1, hi=10_000),  # masks: prefix-LM prefix length; -1 = half the text
        Param("layer", "int", 0, lo=0, hi=64),  # attention heads: layer (from 1); 0 = the top layer
        Param("head", "int", 1, lo=1, hi=64),
        Param("mlm_layer", "int", 0, lo=0, hi=64),  # 0 = the top layer
        Param("swap_layer", "int", 1, lo=1, hi=64),
        Param("tok_text", "str", "", hi=1000),  # sub-word pieces: "" = the default text in the user's language
        Param("mlm_backbone", "str", AUTO, (AUTO, *BACKBONES)),
        Param("next_backbone", "str", AUTO, (AUTO, *BACKBONES)),
        Param("swap_backbone", "str", AUTO, (AUTO, *BACKBONES)),  # auto = the input form's backbone
        Param("top_k", "int", 5, lo=3, hi=10),
    ),
    "models": (
        Param("tab", "str", "backbones", ("backbones", "datasets", "csv")),
        Param("backbone", "str", BACKBONES[0], BACKBONES),
        Param("data", "str", DATA_SETS[0], DATA_SETS),
    ),
    "runs": (
        Param("metric", "str", "test_accuracy",
              ("test_accuracy", "test_macro_f1", "test_loss", "train_loss", "train_accuracy")),
        Param("page", "int", 1, lo=1, hi=1_000_000),
    ),
}


def params(page: str) -> tuple[Param, ...]:
    """The settings of `page` (a page without settings, or an unknown one, has none)."""
    return PAGE_PARAMS.get(page, ())


def param(page: str, name: str) -> Param:
    return next(p for p in params(page) if p.name == name)


def widget_key(page: str, name: str) -> str:
    """The `st.session_state` key of the widget that shows setting `name` of `page`."""
    return f"{page}.{name}"


def defaults(page: str) -> dict[str, Any]:
    return {p.name: p.default for p in params(page)}


def _item_type(p: Param) -> type:
    sample = p.choices[0] if p.choices else (p.default[0] if p.default else "")
    return type(sample)


def _scalar(text: str, kind: type) -> Any:
    """One value from its text (raises ValueError when it is not of that kind)."""
    if kind is str:
        return text  # free text keeps its spaces
    text = text.strip()
    if kind is bool:
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(text)
    if kind is int:
        return int(text)
    if kind is float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        return value
    return text


def _allowed(p: Param, value: Any) -> bool:
    if p.choices is not None:
        return value in p.choices
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (p.lo is None or value >= p.lo) and (p.hi is None or value <= p.hi)
    if isinstance(value, str):
        return p.hi is None or len(value) <= p.hi
    return True


def parse_value(p: Param, text: str) -> Any:
    """`text` as the value of `p`, or ValueError when it is not one of its values."""
    if p.kind == "list":
        kind = _item_type(p)
        items = tuple(dict.fromkeys(_scalar(part.strip(), kind) for part in text.split(",") if part.strip()))
        if any(p.choices is not None and item not in p.choices for item in items):
            raise ValueError(text)
        return items
    value = _scalar(text, {"str": str, "int": int, "float": float, "bool": bool}[p.kind])
    if not _allowed(p, value):
        raise ValueError(text)
    return value


def valid(p: Param, value: Any) -> bool:
    """Whether `value` is one of the values of `p` (what parse would give back for its text)."""
    try:
        return bool(_same(p, parse_value(p, format_value(p, value)), value))
    except (ValueError, TypeError):
        return False


def parse(page: str, query: Mapping[str, str]) -> tuple[dict[str, Any], list[PLMError]]:
    """Every setting of `page` from a URL's query: a value for each (default where absent or bad), and one
    problem per bad or unknown key (never raises). `lang`, `u` and other pages' globals are not problems."""
    values, problems = defaults(page), []
    known = {p.name: p for p in params(page)}
    for key, text in query.items():
        if key in GLOBAL_KEYS:
            continue
        if key not in known:
            problems.append(PLMError("url.err.unknown", name=key, page=page))
            continue
        try:
            values[key] = parse_value(known[key], str(text))
        except (ValueError, TypeError):
            p = known[key]
            problems.append(PLMError("url.err.bad_value", name=key, value=str(text)[:60],
                                     default=format_value(p, p.default), allowed=describe(p)))
    return values, problems


def format_value(p: Param, value: Any) -> str:
    """The URL text of a value: lists comma-separated, bools 1/0, floats in their shortest exact form."""
    if p.kind == "list":
        return ",".join(str(v) for v in value)
    if p.kind == "bool":
        return "1" if value else "0"
    if p.kind == "float":
        return repr(float(value))
    return str(value)


def describe(p: Param) -> str:
    """The allowed values of `p`, for a message: 'a, b, c' or '1–20'."""
    if p.choices is not None:
        shown = ", ".join(str(c) for c in p.choices[:12])
        return shown + (", …" if len(p.choices) > 12 else "")
    if p.kind == "bool":
        return "0, 1"
    if p.kind == "str":
        return f"≤ {p.hi:g}" if p.hi is not None else "…"
    if p.lo is not None and p.hi is not None:
        return f"{p.lo:g}–{p.hi:g}"
    return "…"


def _same(p: Param, a: Any, b: Any) -> bool:
    if p.kind == "list":
        return tuple(a) == tuple(b)
    if p.kind == "float":
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    return bool(a == b)


def encode(page: str, values: Mapping[str, Any]) -> dict[str, str]:
    """The query of these values: only the settings that differ from their default, in registry order."""
    out: dict[str, str] = {}
    for p in params(page):
        if p.name in values and not _same(p, values[p.name], p.default):
            out[p.name] = format_value(p, values[p.name])
    return out


def link(page: str, values: Mapping[str, Any], base_url: str, lang: str) -> str:
    """The full address of this view of `page`: base URL, the page's path, `lang` and its changed settings.

    The job owner id `u` is left out on purpose: a shared link gives its reader their own jobs."""
    path = "" if page == "home" else page
    query = {LANG: lang} | encode(page, values)
    return f"{base_url.rstrip('/')}/{path}?{urlencode(query, safe=',')}"


def base_url(request_url: str, public_url: str | None = None, lan_address: str | None = None) -> str:
    """Where other machines reach this server: `public_url` (PLM_LAB_PUBLIC_URL) when set; else the scheme,
    host and port this browser used, a loopback host replaced by the machine's LAN address when one is given
    (the server then listens on the network: `--server.address 0.0.0.0`)."""
    if public_url:
        return public_url.rstrip("/")
    parts = urlsplit(request_url or "http://localhost:8501")
    host = parts.hostname or ""
    if host in LOOPBACK_HOSTS and lan_address:
        host = lan_address
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{host}{port}"


def qr_png(text: str, scale: int = 6) -> bytes:
    """A QR code of exactly `text` (a share link) as PNG bytes (segno, error correction M, 4-module border)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
