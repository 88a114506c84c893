"""A class on one server: one teacher and N students on phones (default 30), lesson 2, in real browsers.

    python bench/class.py                      # 30 students, lesson 2 with small settings prepared in a temp dir
    python bench/class.py --students 10
    python bench/class.py --real               # the lessons of assets/ and your runs DB: prepare first with
                                               #   python -m plm_core lesson prepare 2-transfer

Starts the app server and one headless Chromium with one isolated browser context per person (own cookies, so
own identity; students at 390x844). The teacher starts lesson 2 as a class; the students join by the class's
link; the teacher moves 5 steps (→2, →3, →4 with a question, →5 with a question, ←4); at each question every
student predicts (every fifth changes their mind once), then the teacher reveals. Prints:
  follow   p50 / p95 / max seconds from the teacher's click to each student's screen showing the new step
           (read from each tab's own clock, so Selenium's walk over the tabs does not count)   goal p95 <= 2 s
  votes    predictions counted in the class (database) vs cast (one per student per question)   goal equal
  reveal   p50 / p95 / max seconds from the teacher's Reveal to each student seeing the class's answers
                                                                                                 goal p95 <= 2 s
  refused  teacher actions tried by students (forged key, none, a guess) that were refused
  memory   server RSS (the app server and its job workers), peak while the class ran
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# every 100 ms each tab notes when the step shown changes (a step bar's "Step i of n"): follow times are read
# from the tab's own clock (same machine as the bench), after the fact. textContent, not innerText: the watch must
# not force a layout in 31 tabs ten times a second on the machine it measures
TRACK_JS = """
window.plmSteps = window.plmSteps || [];
window.plmMarkers = arguments[0];
if (!window.plmTrack) {
  window.plmTrack = setInterval(() => {
    const text = document.body ? document.body.textContent : "";
    const now = (window.plmMarkers || []).find(m => text.includes(m)) || "";
    const last = window.plmSteps.length ? window.plmSteps[window.plmSteps.length - 1][0] : null;
    if (now && now !== last) window.plmSteps.push([now, Date.now()]);
    for (const w of (window.plmWatch || [])) { if (!(w in window.plmSeenAt) && text.includes(w))
      window.plmSeenAt[w] = Date.now(); }
  }, 100);
}
window.plmSeenAt = window.plmSeenAt || {};
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else float("nan")


def summary(values: list[float]) -> str:
    if not values:
        return "no data"
    return (f"p50 {statistics.median(values):.2f} s, p95 {pct(values, 0.95):.2f} s, max {max(values):.2f} s "
            f"(n={len(values)})")


def prepare(env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "plm_core", "lesson", "prepare", "2"], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        sys.exit(f"lesson prepare failed:\n{done.stderr[-2000:]}")


class Peak(threading.Thread):
    """The server's RSS (with its job workers), sampled every second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        from classroom_browser import rss_mb

        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--lang", choices=["en", "ko"], default="en")
    parser.add_argument("--real", action="store_true", help="assets/lessons and the usual runs DB (prepared)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="plm-class-bench-"))
    env = {"PYTHONUNBUFFERED": "1", "PLM_LAB_UMAP_WARMUP": "0"}
    if not args.real:
        from test_classroom_browser import lesson_2_small

        env |= {"PLM_LAB_RUNS_DB": str(tmp / "runs.sqlite"), "PLM_LAB_FEATURES_DIR": str(tmp / "features"),
                "PLM_LAB_LESSONS_DIR": str(lesson_2_small(tmp / "lessons"))}
        started = time.monotonic()
        prepare(env)
        print(f"lesson 2 (small settings) prepared in {time.monotonic() - started:.0f} s")
    os.environ.update(env)  # this process reads the same class database as the server
    from classroom_browser import Chromium, app_server

    with app_server(env, tmp / "server.log") as (url, pid):
        peak = Peak(pid)
        peak.start()
        browser = Chromium(tmp / "chromium")
        try:
            run_class(browser, url, args.students, args.lang)
        finally:
            browser.close()
            peak.running = False
        print(f"memory   server RSS (with job workers) peak {peak.peak:.0f} MB")
    print(f"load average {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} cores")
    return 0


def run_class(browser, url: str, n: int, lang: str) -> None:
    from test_classroom_browser import press, qr_link, start_class
    from test_pretrain_browser import click, wait_until

    from plm_core.i18n import t
    from plm_core.lessons import classroom, get_lesson

    d = browser.driver
    lesson = get_lesson("2-transfer")
    markers = [t("lessons.bar.step", lang, i=i, n=5) for i in range(1, 6)]
    teacher, code = start_class(browser, url, lang)
    link = qr_link(browser, url, teacher, lang, code)
    started = time.monotonic()
    students = []
    for _ in range(n):
        handle = browser.new_context(390, 844, phone=True)
        d.get(link)
        wait_until(d, lambda b: t("classroom.join.title", lang) in b, timeout=180)
        press(d, t("classroom.join.button", lang))
        students.append(handle)
    for h in students:
        d.switch_to.window(h)
        wait_until(d, lambda b: markers[0] in b, timeout=180)
        d.execute_script(TRACK_JS, markers)
    print(f"joined   {len(classroom.members(code))} of {n} students in {time.monotonic() - started:.0f} s", flush=True)

    follows: list[float] = []
    reveals: list[float] = []
    cast = 0
    moves = [("next", 1), ("next", 2), ("next", 3), ("next", 4), ("prev", 3)]
    for direction, target in moves:
        d.switch_to.window(teacher)
        wait_until(d, lambda b: bool(b), timeout=30)
        clicked = time.time()
        press(d, t(f"lessons.bar.{direction}", lang))
        moved = follow_times(browser, students, markers[target], clicked)
        follows += moved
        print(f"move to step {target + 1}: follow {summary(moved)}; {beacon_clicks(browser, students, clicked)} "
              f"of {n} screens moved by the class's beacon (the rest by the server's safety-net poll)", flush=True)
        question = lesson.steps[target].question
        if question is None or target in classroom.get_class(code).revealed:
            continue
        for k, h in enumerate(students):  # every student predicts; every fifth changes their mind once
            d.switch_to.window(h)
            cast += 1
            vote(d, lang, question, k, click, press, wait_until)
            if k % 5 == 0:
                press(d, t("lessons.reveal.change", lang))
                vote(d, lang, question, k + 1, click, press, wait_until)
        counted = classroom.answer_count(code, target)
        d.switch_to.window(teacher)
        seen_text = t("classroom.class_said", lang, n=counted)
        for h in students:
            d.switch_to.window(h)
            d.execute_script("window.plmWatch = [arguments[0]]; window.plmSeenAt = {};", seen_text)
        d.switch_to.window(teacher)
        clicked = time.time()
        press(d, t("classroom.reveal", lang))
        shown = seen_times(browser, students, seen_text, clicked)
        reveals += shown
        print(f"step {target + 1}: {counted} predictions counted in the class; reveal {summary(shown)}", flush=True)
    total = sum(classroom.answer_count(code, i) for i, s in enumerate(lesson.steps) if s.question is not None)
    print(f"follow   {summary(follows)}  (teacher's click -> the student's screen shows the step; "
          f"{len(moves)} moves x {n} students)")
    print(f"votes    {total} counted of {cast} cast (one per student per question; "
          f"{sum(1 for k in range(n) if k % 5 == 0) * 2} changed votes replaced, not added)")
    print(f"reveal   {summary(reveals)}  (teacher's Reveal -> the student sees the class's answers)")
    print(f"refused  {refused_attempts(code, students)}")


def vote(d, lang: str, question, k: int, click, press, wait_until) -> None:
    from plm_core.i18n import t

    if question.kind == "choice":
        label = question.choices[k % len(question.choices)].label.get(lang)
        click(d, f"//label[.//p[text()=\"{label}\"]]")
    else:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        box = (By.CSS_SELECTOR, "[data-testid='stNumberInputField']")
        WebDriverWait(d, 120).until(ec.element_to_be_clickable(box)).send_keys(str(1 + k % 7))
    press(d, t("lessons.predict.save", lang))
    wait_until(d, lambda b: t("lessons.predict.save", lang) not in b, timeout=120)


def follow_times(browser, students: list[str], marker: str, clicked: float, timeout: float = 120) -> list[float]:
    """Seconds from `clicked` until each student's tab first showed `marker` after it."""
    d, out, deadline = browser.driver, [], time.time() + timeout
    for h in students:
        d.switch_to.window(h)
        while True:
            steps = d.execute_script("return window.plmSteps || []")
            hit = next((ms / 1000.0 for m, ms in steps if m == marker and ms / 1000.0 >= clicked - 0.05), None)
            if hit is not None or time.time() > deadline:
                break
            time.sleep(0.2)
        out.append(hit - clicked if hit is not None else float(timeout))
    return out


def beacon_clicks(browser, students: list[str], since: float) -> str:
    """How many students' screens were moved by the beacon's script (it notes when it clicks) after `since`, and
    how soon after `since` it clicked (the rest of a follow time is the server's run and the browser's drawing)."""
    d, after = browser.driver, []
    for h in students:
        d.switch_to.window(h)
        at = d.execute_script("return window.plmClassClicked || 0") / 1000.0
        if at and at >= since - 0.05:
            after.append(at - since)
    return f"{len(after)} (clicked p50 {statistics.median(after):.2f} s after the teacher)" if after else "0"


def seen_times(browser, students: list[str], text: str, clicked: float, timeout: float = 120) -> list[float]:
    d, out, deadline = browser.driver, [], time.time() + timeout
    for h in students:
        d.switch_to.window(h)
        while True:
            at = (d.execute_script("return window.plmSeenAt || {}") or {}).get(text)
            if at is not None or time.time() > deadline:
                break
            time.sleep(0.2)
        out.append(at / 1000.0 - clicked if at is not None else float(timeout))
    return out


def refused_attempts(code: str, students: list[str]) -> str:
    """Every student tries each teacher-only action with no key and with a guessed one: how many were refused."""
    from plm_core.errors import PLMError
    from plm_core.lessons import classroom

    tries = refused = 0
    before = classroom.get_class(code)
    for n, _ in enumerate(students):
        for key in (None, f"guess-{n}"):
            for action in (lambda k=key: classroom.reveal(code, k, 0), lambda k=key: classroom.clear(code, k),
                           lambda k=key: classroom.move(code, k, 0), lambda k=key: classroom.end_class(code, k),
                           lambda k=key: classroom.teacher_counts(code, k, 3),
                           lambda k=key: classroom.prepare_class(code, k, object(), "student"),
                           lambda k=key: classroom.check_teacher(code, k, "run_live")):
                tries += 1
                try:
                    action()
                except PLMError as err:
                    refused += err.key.startswith("classroom.err.only.")
    same = classroom.get_class(code) == before
    return f"{refused} of {tries} teacher actions tried by students refused; class unchanged: {same}"


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
