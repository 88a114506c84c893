"""Cached loaders: one copy of each model per server, shared by every session (never train it in place)."""

from __future__ import annotations

import streamlit as st

from plm_core.backbones import Backbone
from plm_core.data import SampleSet


@st.cache_resource(show_spinner=False, max_entries=8)
def backbone(name: str, random_init: bool = False) -> Backbone:
    from plm_core.backbones import load_backbone

    return load_backbone(name, random_init=random_init)


@st.cache_resource(show_spinner=False, max_entries=8)
def dataset(name: str) -> SampleSet:
    from plm_core.data import get_dataset

    return get_dataset(name)


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_dataset(data: bytes, name: str) -> SampleSet:
    from plm_core.data import load_csv

    return load_csv(data, name=name)


def load_backbone_with_spinner(name: str, random_init: bool = False) -> Backbone:
    from ui.common import tr

    with st.spinner(tr("common.loading_model", name=name)):
        return backbone(name, random_init)
