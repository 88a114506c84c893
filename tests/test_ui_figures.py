"""ui.figures.built: a figure is built once per distinct data for the whole server (job panels poll it)."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.figures import built

CALLS: list[tuple] = []


def line(points: list[tuple[int, float]], title: str) -> go.Figure:
    CALLS.append((tuple(points), title))
    return go.Figure(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points]), layout={"title": title})


def test_the_same_data_is_built_once_and_new_data_again():
    CALLS.clear()
    a = built(line, [(1, 0.5), (2, 0.4)], title="loss")
    b = built(line, [(1, 0.5), (2, 0.4)], title="loss")  # another session's poll of the same job
    assert a is b and len(CALLS) == 1
    c = built(line, [(1, 0.5), (2, 0.4), (3, 0.3)], title="loss")  # the job moved on
    d = built(line, [(1, 0.5), (2, 0.4)], title="손실")  # the other language
    assert len(CALLS) == 3 and c is not a and d is not a
    assert list(c.data[0].y) == [0.5, 0.4, 0.3] and d.layout.title.text == "손실"
