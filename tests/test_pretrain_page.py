"""The Pretraining page renders every objective (example, predictions, live panel, cards) without an error."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["mlm", "clm", "span", "bilm", "sgns"])
def test_every_objective_renders(objective: str) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.query_params["lang"] = "ko"
    at.run()
    at.switch_page("app_pages/pretraining.py")
    at.session_state["pretraining.objective"] = objective
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.dataframe) >= 1  # the training example as a table
    charts = 0
    for tab in ("predict", "live", "cards"):  # only the open tab runs: open each
        at.session_state["pretraining.tab"] = tab
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        charts += len(at.get("plotly_chart"))
        if objective == "span" and tab == "predict":  # the T5's spans come with its encoder check, in Korean
            from plm_core.pretrain.checkpoints import all_cards

            r = all_cards()["span"]["encoder_reliance"]
            note = [c.value for c in at.caption if f"{r['own']:.2f}" in c.value and f"{r['shuffled']:.2f}" in c.value]
            assert note and "인코더" in note[0]
    assert charts >= 1  # at least the checkpoints-vs-random-twin chart
