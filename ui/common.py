"""Language, translated text and friendly errors for every page."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from plm_core.errors import PLMError
from plm_core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY) or DEFAULT_LANGUAGE


def tr(key: str, **params: Any) -> str:
    """The catalog message `key` in the user's language."""
    return t(key, lang(), **params)


def init_language() -> None:
    """Pick the language once per session: ?lang=en|ko in the URL, else Korean."""
    if LANG_KEY not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANG_KEY] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The sidebar switch every page honours (all text comes from the catalog in this language)."""
    st.sidebar.radio(
        "Language / 언어", options=list(LANGUAGES), format_func=LANGUAGES.get, key=LANG_KEY, horizontal=True,
    )


def show_error(err: BaseException) -> None:
    if isinstance(err, PLMError):
        st.error(err.message(lang()), icon=":material/error:")
        return
    st.error(tr("common.unexpected_error", kind=type(err).__name__, detail=str(err)[:300]),
             icon=":material/bug_report:")
    with st.expander(tr("common.error_details")):
        st.code("".join(traceback.format_exception(err))[-4000:], language="text")


@contextmanager
def guard() -> Iterator[None]:
    """Run page code and turn any error into a message in the user's language, never a raw traceback."""
    try:
        yield
    except st.runtime.scriptrunner.StopException:
        raise
    except Exception as err:  # noqa: BLE001 - the page boundary: show, don't crash
        if type(err).__name__ in ("RerunException", "StopException"):
            raise
        show_error(err)


def show_notices(notices: list[tuple[str, dict]]) -> None:
    for key, params in notices:
        st.info(tr(key, **params), icon=":material/info:")


def page_header(key: str, title_key: str | None = None) -> None:
    """Title and one-line lead of a page, from `<key>.title` (or `title_key`) and `<key>.lead`."""
    st.title(tr(title_key or f"{key}.title"))
    st.caption(tr(f"{key}.lead"))
