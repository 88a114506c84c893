"""The Streamlit side of `plm_core.urlparams`: widgets take their first value from the URL and write it back.

    values = bind("transfer")                                   # once, before the page's widgets
    st.slider(label, 1, 20, key=key("transfer", "epochs"))      # no value=/index=/default=: the state has it
    ... # app.py runs the page through run(): sync(page) afterwards, so the address bar always holds the view
    go("transfer", {"tab": "race", "modes": ("frozen", "lora")})  # open a page with exactly these settings

A setting lives in `st.session_state[f"{page}.{name}"]`. The URL wins when it changed from outside (a fresh
load of a copied link, a lesson step): every setting of the page then comes from it (absent = default), and bad
values are warned about once, in the page's language. Otherwise (a rerun, a language switch, coming back to
the page from the sidebar) the session's values stay and are written back into the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from plm_core import urlparams as up
from ui.common import lang, tr, tr_md

WRITTEN = "_url.written"  # page -> the page's query as this session last wrote it
PROBLEMS = "_url.problems"  # page -> the problems of the link it was opened with
DROP = "_url.drop"  # query keys of the link's problems: sync() removes them from the address
RESOLVED = "_url.resolved"  # page -> {name: what the default means in this run}, see resolve()
FORCE = "_url.go"  # the page go() opens: its URL is read as a link even when it holds only defaults
LAST_PAGE = "_url.page"  # the page of the previous run
SHARE = "share-panel"  # the share popover's key (open or closed)


def _query() -> dict[str, str]:
    return {k: st.query_params.get(k, "") for k in st.query_params.keys()}  # the last value of a repeated key


def _to_state(p: up.Param, value: Any) -> Any:
    return list(value) if p.kind == "list" else value


def bind(page: str) -> dict[str, Any]:
    """Put every setting of `page` into the session state (from the URL when it changed from outside)."""
    written: dict[str, dict[str, str]] = st.session_state.setdefault(WRITTEN, {})
    names = {p.name for p in up.params(page)}
    query = _drop_leftovers(page, written)
    own = {k: v for k, v in query.items() if k in names}
    forced = st.session_state.pop(FORCE, None) == page  # go(): exactly these settings, defaults included
    # Within a session the session's own values win: a rerun request can carry a URL that lags one run behind
    # (a click during a redraw), which must not undo the click. A link or a reload is a new session (the page
    # is not in `written` yet: the URL is read); a lesson step forces its settings through go().
    changed = forced
    if changed or page not in written:
        values, problems = up.parse(page, {k: v for k, v in query.items() if k not in up.GLOBAL_KEYS})
        for p in up.params(page):
            state = up.widget_key(page, p.name)
            if changed or state not in st.session_state:  # a link sets them all; else keep what is set
                st.session_state[state] = _to_state(p, values[p.name])
        st.session_state.setdefault(PROBLEMS, {})[page] = problems
        st.session_state[DROP] = [str(e.params["name"]) for e in problems]  # out of the URL at the next sync
        st.session_state.setdefault(RESOLVED, {})[page] = {}
        written[page] = own
    return values_of(page)


def _drop_leftovers(page: str, written: dict[str, dict[str, str]]) -> dict[str, str]:
    """The URL's query, less the previous page's settings when a navigation carried them over unchanged (they
    are that page's view, not a link to this one; a lesson step's own query differs and counts as a link)."""
    query, previous = _query(), st.session_state.get(LAST_PAGE)
    st.session_state[LAST_PAGE] = page
    if previous is None or previous == page or previous not in written:
        return query
    settings = {k: v for k, v in query.items() if k not in up.GLOBAL_KEYS}
    if settings != written[previous]:
        return query
    for k in settings:
        del st.query_params[k]
    return {k: v for k, v in query.items() if k in up.GLOBAL_KEYS}


def values_of(page: str) -> dict[str, Any]:
    """The page's settings as they stand (a resolved default counts as the default)."""
    resolved = st.session_state.get(RESOLVED, {}).get(page, {})
    out: dict[str, Any] = {}
    for p in up.params(page):
        value = st.session_state.get(up.widget_key(page, p.name), p.default)
        if p.name in resolved and value == resolved[p.name] or not up.valid(p, value):
            value = p.default  # the resolved default, or what no link can carry (an uploaded file)
        out[p.name] = tuple(value) if p.kind == "list" else value
    return out


def warn(page: str) -> None:
    """The problems of the link this page was opened with, once, in the user's language."""
    for err in st.session_state.get(PROBLEMS, {}).pop(page, []):
        st.warning(tr_md(err.key, **err.params), icon=":material/link_off:")


def key(page: str, name: str, options: Sequence[Any] | None = None, lo: float | None = None,
        hi: float | None = None) -> str:
    """The widget key of setting `name`, after making its value fit this widget (its options or lo..hi, which
    may be narrower than the registry's: e.g. k up to this backbone's layers): else its default, else the
    first option or the nearest bound."""
    p, state = up.param(page, name), up.widget_key(page, name)
    value = st.session_state.get(state, _to_state(p, p.default))
    if options is not None:
        allowed = list(options)
        if p.kind == "list":
            value = [v for v in value if v in allowed]
        elif value not in allowed:
            fallbacks = [st.session_state.get(RESOLVED, {}).get(page, {}).get(name), p.default, allowed[0]]
            value = next(v for v in fallbacks if v in allowed)
    if lo is not None and isinstance(value, (int, float)) and value < lo:
        value = p.default if lo <= p.default <= (hi if hi is not None else p.default) else type(value)(lo)
    if hi is not None and isinstance(value, (int, float)) and value > hi:
        value = p.default if (lo if lo is not None else p.default) <= p.default <= hi else type(value)(hi)
    st.session_state[state] = value
    return state


def spec(page: str, name: str) -> up.Param:
    """The declared setting (a recipe's field or a view setting): its choices, bounds, default and label key."""
    return up.param(page, name)


def options(page: str, name: str) -> list[Any]:
    """The allowed values of a setting with choices, for its widget."""
    return list(up.param(page, name).choices or ())


def label(page: str, name: str, **params: Any) -> str:
    """The widget label of a setting in the user's language (its catalog key is declared with it)."""
    return tr(up.param(page, name).label, **params)


def ranged(widget: Callable[..., Any], page: str, name: str, **kwargs: Any) -> Any:
    """A slider or number input of a setting with bounds: its label, lo and hi from its declaration."""
    p = up.param(page, name)
    cast = int if p.kind == "int" else float
    return widget(label(page, name), cast(p.lo or 0), cast(p.hi or 0), key=key(page, name), **kwargs)


def chosen(widget: Callable[..., Any], page: str, name: str, **kwargs: Any) -> Any:
    """A select slider, select box, radio or multiselect of a setting with choices, all from its declaration."""
    return widget(label(page, name), options(page, name), key=key(page, name), **kwargs)


def resolve(page: str, name: str, value: Any) -> None:
    """What the default of `name` means in this run (the top layer, the set's backbone): the widget shows
    `value` while the user has not chosen another one, and the URL leaves it out. Call before the widget."""
    p, state = up.param(page, name), up.widget_key(page, name)
    resolved: dict[str, Any] = st.session_state.setdefault(RESOLVED, {}).setdefault(page, {})
    current = st.session_state.get(state, p.default)
    if current == p.default or (name in resolved and current == resolved[name]):
        st.session_state[state] = value
    resolved[name] = value


def tabs(page: str, keys: Sequence[str], name: str = "tab", prefix: str = "") -> list[Any]:
    """st.tabs whose open tab is the setting `name` (from the URL, kept over a language switch), labelled
    `<prefix or page>.tab.<key>`. Only the open tab runs: draw a tab's content under `if tab.open:`."""
    state = up.widget_key(page, name)
    chosen = str(st.session_state.get(state)) if st.session_state.get(state) in keys else keys[0]
    labels = [tr(f"{prefix or page}.tab.{k}") for k in keys]
    by_label = dict(zip(labels, keys, strict=True))
    widget = f"{state}-{lang()}"

    def remember() -> None:
        st.session_state[state] = by_label.get(str(st.session_state.get(widget, "")), keys[0])

    st.session_state[state] = chosen
    st.session_state[widget] = labels[list(keys).index(chosen)]
    return list(st.tabs(labels, key=widget, on_change=remember))


def sections(page: str, options: Sequence[str], label: str, format_func: Callable[[Any], str],
             name: str = "tab") -> str:
    """A segmented control for a page's top-level sections, bound to the setting `name`."""
    chosen = st.segmented_control(label, list(options), required=True, format_func=format_func,
                                  key=key(page, name, options))
    return str(chosen or options[0])


def sync(page: str) -> None:
    """Write the page's settings (changed ones only), the language and the job owner into the URL."""
    encoded = up.encode(page, values_of(page))
    stale = {p.name for p in up.params(page)} | set(st.session_state.pop(DROP, []))
    for k in list(st.query_params.keys()):
        if k in stale and k not in encoded and k not in up.GLOBAL_KEYS:
            del st.query_params[k]
    for k, v in encoded.items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
    if st.query_params.get(up.LANG) != lang():
        st.query_params[up.LANG] = lang()
    st.session_state.setdefault(WRITTEN, {})[page] = encoded


def run(navigation: Any, page: str) -> None:
    """Run the page, then write its settings into the URL. Not after a rerun request (st.rerun, st.switch_page):
    the next run writes them, and a page switch's own query must not get this page's settings."""
    try:
        navigation.run()
    except BaseException as err:
        if type(err).__name__ != "RerunException":  # st.stop() and errors: the URL still holds the view
            sync(page)
        raise
    sync(page)


def go(page: str, values: Mapping[str, Any]) -> None:
    """Open `page` with exactly these settings (the others at their defaults), e.g. a lesson step's."""
    from ui.pages import page_path

    st.session_state[FORCE] = page
    query = {up.LANG: lang()} | up.encode(page, values)  # no owner id: a cookie (ui/jobs.py), never in a URL
    st.switch_page(page_path(page), query_params=query)


def keep_all() -> None:
    """Keep every page's settings across pages: Streamlit forgets a widget's value on a run that does not
    draw it (another page, a closed tab, a hidden slider) unless the value is set again before its widgets."""
    for page in up.PAGE_PARAMS:
        for p in up.params(page):
            state = up.widget_key(page, p.name)
            if state in st.session_state:
                st.session_state[state] = st.session_state[state]


def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent), or None without one."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: picks the outgoing interface only
        address = str(probe.getsockname()[0])
    except (OSError, RuntimeError):
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def share_base() -> str:
    """The base URL of share links: PLM_LAB_PUBLIC_URL, else this request's host (a loopback host becomes the
    LAN address when the server listens beyond this machine)."""
    import os

    listens = str(st.get_option("server.address") or "0.0.0.0")
    lan = lan_address() if listens not in ("localhost", "127.0.0.1", "::1") else None
    return up.base_url(str(st.context.url or ""), os.environ.get(up.PUBLIC_URL_ENV), lan)


def share_button(page: str) -> None:
    """Sidebar: "Share" opens the link of this view and its QR code (the QR holds exactly that link)."""
    panel = st.sidebar.popover(tr("share.button"), icon=":material/qr_code_2:", width="stretch", key=SHARE,
                               on_change="rerun")
    if not panel.open:  # built when opened: the link of the view as it is then
        return
    with panel:
        from ui.lesson import share_query  # a lesson step's link opens that step (lesson and step; no owner)

        url = up.link(page, values_of(page), share_base(), lang()) + "".join(
            f"&{k}={v}" for k, v in share_query().items())
        st.markdown(f"**{tr('share.title')}**")
        st.caption(tr("share.help"))
        st.code(url, language=None, wrap_lines=True)
        st.image(up.qr_png(url), width=240, caption=tr("share.qr_caption"))
        host = (urlsplit(url).hostname or "")
        if host in up.LOOPBACK_HOSTS:
            st.warning(tr("share.local_only"), icon=":material/lan:")
