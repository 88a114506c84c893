"""Streamlit-side helpers shared by the pages: language, cached loaders, error display, page registry.

Only this package and `app_pages/` import streamlit; `plm_core` never does.
"""
