"""Language, translated text and friendly errors for every page."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from plm_core.errors import PLMError
from plm_core.i18n import DEFAULT_LANGUAGE, LANGUAGES, all_messages, t

LANG_KEY = "lang"  # the language: a plain session key, never a widget's (see language_switch)
SWITCH_KEY = "lang-switch"  # the sidebar radio that shows and changes it
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()<>#+-=.!|~$&:")  # what Streamlit's Markdown (and KaTeX, emoji) reads


WORD_JOINER = "\u2060"  # invisible, zero width: breaks what Streamlit's Markdown would turn into a link or an icon
# Streamlit finds bare links (https://…, www.…, a@b.c) and `:material/…:` / `:red[…]` in the text *after* the
# backslash escapes are read, so escaping cannot stop them: an invisible joiner before `://`, `.` after `www`,
# `@`, and after a `:` that starts a word breaks every pattern while the text reads the same.
LINK_TRIGGERS = re.compile(r"(?i)(?<=www)(?=\.)|(?=://)|(?=@)|(?<=:)(?=[a-z])")


def defuse_links(value: Any) -> str:
    """`value` with an invisible word joiner where Streamlit's Markdown would start a link, an e-mail link, a
    Material icon or a coloured span."""
    return LINK_TRIGGERS.sub(WORD_JOINER, str(value))


def md_escape(value: Any) -> str:
    """`value` as literal text inside st.markdown/caption/info/table cells: every Markdown, HTML, math and emoji
    character backslash-escaped and bare links defused, so `![p](http://host/x.png)` or `https://host` stays
    those characters (no image, no link)."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in defuse_links(value))


def tr_md(key: str, **params: Any) -> str:
    """Like `tr`, for Markdown elements: the catalog text keeps its formatting, every string param is escaped."""
    return tr(key, **{k: md_escape(v) if isinstance(v, str) else v for k, v in params.items()})


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
    """A backbone's description field (pretrained_on, objective, notes, license) in the user's language: the catalog's
    `backbone.<name>.<field>` where it has this language, else the spec's own (English) text."""
    texts = all_messages().get(f"backbone.{spec.name}.{field}", {})
    return texts.get(lang()) or getattr(spec, field)


def backbone_label(name: str) -> str:
    """A backbone's name as selectboxes show it, in the user's language (`backbone.<name>.display`, else the
    spec's own display name); fixed when called, so a format_func that runs later keeps this language."""
    from plm_core.backbones import specs

    texts = all_messages().get(f"backbone.{name}.display", {})
    spec = specs().get(name)
    return texts.get(lang()) or (spec.display if spec is not None else name)


def backbone_labels() -> dict[str, str]:
    """Every installed backbone's label in the user's language (use `labels.__getitem__` as format_func)."""
    from plm_core.backbones import specs

    return {name: backbone_label(name) for name in specs()}


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
    carries ?lang on every run, so it follows the switch, survives navigation and a reload.

    The language lives in a plain session key (LANG_KEY); the radio (SWITCH_KEY) only shows it and is given
    the value again on every run. A widget's own state is dropped when Streamlit believes the widget is gone
    (a page change whose rerun carried no state for it), and a radio the browser redrew without a value falls
    back to its first option (한국어) and sends that with the next click: the language flipped mid-lesson."""
    st.session_state[SWITCH_KEY] = lang()  # the server's value every run: the browser never holds another

    def switched() -> None:
        chosen = st.session_state.get(SWITCH_KEY)
        st.session_state[LANG_KEY] = chosen if chosen in LANGUAGES else lang()

    st.sidebar.radio(
        t("common.language_label", DEFAULT_LANGUAGE), options=list(LANGUAGES), format_func=LANGUAGES.get,
        key=SWITCH_KEY, horizontal=True, on_change=switched,
    )
    if st.query_params.get(LANG_KEY) != lang():
        st.query_params[LANG_KEY] = lang()


def tabs(slot: str, keys: list[str]) -> list[Any]:
    """st.tabs whose open tab survives a language switch: labels are `<slot>.tab.<key>` in the user's
    language; the open tab is remembered by key (not by label, which the switch changes)."""
    remembered, labels = f"{slot}-open-tab", [tr(f"{slot}.tab.{k}") for k in keys]
    widget = f"{slot}-tabs-{lang()}"
    by_label = dict(zip(labels, keys, strict=True))

    def remember() -> None:
        st.session_state[remembered] = by_label.get(str(st.session_state.get(widget, "")), keys[0])

    chosen = st.session_state.get(remembered, keys[0])
    return list(st.tabs(labels, default=labels[keys.index(chosen)] if chosen in keys else labels[0], key=widget,
                        on_change=remember))


def show_error(err: BaseException) -> None:
    if isinstance(err, PLMError):
        st.error(tr_md(err.key, **err.params), icon=":material/error:")  # params may hold file names, labels, headers
        return
    st.error(tr_md("common.unexpected_error", kind=type(err).__name__, detail=str(err)[:300]),
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


UPLOAD_WIDGET_MB = 50  # Streamlit's own (English-only) size check sits far above ours: ours speaks first


def csv_uploader(label: str, key: str | None = None, **kwargs: Any) -> Any:
    """st.file_uploader for a CSV whose size is checked here, with a message in the user's language.

    Returns the upload, or None (nothing uploaded, or too large: then the error is shown).
    """
    from plm_core.data import MAX_UPLOAD_BYTES, check_upload_size

    upload = st.file_uploader(label, type=["csv", "txt"], key=key, max_upload_size=UPLOAD_WIDGET_MB, **kwargs)
    if upload is None:
        return None
    try:
        check_upload_size(upload.size, MAX_UPLOAD_BYTES)
    except PLMError as err:
        show_error(err)
        return None
    return upload


def show_notices(notices: list[tuple[str, dict]]) -> None:
    for key, params in notices:
        st.info(tr_md(key, **params), icon=":material/info:")


def page_header(key: str, title_key: str | None = None) -> None:
    """Title and one-line lead of a page, from `<key>.title` (or `title_key`) and `<key>.lead`."""
    st.title(tr(title_key or f"{key}.title"))
    st.caption(tr(f"{key}.lead"))
