"""A recipe: one experiment as a frozen, typed dataclass whose fields declare their own URL name, type,
default, allowed values and catalog label. The form, the share link, the lesson step, the CLI's flags and
the cache key all read the same object.

    recipe, problems = TransferRun.parse({"backbone": "minilm-l6", "n": "256"})   # URL or CLI values
    recipe.encode()        # {"n": "256"}: only what differs from the defaults
    recipe.normalized()    # the canonical form (layer -1 -> the top index, "auto" resolved, lists sorted)
    recipe.kind            # the job kind it runs as ("transfer")
    recipe.job_config()    # the typed config that job kind runs, built from the normalized recipe
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from plm_core.errors import PLMError

Kind = Literal["str", "int", "float", "bool", "list"]
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
AUTO = "auto"  # a str setting whose value is resolved from others (e.g. "the data set's language's backbone")


@dataclass(frozen=True)
class Param:
    """One setting: its URL name, type, default and allowed values (choices, or lo..hi)."""

    name: str  # the URL query key, short: "backbone", "modes", "n", "epochs", "seed", "tab", "k"
    kind: Kind
    default: Any  # a list's default is a tuple
    choices: tuple | None = None  # allowed values (of a list: allowed items; their type is the items' type)
    lo: float | None = None  # int/float bounds, inclusive
    hi: float | None = None  # ... and of a free text (no choices): its longest length
    label: str = ""  # catalog key of the widget's label ("" = none shown)


def setting(name: str, kind: Kind, default: Any, choices: tuple | None = None, lo: float | None = None,
            hi: float | None = None, label: str = "", sort: bool = True) -> Any:
    """A recipe field that carries its Param (URL name, bounds or choices, label key) as metadata; a list is
    sorted by `normalized()` unless its order means something (`sort=False`, e.g. a race's racers)."""
    return dataclasses.field(default=default, metadata={"param": Param(name, kind, default, choices, lo, hi, label),
                                                        "sort": sort})


def _item_type(p: Param) -> type:
    sample = p.choices[0] if p.choices else (p.default[0] if p.default else "")
    return type(sample)


def _scalar(text: str, kind: type) -> Any:
    """One value from its text (raises ValueError when it is not of that kind)."""
    if kind is str:
        return text  # free text keeps its spaces
    text = text.strip()
    if kind is bool:
        if text.lower() in TRUE_WORDS + FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        raise ValueError(text)
    value = int(text) if kind is int else float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


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


def format_value(p: Param, value: Any) -> str:
    """The URL text of a value: lists comma-separated, bools 1/0, floats in their shortest exact form."""
    if p.kind == "list":
        return ",".join(str(v) for v in value)
    if p.kind == "bool":
        return "1" if value else "0"
    if p.kind == "float":
        return repr(float(value))
    return str(value)


def same(p: Param, a: Any, b: Any) -> bool:
    if p.kind == "list":
        return tuple(a) == tuple(b)
    if p.kind == "float":
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    return bool(a == b)


def valid(p: Param, value: Any) -> bool:
    """Whether `value` is one of the values of `p` (what parse would give back for its text)."""
    try:
        return bool(same(p, parse_value(p, format_value(p, value)), value))
    except (ValueError, TypeError):
        return False


def allowed_text(p: Param) -> str:
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


def value_of(p: Param, raw: Any, bounds: bool = True) -> Any:
    """A URL text or an already typed value (a CLI's) as the value of `p`; ValueError when it is not one.
    bounds=False checks the type only (the CLI: the core's own checks then say what is wrong)."""
    if not bounds:
        p = dataclasses.replace(p, choices=None, lo=None, hi=None)
    if isinstance(raw, str) or raw is None:
        return parse_value(p, "" if raw is None else raw)
    value = tuple(raw) if p.kind == "list" else raw
    if p.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not valid(p, value):
        raise ValueError(raw)
    return value


def bad_value(p: Param, raw: Any) -> PLMError:
    return PLMError("url.err.bad_value", name=p.name, value=str(raw)[:60], default=format_value(p, p.default),
                    allowed=allowed_text(p))


R = TypeVar("R", bound="Recipe")


@dataclass(frozen=True)
class Recipe:
    """The base of every recipe. A subclass declares its fields with `setting(...)` and says what it runs."""

    kind: ClassVar[str] = ""  # the job kind (plm_core.jobs.kinds) that runs `job_config()`
    page: ClassVar[str] = ""  # the page whose form and URL hold it
    label: ClassVar[str] = ""  # catalog key of its name

    @classmethod
    def params(cls) -> tuple[Param, ...]:
        """Its settings in declaration order."""
        return tuple(f.metadata["param"] for f in dataclasses.fields(cls) if "param" in f.metadata)

    @classmethod
    def field_names(cls) -> dict[str, str]:
        """URL name -> field name."""
        return {f.metadata["param"].name: f.name for f in dataclasses.fields(cls) if "param" in f.metadata}

    @classmethod
    def parse(cls: type[R], query: Mapping[str, Any], bounds: bool = True) -> tuple[R, list[PLMError]]:
        """The recipe from URL texts or typed CLI values keyed by URL name; a bad value keeps its default and
        is one problem naming its key. Keys that are not this recipe's are left to the caller. bounds=False
        (the CLI) checks types only: values beyond the page's choices and bounds are the core's to judge."""
        names, params = cls.field_names(), {p.name: p for p in cls.params()}
        values, problems = {}, []
        for key, raw in query.items():
            if key not in params:
                continue
            try:
                values[names[key]] = value_of(params[key], raw, bounds)
            except (ValueError, TypeError):
                problems.append(bad_value(params[key], raw))
        return cls(**values), problems

    @classmethod
    def from_flags(cls: type[R], flags: Mapping[str, Any]) -> R:
        """The recipe from the CLI's typed flags keyed by URL name (None: not given); a bad one raises its problem."""
        recipe, problems = cls.parse({k: v for k, v in flags.items() if v is not None}, bounds=False)
        if problems:
            raise problems[0]
        return recipe

    def values(self) -> dict[str, Any]:
        """URL name -> value."""
        return {url: getattr(self, name) for url, name in self.field_names().items()}

    def encode(self) -> dict[str, str]:
        """The query of this recipe: only the settings that differ from their default, in declaration order."""
        now = self.values()
        return {p.name: format_value(p, now[p.name]) for p in self.params() if not same(p, now[p.name], p.default)}

    def normalized(self: R) -> R:
        """The canonical form the cache key hashes (a subclass resolves what depends on the backbone)."""
        lists = {f.name: tuple(sorted(getattr(self, f.name))) for f in dataclasses.fields(self)  # one item type
                 if f.metadata.get("param") and f.metadata["param"].kind == "list" and f.metadata.get("sort", True)}
        return dataclasses.replace(self, **lists)

    def describe(self, lang: str) -> str:
        """'Transfer run · backbone=minilm-l6, n=256' in `lang` (the settings that differ from the defaults)."""
        from plm_core.i18n import t

        encoded = self.encode()
        changed = ", ".join(f"{t(p.label, lang) if p.label else p.name}={encoded[p.name]}"
                            for p in self.params() if p.name in encoded)
        return t(self.label, lang) + (f" · {changed}" if changed else "")

    def job_config(self) -> Any:
        """The typed config the job kind runs (built from `normalized()`)."""
        raise NotImplementedError(type(self).__name__)

    def with_(self: R, **changes: Any) -> R:
        return dataclasses.replace(self, **changes)
