"""One typed exception for everything a user can get wrong.

A `PLMError` carries a message key (looked up in the message catalog, `plm_core.i18n`) and the values
that fill it, so the UI can show it in the user's language and the CLI in English.
"""

from __future__ import annotations

from typing import Any


class PLMError(Exception):
    """A problem the user can fix; `str(err)` is the English message, `err.message(lang)` any language."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        from plm_core.i18n import t

        return t(self.key, lang, **self.params)
