"""PLM Lab — the router. Pages live in app_pages/, text in plm_core/i18n/catalog/, logic in plm_core/."""

from pathlib import Path

import streamlit as st

from ui import urlstate
from ui.backend_banner import backend_banner
from ui.common import guard, init_language, language_switch, tr
from ui.jobs import heartbeat
from ui.pages import available_pages

st.set_page_config(page_title="PLM Lab", page_icon=str(Path(__file__).parent / "assets" / "icon.png"), layout="wide")
init_language()
urlstate.keep_all()  # every page's settings survive a visit to another page
sections: dict[str, list] = {}
for page in available_pages():
    sections.setdefault(tr(page.section), []).append(
        st.Page(page.path, title=tr(f"{page.key}.title"), icon=page.icon, default=page.key == "home", url_path=page.key)
    )
navigation = st.navigation(sections)
language_switch()
current = navigation.url_path or "home"
urlstate.bind(current)  # the page's settings from the URL (a copied link, a lesson step) or from this session
urlstate.share_button(current)
st.sidebar.caption(tr("common.sidebar_note"))
with guard():  # the job service (Ray connecting, lost, unreachable) never stops a page
    heartbeat()  # while this browser has jobs running, it tells the job service it is still here
    backend_banner()  # which backend runs jobs: local workers, Ray at host:port, or Ray unreachable
urlstate.warn(current)  # a link's bad values: one warning each, above the page
urlstate.run(navigation, current)  # then the address bar holds the view (also when the page stopped early)
