"""Home: joining a class (its code, typed or from a link or QR), and the course's ideas as a map, each linking to
the page that demonstrates it."""

import streamlit as st

from ui import classroom, diagrams
from ui.common import guard, page_header, tr
from ui.lesson import step_bar
from ui.pages import page_exists, page_path

# (idea key in the catalog, pages that demonstrate it)
COURSE_MAP = (
    ("transfer", ("transfer", "runs")),
    ("pretrain", ("pretraining",)),
    ("arch", ("attention",)),
    ("embed", ("embeddings",)),
    ("fewshot", ("fewshot",)),
    ("elmo", ("pretraining", "embeddings", "transfer")),
    ("zoo", ("models",)),
)
# The course's order and the page each step of a lesson opens (the picture at the top of Home).
COURSE_PATH = (("zoo", "models"), ("transfer", "transfer"), ("pretrain", "pretraining"), ("arch", "attention"),
               ("embed", "embeddings"), ("elmo", "transfer"), ("fewshot", "fewshot"))

step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("home", "home.heading")
if classroom.current() is None:  # join a class: by its link or QR (?class=), or by typing the code
    with guard(), st.columns([2, 3])[0]:
        classroom.join_form(classroom.pending_code() or "")
diagrams.course([(idea, page) for idea, page in COURSE_PATH if page_exists(page)])
st.success(tr("home.small_data"), icon=":material/lightbulb:")
columns = st.columns(3)
for i, (idea, page_keys) in enumerate(COURSE_MAP):
    with columns[i % 3].container(border=True):
        st.subheader(tr(f"home.idea.{idea}.title"))
        st.write(tr(f"home.idea.{idea}.body"))
        for key in page_keys:
            if page_exists(key):
                st.page_link(page_path(key), label=tr("common.open_page", page=tr(f"{key}.title")),
                             icon=":material/arrow_forward:")
st.caption(tr("home.how"))
