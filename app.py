"""PLM Lab — the router. Pages live in pages/, text in plm_core/i18n/catalog/, logic in plm_core/."""

import streamlit as st

from ui.common import init_language, language_switch, tr
from ui.pages import available_pages

st.set_page_config(page_title="PLM Lab", page_icon=":material/school:", layout="wide")
init_language()
sections: dict[str, list] = {}
for page in available_pages():
    sections.setdefault(tr(page.section), []).append(
        st.Page(page.path, title=tr(f"{page.key}.title"), icon=page.icon, default=page.key == "home", url_path=page.key)
    )
navigation = st.navigation(sections)
language_switch()
st.sidebar.caption(tr("common.sidebar_note"))
navigation.run()
