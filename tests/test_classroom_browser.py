"""A class in a real browser, both languages: a teacher starts lesson 2 (prepared, smaller settings) as a class;
three phone-sized students (each its own browser context: own cookies, own identity) join by the typed code and by
the link the QR code holds (decoded from its PNG); they follow the teacher's step changes, predict (one vote each,
changeable), the teacher reveals; the presenter view shows the question, then the live count, then the class's
distribution beside the outcome and the figure. What a student tries of the teacher's is refused. The presenter
view's geometry at 1920x1080 and 1280x720 and the phone's width are measured in the page."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from classroom_browser import PHONE, Chromium, app_server, set_viewport
from test_pretrain_browser import body, click, wait_until

from plm_core import urlparams
from plm_core.i18n import t
from plm_core.lessons import classroom

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
SMALL = {"n": "32", "epochs": "1", "test": "40", "race_test": "40"}  # lesson 2, small enough for CI
SHOTS = Path("/tmp/plm-class-shots")  # the screenshots, to look at


def lesson_2_small(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    raw = yaml.safe_load((REPO / "assets/lessons/2-transfer.yaml").read_text(encoding="utf-8"))
    for step in raw["steps"]:
        names = {p.name for p in urlparams.params(step["page"])}
        step["settings"] = {**step["settings"], **{k: v for k, v in SMALL.items() if k in names}}
    (folder / "2-transfer.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    """Lesson 2 prepared through the CLI, then the app on the same private runs DB and caches."""
    import os
    import subprocess
    import sys

    tmp = tmp_path_factory.mktemp("classroom")
    env = {"PYTHONUNBUFFERED": "1", "PLM_LAB_UMAP_WARMUP": "0", "PLM_LAB_RUNS_DB": str(tmp / "runs.sqlite"),
           "PLM_LAB_FEATURES_DIR": str(tmp / "features"), "PLM_LAB_LESSONS_DIR": str(lesson_2_small(tmp / "lessons"))}
    prepared = subprocess.run([sys.executable, "-m", "plm_core", "lesson", "prepare", "2"], cwd=REPO,
                              env={**os.environ, **env}, capture_output=True, text=True, timeout=900)
    assert prepared.returncode == 0, prepared.stderr[-2000:]
    with app_server(env, tmp / "server.log") as (url, _pid):
        yield url, tmp / "runs.sqlite"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    from conftest import CHROMEDRIVER, CHROMIUM

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium/chromedriver not installed (make test installs them: scripts/install_browser.sh)")
    browser = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


def steps() -> list[dict]:
    return yaml.safe_load((REPO / "assets/lessons/2-transfer.yaml").read_text(encoding="utf-8"))["steps"]


def press(d, label: str) -> None:
    click(d, f"//button[.//p[text()=\"{label}\"]]")


def shot(d, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    d.save_screenshot(str(SHOTS / f"{name}.png"))


def fixed_part(key: str, lang: str) -> str:
    """The longest literal piece of a catalog template (what the page shows whatever the params)."""
    from plm_core.i18n import all_messages

    return max(re.split(r"\{[^}]*\}", all_messages()[key][lang]), key=len).strip()


def decode_qr(png: bytes) -> str:
    import io

    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1, found
    return str(found[0].text)


# ---- the class, step by step ---------------------------------------------------------------------------------
def start_class(browser: Chromium, url: str, lang: str) -> tuple[str, str]:
    """The teacher's context: Start class on lesson 2; its handle and the join code."""
    d = browser.driver
    teacher = browser.new_context(1400, 900)
    d.get(f"{url}/lessons?lang={lang}")
    wait_until(d, lambda b: t("classroom.start", lang) in b, timeout=240)
    click(d, "//div[contains(@class, 'st-key-start-class-2-transfer')]//button")
    wait_until(d, lambda b: t("lessons.bar.step", lang, i=1, n=5) in b, timeout=300)
    found = re.search(r"[?&]class=([A-Z0-9]+)", d.current_url)
    assert found, d.current_url
    code = found.group(1)
    wait_until(d, lambda b: code in b, timeout=60)
    key = None
    for _ in range(20):  # the cookie is written by a small script once the page is drawn
        key = next((c["value"] for c in d.get_cookies() if c["name"] == f"plm_teacher_{code}"), None)
        if key:
            break
        time.sleep(0.5)
    assert key, "the teacher key was not kept in a cookie"
    assert key not in d.current_url and key not in body(d)  # never in the URL or the text shown on screen
    assert not re.search(r"[?&]u=", d.current_url)  # no job owner id in the address bar either
    return teacher, code


def qr_link(browser: Chromium, url: str, teacher: str, lang: str, code: str) -> str:
    """A fresh load of the Lessons page (the teacher key comes back from the cookie): the class panel's link and
    the QR code's content, which must be exactly that link."""
    d = browser.driver
    d.switch_to.window(teacher)
    d.get(f"{url}/lessons?lang={lang}&{classroom_param(code)}")
    wait_until(d, lambda b: t("classroom.end", lang) in b and t("classroom.join.title", lang) not in b, timeout=120)
    from selenium.webdriver.common.by import By

    shown = d.find_element(By.CSS_SELECTOR, ".st-key-class-panel [data-testid='stCode'] code").text.strip()
    src = d.find_element(By.CSS_SELECTOR, ".st-key-class-panel [data-testid='stImage'] img").get_attribute("src")
    png = urllib.request.urlopen(src if src.startswith("http") else f"{url}{src}", timeout=30).read()
    assert decode_qr(png) == shown and f"class={code}" in shown and "u=" not in shown
    press(d, t("classroom.go_to_step", lang))  # a fresh session's first Transfer lab: slow on a busy machine
    wait_until(d, lambda b: t("lessons.bar.step", lang, i=1, n=5) in b, timeout=300)
    return shown


def classroom_param(code: str) -> str:
    return f"class={code}"


def join(browser: Chromium, url: str, lang: str, code: str, name: str, link: str | None) -> str:
    """A phone joins: by the link (the QR's), the code already filled, or by typing the code on Home."""

    d = browser.driver
    handle = browser.new_context(*PHONE, phone=True)
    d.get(link or f"{url}/?lang={lang}")
    wait_until(d, lambda b: t("classroom.join.title", lang) in b, timeout=120)
    if link is None:
        field(d, t("classroom.join.code", lang)).send_keys(code.lower())
    if name:
        field(d, t("classroom.join.name", lang)).send_keys(name)
    press(d, t("classroom.join.button", lang))
    wait_until(d, lambda b: t("classroom.student_of", lang, code=code, i=1, n=5).replace("**", "") in b, timeout=120)
    return handle


def field(d, label: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(d, 60).until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"input[aria-label=\"{label}\"]")))


def on_step(browser: Chromium, handles: list[str], lang: str, i: int, title: str, timeout: float = 60) -> None:
    d = browser.driver
    for h in handles:
        d.switch_to.window(h)
        wait_until(d, lambda b: title in b and t("lessons.bar.step", lang, i=i, n=5) in b, timeout=timeout)


def predict(browser: Chromium, handle: str, lang: str, label: str) -> None:
    d = browser.driver
    d.switch_to.window(handle)
    click(d, f"//label[.//p[text()=\"{label}\"]]")
    press(d, t("lessons.predict.save", lang))
    wait_until(d, lambda b: label in b and t("lessons.predict.save", lang) not in b, timeout=60)


def presenter_geometry(d) -> dict:
    """Boxes (viewport coordinates) of each figure of the presenter view with its legend and axis titles, the
    caption under them, and the smallest chart text (px)."""
    return d.execute_script("""
      const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
      const plots = [...document.querySelectorAll('.st-key-lesson-figure .js-plotly-plot')];
      const caps = [...document.querySelectorAll('.st-key-lesson-figure [data-testid="stCaptionContainer"]')];
      const sel = '.xtick text, .ytick text, .legendtext, .g-xtitle text, .g-ytitle text, .gtitle';
      const texts = plots.flatMap(p => [...p.querySelectorAll(sel)]);
      return {w: window.innerWidth, h: window.innerHeight, caption: box(caps[caps.length - 1]),
              plots: plots.map(p => ({figure: box(p), legend: box(p.querySelector('.legend')),
                                      xtitle: box(p.querySelector('.g-xtitle')),
                                      ytitle: box(p.querySelector('.g-ytitle'))})),
              min_font: Math.min(...texts.map(e => parseFloat(getComputedStyle(e).fontSize))),
              scroll_w: document.documentElement.scrollWidth};
    """)


def assert_fits(g: dict, name: str) -> None:
    """Every figure, its legend and axis titles inside the viewport and above the caption; the caption too."""
    assert g["plots"] and g["caption"], (name, g)
    def inside(b):
        return (b["left"] >= -1 and b["top"] >= -1 and b["right"] <= g["w"] + 1
                  and b["bottom"] <= g["h"] + 1)
    assert inside(g["caption"]), (name, "caption", g)
    for plot in g["plots"]:
        assert plot["xtitle"] and plot["ytitle"], (name, plot)
        for part, b in plot.items():
            if b is None:  # a figure without a legend
                continue
            assert inside(b), (name, part, g)
            assert b["bottom"] <= g["caption"]["top"] + 1, (name, part, g)  # the caption under it, not over it


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_class_follows_predicts_and_sees_the_reveal(class_app, chromium, lang: str) -> None:
    url, db = class_app
    walk_class(chromium, url, db, lang)


def walk_class(browser: Chromium, url: str, db: Path, lang: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser.driver
    titles = [s["title"][lang] for s in steps()]
    question = steps()[3]["question"]
    labels = {c["value"]: c["label"][lang] for c in question["choices"]}
    teacher, code = start_class(browser, url, lang)
    link = qr_link(browser, url, teacher, lang, code)
    students = [join(browser, url, lang, code, "Mina", None),  # typed the code
                join(browser, url, lang, code, "Joon", link),  # the QR's link
                join(browser, url, lang, code, "", link)]  # anonymous
    assert len(classroom.members(code, db)) == 3
    on_step(browser, students, lang, 1, titles[0])
    d.switch_to.window(students[0])
    assert not d.find_elements(By.CSS_SELECTOR, ".st-key-lesson-next button")  # a following student has no →
    shot(d, f"{lang}-phone-step1")

    # the teacher moves the class: the Next button, then the → key; every student follows
    d.switch_to.window(teacher)
    press(d, t("lessons.bar.next", lang))
    on_step(browser, [teacher, *students], lang, 2, titles[1])
    for h in students:  # the beacon's script ran again on the new step: it expects step 2, so it clicks no more
        d.switch_to.window(h)
        wait_until(d, lambda b: d.execute_script("return (window.plmClass || {}).step") == 1, timeout=30)
    d.switch_to.window(teacher)
    time.sleep(1.0)
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)  # the keys still work after a page change
    on_step(browser, [teacher, *students], lang, 3, titles[2])
    d.switch_to.window(teacher)
    press(d, t("lessons.bar.next", lang))
    on_step(browser, [teacher, *students], lang, 4, titles[3])
    assert classroom.get_class(code, db).step == 3

    # the presenter view: the question first, then the live count; no answer, no figure before the reveal
    d.switch_to.window(teacher)
    press(d, t("lessons.bar.present", lang))
    wait_until(d, lambda b: t("lessons.bar.leave_present", lang) in b and question["prompt"][lang] in b
               and t("classroom.answers_of", lang, n=0, m=3).replace("**", "") in b, timeout=60)  # presenting
    assert not d.find_elements(By.CSS_SELECTOR, ".st-key-class-distribution, .st-key-lesson-figure")
    shot(d, f"{lang}-presenter-question")

    predict(browser, students[0], lang, labels["finetune"])
    predict(browser, students[1], lang, labels["frozen"])
    predict(browser, students[2], lang, labels["finetune"])
    d.switch_to.window(students[1])  # a second vote replaces the first: still one per student
    press(d, t("lessons.reveal.change", lang))
    predict(browser, students[1], lang, labels["discriminative"])
    assert classroom.answer_count(code, 3, db) == 3
    d.switch_to.window(teacher)
    wait_until(d, lambda b: t("classroom.answers_of", lang, n=3, m=3) in b, timeout=30)
    assert not d.find_elements(By.CSS_SELECTOR, ".st-key-class-distribution")  # the count only, until the reveal
    shot(d, f"{lang}-presenter-count")

    student_tries_teacher_actions(browser, url, lang, code, db, students[0])

    # the reveal: the class's distribution beside the outcome and the figure, on the projector and on the phones
    d.switch_to.window(teacher)
    press(d, t("classroom.reveal", lang))
    # (a cache hit after prepare; when the code changed since, the race runs live first: give it time)
    outcome = fixed_part("lessons.outcome.race_winner", lang)
    wait_until(d, lambda b: t("classroom.class_said", lang, n=3) in b and outcome in b, timeout=300)
    wait_until(d, lambda b: len(d.find_elements(By.CSS_SELECTOR, ".st-key-lesson-figure .js-plotly-plot .g-xtitle"))
               == 2, timeout=60)  # the class's answers and the step's figure
    counts = classroom.class_counts(code, 3, db)
    assert counts == {"finetune": 2, "discriminative": 1}
    for w, h in ((1920, 1080), (1280, 720)):
        set_viewport(d, w, h)
        time.sleep(2.5)
        g = presenter_geometry(d)
        shot(d, f"{lang}-presenter-{w}x{h}")
        assert_fits(g, f"{w}x{h}")
        if w == 1920:
            assert g["min_font"] >= 22, g
    set_viewport(d, 1400, 900)
    for h in students:
        d.switch_to.window(h)
        wait_until(d, lambda b: t("classroom.class_said", lang, n=3) in b, timeout=30)
        assert d.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]  # no sideways scroll
    shot(d, f"{lang}-phone-revealed")
    with pytest.raises(Exception) as late:  # the vote is closed: the core refuses a late prediction
        classroom.predict(code, 3, "late", "frozen", db)
    assert "reveal" in str(late.value).lower() or "join" in str(late.value).lower()

    # the next step: everyone follows again
    d.switch_to.window(teacher)
    press(d, t("lessons.bar.next", lang))
    on_step(browser, students, lang, 5, titles[4])


def student_tries_teacher_actions(browser: Chromium, url: str, lang: str, code: str, db: Path, student: str) -> None:
    """A student with a forged teacher cookie, on the teacher's own address, and on the Lessons page: no teacher
    control shows, and the core refuses each action with the student's (absent or guessed) key."""
    from selenium.webdriver.common.by import By

    from plm_core.errors import PLMError

    d = browser.driver
    d.switch_to.window(student)
    d.add_cookie({"name": f"plm_teacher_{code}", "value": "a-guessed-key", "path": "/"})
    d.get(f"{url}/lessons?lang={lang}&class={code}&teacher=1")
    wait_until(d, lambda b: t("classroom.start", lang) in b, timeout=120)
    page = body(d)
    for label in ("classroom.end", "classroom.clear", "lessons.prepare", "classroom.reveal", "classroom.teacher_view"):
        assert t(label, lang) not in page, label
    assert not d.find_elements(By.CSS_SELECTOR, ".st-key-class-panel")
    before = classroom.get_class(code, db)
    for action in ("reveal", "clear", "prepare", "end", "move", "teacher_view", "run_live"):
        with pytest.raises(PLMError) as err:
            {"reveal": lambda: classroom.reveal(code, "a-guessed-key", 3, db),
             "clear": lambda: classroom.clear(code, "a-guessed-key", db),
             "prepare": lambda: classroom.prepare_class(code, "a-guessed-key", object(), "student", db),
             "end": lambda: classroom.end_class(code, None, db),
             "move": lambda: classroom.move(code, None, 0, db),
             "teacher_view": lambda: classroom.teacher_counts(code, None, 3, db),
             "run_live": lambda: classroom.check_teacher(code, None, "run_live", db)}[action]()
        assert err.value.key == f"classroom.err.only.{action}"
    assert classroom.get_class(code, db) == before and classroom.answer_count(code, 3, db) == 3
    # back to the class: the student's screen follows the class's step again
    press(d, t("classroom.rejoin", lang)) if t("classroom.rejoin", lang) in page else d.get(
        f"{url}/?lang={lang}&class={code}")
    wait_until(d, lambda b: t("lessons.bar.step", lang, i=4, n=5) in b, timeout=60)
