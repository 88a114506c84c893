"""Message catalog: every piece of UI text, in Korean and English.

Each module in `plm_core/i18n/catalog/` (listed in its `CATALOGS`) defines
`MESSAGES = {key: {"en": "...", "ko": "..."}}`; one module per page or area, so features add their own text
without touching each other's. Values are
`str.format` templates: `t("data.err.missing_column", "ko", column="text", found="a, b")`. A Korean particle
after a value is a format spec naming it, chosen by how the value ends (`plm_core.i18n.korean`):
"{name:은} 고정됩니다" → "MiniLM은 고정됩니다"; never a "은(는)" fallback.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from plm_core.i18n.korean import format_message

LANGUAGES: dict[str, str] = {"ko": "한국어", "en": "English"}
DEFAULT_LANGUAGE = "ko"


@lru_cache(maxsize=1)
def all_messages() -> dict[str, dict[str, str]]:
    """All messages from every catalog module, merged; a key defined twice is an error."""
    from plm_core.i18n.catalog import CATALOGS

    merged: dict[str, dict[str, str]] = {}
    for module in CATALOGS:
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice (second time in {module.__name__})")
            merged[key] = texts
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message `key` in `lang` (falls back to English, then to the key itself), filled with params."""
    texts = all_messages().get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts.get("en") or key
    try:
        return format_message(template, params) if params else template
    except (KeyError, IndexError):
        return template
