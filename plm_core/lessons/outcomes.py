"""Reading a step's outcome from its job's result (predict, then reveal) and drawing its figure.

Readers and figure builders are plain data: `READERS[name](result, question) -> Outcome`,
`FIGURES[name](result, text) -> plotly.Figure` (`text`: a `plm_core.figures.FigureText`). An outcome's values
stay code names (they are compared with predictions); `outcome_params` / `outcome_sentence` give the sentence a
person reads, every strategy and method by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plm_core.errors import PLMError
from plm_core.figures import EN, FigureText
from plm_core.i18n import t
from plm_core.i18n.names import term_name

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from plm_core.lessons.model import Question


@dataclass(frozen=True)
class Outcome:
    """What happened, as a value comparable with a prediction, and a sentence (catalog key + params)."""

    value: str | float
    key: str  # catalog key of the sentence, e.g. "lessons.outcome.race_winner"
    params: dict[str, Any] = field(default_factory=dict)


def _race_table(result: Any) -> Any:
    from plm_core.transfer.race import seed_table

    done = [r for r in result.runs if r.result is not None]
    if not done:
        raise PLMError("lessons.err.no_result")
    return seed_table([r.racer or r.label for r in done], [r.result for r in done])


def race_winner(result: Any, question: Question | None = None) -> Outcome:
    """The racer with the best mean accuracy, and its lead over the runner-up in points."""
    frame = _race_table(result).sort_values("accuracy_mean", ascending=False)
    first = frame.iloc[0]
    second = frame.iloc[1] if len(frame) > 1 else first
    points = round(100 * float(first["accuracy_mean"] - second["accuracy_mean"]), 1)
    return Outcome(str(first["strategy"]), "lessons.outcome.race_winner",
                   {"winner": str(first["strategy"]), "second": str(second["strategy"]), "points": points})


def race_lead(result: Any, question: Question | None = None) -> Outcome:
    """The winner's lead over the runner-up, in accuracy points (a number question)."""
    won = race_winner(result)
    return Outcome(float(won.params["points"]), "lessons.outcome.race_winner", won.params)


def single_accuracy(result: Any, question: Question | None = None) -> Outcome:
    """Held-out accuracy of a single run, in percent."""
    done = [r.result for r in result.runs if r.result is not None]
    if not done:
        raise PLMError("lessons.err.no_result")
    acc = round(100 * float(done[0].test_accuracy), 1)
    return Outcome(acc, "lessons.outcome.accuracy", {"accuracy": acc})


def _curve_summary(result: Any) -> Any:
    from plm_core.fewshot.curves import summarize

    summary = summarize(result.points)
    if summary.empty:
        raise PLMError("lessons.err.no_result")
    return summary


def curves_best_at_top(result: Any, question: Question | None = None) -> Outcome:
    """The method with the best mean accuracy at the largest K every method reached."""
    summary = _curve_summary(result)
    top = int(summary.groupby("method")["k"].max().min())
    rows = summary[summary["k"] == top].sort_values("acc_mean", ascending=False)
    best = rows.iloc[0]
    return Outcome(str(best["method"]), "lessons.outcome.curves_best",
                   {"method": str(best["method"]), "k": top, "accuracy": round(100 * float(best["acc_mean"]), 1)})


def curves_cross(result: Any, question: Question | None = None) -> Outcome:
    """The smallest K at which a training method beats prompting (-1: it never does on this chart)."""
    from plm_core.fewshot.curves import cross_margin, crossovers

    found = crossovers(_curve_summary(result))
    if not found:
        return Outcome(-1.0, "lessons.outcome.no_cross", {})
    first = min(found, key=lambda c: c.k)
    c = cross_margin(result)  # by how much, and whether beyond the noise (the sentence says which)
    if c is None:
        return Outcome(float(first.k), "lessons.outcome.cross", {"method": first.method, "k": first.k})
    return Outcome(float(first.k), f"fewshot.outcome.cross_{c.verdict}",
                   {"method": first.method, "k": first.k, "k_ref": c.k_from, "acc": round(100 * c.acc_to, 1),
                    "ref": round(100 * c.acc_from, 1), "gap": abs(c.points), "noise": c.noise})


def curves_trend(result: Any, question: Question | None = None) -> Outcome:
    """Did prompting's accuracy change from its smallest K to its largest beyond the noise? rises / flat / falls."""
    from plm_core.fewshot.curves import prompt_trend

    c = prompt_trend(result)
    value = {"up": "rises", "down": "falls", "flat": "flat"}[c.verdict]
    return Outcome(value, f"fewshot.outcome.trend_{c.verdict}",
                   {"k0": c.k_from, "acc0": round(100 * c.acc_from, 1), "k": c.k_to, "acc": round(100 * c.acc_to, 1),
                    "gap": abs(c.points), "noise": c.noise})


def given(result: Any, question: Question | None = None) -> Outcome:
    """An answer written in the lesson (steps whose page computes at once, without a job)."""
    if question is None or not question.answer:
        raise PLMError("lessons.err.no_result")
    return Outcome(question.answer, "lessons.outcome.given", {"answer": question.answer})


READERS: dict[str, Callable[..., Outcome]] = {
    "race_winner": race_winner, "race_lead": race_lead, "single_accuracy": single_accuracy,
    "curves_best": curves_best_at_top, "curves_cross": curves_cross, "given": given,
    "curves_trend": curves_trend,
}
NEEDS_RESULT = frozenset(READERS) - {"given"}


def read_outcome(question: Question, result: Any) -> Outcome:
    return READERS[question.answer_from](result, question)


def matches(question: Question, said: str, outcome: Outcome) -> bool:
    """Was the prediction right? Choice/word: same value; number: within 10% (or 2 units) of the outcome."""
    if question.kind == "number":
        try:
            guess, real = float(said), float(outcome.value)
        except ValueError:
            return False
        return abs(guess - real) <= max(2.0, 0.1 * abs(real))
    return str(said).strip().lower() == str(outcome.value).strip().lower()


def outcome_params(outcome: Outcome, lang: str, question: Question | None = None) -> dict[str, Any]:
    """The outcome's params as a person reads them: a value the question offers as a choice by the choice's own
    label, any other strategy, racer or few-shot method by its catalog name (never "frozen", "finetune" …)."""
    methods = outcome.key in ("lessons.outcome.curves_best", "lessons.outcome.cross") \
        or outcome.key.startswith("fewshot.outcome.cross_")

    def name(value: Any) -> Any:
        if question is not None and isinstance(value, str) and any(c.value == value for c in question.choices):
            return question.choice_label(value, lang)
        return term_name(value, lang, methods=methods)

    return {k: name(v) for k, v in outcome.params.items()}


def outcome_sentence(outcome: Outcome, lang: str, question: Question | None = None) -> str:
    """The reveal's sentence in `lang`, particles chosen by the names it holds ("본체 고정이 … 이겼습니다")."""
    return t(outcome.key, lang, **outcome_params(outcome, lang, question))


# ---- figures ------------------------------------------------------------------------------------------
def race_share_figure(result: Any, text: FigureText = EN) -> go.Figure:
    from plm_core.transfer.figures import share_figure

    return share_figure(_race_table(result), text)


def race_drift_figure(result: Any, text: FigureText = EN) -> go.Figure:
    from plm_core.transfer.figures import drift_heatmap

    done = [r for r in result.runs if r.result is not None]
    return drift_heatmap([r.label for r in done], [r.result.drift for r in done], text)


def single_accuracy_figure(result: Any, text: FigureText = EN) -> go.Figure:
    from plm_core.transfer.figures import accuracy_figure

    return accuracy_figure([(r.label, r.history) for r in result.runs if r.history], text)


def curves_figure(result: Any, text: FigureText = EN) -> go.Figure:
    from plm_core.fewshot.curves import crossovers
    from plm_core.fewshot.figures import curve_figure

    summary = _curve_summary(result)
    return curve_figure(summary, result.config.shots, text, "acc", result.majority, crossovers(summary))


FIGURES: dict[str, Callable[[Any, FigureText], go.Figure]] = {
    "race_share": race_share_figure, "race_drift": race_drift_figure, "single_accuracy": single_accuracy_figure,
    "curves": curves_figure,
}
