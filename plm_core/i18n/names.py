"""The names a person reads for the code names of strategies, few-shot methods and run labels.

Run labels are built from code names ("frozen", "lora r=8 + edits", "frozen (mean, logreg, L6) · seed 3"); they
stay the identifiers stores and caches key on, and every screen, legend, table and reveal sentence shows them
through `run_name(label, lang)`: "본체 고정 (토큰 평균, 로지스틱 회귀, 6층) · 시드 3".
"""

from __future__ import annotations

import re
from typing import Any

from plm_core.i18n import all_messages, t

LABEL = re.compile(r"^(?P<preset>[a-z_]+)(?: r=(?P<r>\d+)| k=(?P<k>\d+))?(?P<edits> \+ edits)?"
                   r"(?: \((?P<detail>[^()]*)\))?(?: · seed (?P<seed>\d+))?$")
FEWSHOT_METHODS = ("similarity", "prompt", "cloze", "frozen", "finetune")


def strategy_name(preset: str, lang: str, k: int | str = "k", r: int | str = "r") -> str:
    """A strategy preset's short name ("frozen" -> "본체 고정"); an unknown one is returned as it is."""
    key = f"term.strategy.{preset}"
    return t(key, lang, k=k, r=r) if key in all_messages() else preset


def run_name(label: str, lang: str) -> str:
    """A run or racer label in `lang`: the strategy's name, its k / rank, edits, pooling, head, layer, seed."""
    m = LABEL.match(str(label))
    if m is None or f"term.strategy.{m['preset']}" not in all_messages():
        return str(label)
    name = strategy_name(m["preset"], lang, k=m["k"] or "k", r=m["r"] or "r")
    if m["edits"]:
        name = t("term.edits", lang, name=name)
    if m["detail"] is not None:
        name += f" ({', '.join(_detail(part.strip(), lang) for part in m['detail'].split(','))})"
    if m["seed"] is not None:
        name = t("term.seed", lang, name=name, seed=m["seed"])
    return name


def _detail(part: str, lang: str) -> str:
    """One part of a racer's distinguishing detail: a pooling, a head or a layer ("L6")."""
    for key in (f"transfer.pooling.{part}", f"transfer.head.{part}"):
        if key in all_messages():
            return t(key, lang)
    if re.fullmatch(r"L-?\d+", part):
        return t("term.layer", lang, n=part[1:])
    return part


def method_name(method: str, lang: str) -> str:
    """A few-shot method's name ("prompt" -> "프롬프트 (문맥 내)")."""
    key = f"fewshot.method.{method}"
    return t(key, lang) if key in all_messages() else method


def term_name(value: Any, lang: str, methods: bool = False) -> Any:
    """A code name a sentence or a table shows: a run label (or, with `methods`, a few-shot method) by its name;
    anything else (numbers, other words) unchanged."""
    if not isinstance(value, str):
        return value
    if methods and value in FEWSHOT_METHODS:
        return method_name(value, lang)
    return run_name(value, lang)
