"""Every page's settings as URL query parameters: a plain-data registry, parsing, encoding and share links.

    PAGE_PARAMS["transfer"]                      # the Transfer lab's settings, each a Param
    values, problems = parse("transfer", {"backbone": "minilm-l6", "modes": "frozen,lora", "n": "64"})
    encode("transfer", values)                   # {"modes": "frozen,lora", "n": "64"} (only what differs)
    link("transfer", values, "http://10.0.0.5:8501", "ko")   # the address of exactly this view

A page's experiment settings are its recipes' fields (`plm_core.recipes`: one declaration per setting, with
its bounds, choices and default); only view settings (the open tab, the chosen word) are declared here, once.
The URL key of a setting is its `name`; the page's widget keeps it in `st.session_state[f"{page}.{name}"]`
(`widget_key`). `lang` (the language) and `u` (the browser's job owner id) are global, not page settings.
Nothing here knows Streamlit: lessons, the CLI and tests read and write the same links.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from plm_core.backbones import POOLINGS
from plm_core.errors import PLMError
from plm_core.explorer.polysemy import polysemy_sets
from plm_core.explorer.projection import METHODS as PROJECTIONS
from plm_core.recipes import FewShotCurve, PretrainLive, PromptSensitivity, Recipe, SetFitRun, TransferRace, TransferRun
from plm_core.recipes.base import AUTO, Param, bad_value, format_value, parse_value, same, valid
from plm_core.recipes.base import allowed_text as describe
from plm_core.recipes.transfer import BACKBONES, DATA_SETS

__all__ = ["AUTO", "Param", "describe", "format_value", "parse_value", "valid"]
LANG, OWNER = "lang", "u"  # global query keys: the language and this browser's job owner id (ui/jobs.py)
GLOBAL_KEYS = (LANG, OWNER, "present", "lesson", "step",
               "teacher", "class")  # app-wide keys (presenter view, lesson step, a class's join code): no page's
PUBLIC_URL_ENV = "PLM_LAB_PUBLIC_URL"  # e.g. http://10.0.0.5:8501: the address share links and QR codes use
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "")
ATTENTION_SECTIONS = ("masks", "weights", "mlm", "next", "swap", "tokens")
PAGE_RECIPES: dict[str, tuple[type[Recipe], ...]] = {  # the experiments each page's form runs
    "transfer": (TransferRun, TransferRace, SetFitRun),
    "fewshot": (FewShotCurve, PromptSensitivity, SetFitRun),
    "pretraining": (PretrainLive,),
}
VIEW_PARAMS: dict[str, tuple[Param, ...]] = {  # what a page shows, not what it computes
    "home": (),
    "domain": (),  # the domain-fit lab keeps its settings in the page for now (no link state yet)
    "lessons": (),  # the lesson page (?teacher=1 is global: see GLOBAL_KEYS)
    "proofs": (),
    "transfer": (Param("tab", "str", "single", ("single", "race", "setfit")),),
    "fewshot": (Param("metric", "str", "acc", ("acc", "f1")),),
    "pretraining": (  # + the live run's objective and steps (PretrainLive)
        Param("tab", "str", "example", ("example", "predict", "live", "cards")),
        Param("sentence", "str", "", hi=500),  # the example's sentence ("" = the page's)
        Param("seed", "int", 0, lo=0, hi=10_000),  # the example's masking draw
        Param("input", "str", "", hi=500),  # the shipped model's input ("" = the objective's own example)
    ),
    "embeddings": (
        Param("set", "str", next(iter(polysemy_sets())), (*polysemy_sets(), "custom")),
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


def _page_params(page: str) -> tuple[Param, ...]:
    """The view settings, then every recipe's settings (a name shared by two recipes once)."""
    found: dict[str, Param] = {p.name: p for p in VIEW_PARAMS[page]}
    for recipe in PAGE_RECIPES.get(page, ()):
        for p in recipe.params():
            found.setdefault(p.name, p)
    return tuple(found.values())


PAGE_PARAMS: dict[str, tuple[Param, ...]] = {page: _page_params(page) for page in VIEW_PARAMS}


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
            problems.append(bad_value(known[key], text))
    return values, problems


def encode(page: str, values: Mapping[str, Any]) -> dict[str, str]:
    """The query of these values: only the settings that differ from their default, in registry order."""
    out: dict[str, str] = {}
    for p in params(page):
        if p.name in values and not same(p, values[p.name], p.default):
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
