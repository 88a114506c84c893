"""Language, translated text and friendly errors for every page."""

from __future__ import annotations

import traceback
from contextlib import contextmanager
from typing import Any, Iterator

import streamlit as st

from plm_core.errors import PLMError
from plm_core.i18n import DEFAULT_LANGUAGE, LANGUAGES, all_messages, t

LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY) or DEFAULT_LANGUAGE


def tr(key: str, **params: Any) -> str:
    """The catalog message `key` in the user's language."""
    return t(key, lang(), **params)


def column_labels(frame: Any) -> dict[str, str]:
    """column_config labels for st.dataframe: every column with a catalog header `col.<name>`, translated."""
    messages = all_messages()
    return {str(c): tr(f"col.{c}") for c in frame.columns if f"col.{c}" in messages}


def table(frame: Any, target: Any = None, **kwargs: Any) -> Any:
    """st.dataframe with the catalog's column headers (the frame itself keeps its column names)."""
    config = column_labels(frame) | kwargs.pop("column_config", {})
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return (target or st).dataframe(frame, column_config=config, **kwargs)


def spec_text(spec: Any, field: str) -> str:
    """A backbone's description field (pretrained_on, objective, notes) in the user's language: the catalog's
    `backbone.<name>.<field>` where it has this language, else the spec's own (English) text."""
    texts = all_messages().get(f"backbone.{spec.name}.{field}", {})
    return texts.get(lang()) or getattr(spec, field)


def dataset_label(name: str, key: str = "") -> str:
    """A sample set's name (key "") or description (key ".description") in the user's language."""
    from plm_core.data import DATASETS

    if f"dataset.{name}{key}" in all_messages():
        return tr(f"dataset.{name}{key}")
    info = DATASETS[name][0] if name in DATASETS else None
    return (info.description if key else info.display) if info else name


def init_language() -> None:
    """Pick the language once per session: ?lang=en|ko in the URL, else Korean."""
    if LANG_KEY not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANG_KEY] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The sidebar switch every page honours (all text comes from the catalog in this language). The URL
    carries ?lang on every run, so it follows the switch, survives navigation and a reload."""
    st.sidebar.radio(
        t("common.language_label", DEFAULT_LANGUAGE), options=list(LANGUAGES), format_func=LANGUAGES.get, key=LANG_KEY, horizontal=True,
    )
    if st.query_params.get(LANG_KEY) != lang():
        st.query_params[LANG_KEY] = lang()


def tabs(slot: str, keys: list[str]) -> list[Any]:
    """st.tabs whose open tab survives a language switch: labels are `<slot>.tab.<key>` in the user's
    language; the open tab is remembered by key (not by label, which the switch changes)."""
    remembered, labels = f"{slot}-open-tab", [tr(f"{slot}.tab.{k}") for k in keys]
    widget = f"{slot}-tabs-{lang()}"
    by_label = dict(zip(labels, keys))

    def remember() -> None:
        st.session_state[remembered] = by_label.get(st.session_state.get(widget), keys[0])

    chosen = st.session_state.get(remembered, keys[0])
    return list(st.tabs(labels, default=labels[keys.index(chosen)] if chosen in keys else labels[0], key=widget,
                        on_change=remember))


def show_error(err: BaseException) -> None:
    if isinstance(err, PLMError):
        st.error(err.message(lang()), icon=":material/error:")
        return
    st.error(tr("common.unexpected_error", kind=type(err).__name__, detail=str(err)[:300]), icon=":material/bug_report:")
    with st.expander(tr("common.error_details")):
        st.code("".join(traceback.format_exception(err))[-4000:], language="text")


@contextmanager
def guard() -> Iterator[None]:
    """Run page code and turn any error into a message in the user's language, never a raw traceback."""
    try:
        yield
    except st.runtime.scriptrunner.StopException:  # type: ignore[attr-defined]
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
