"""The Few-shot lab's recipes: the accuracy-vs-K curve and the prompt-sensitivity check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from plm_core.fewshot.defaults import CURVE_TEST_LIMIT, DEFAULT_SHOTS, PROMPT_K_CHOICES, PROMPT_MAX_K, SHOT_CHOICES
from plm_core.fewshot.methods import METHODS
from plm_core.recipes.base import AUTO, Recipe, setting
from plm_core.recipes.transfer import BACKBONES, DATA_SETS

BB = (AUTO, *BACKBONES)  # a method's backbone; auto = the data set language's default


def _prompt_parts(ds: Any, template_line: str, words_text: str) -> tuple[str, dict[str, str]]:
    """The template and label words: the recipe's own, else the data set task's defaults."""
    from plm_core.fewshot.methods import default_prompt
    from plm_core.fewshot.prompting import verbalizers_for
    from plm_core.fewshot.settings import parse_pairs, template_from_line

    base = default_prompt(ds.info.task)
    template = template_from_line(template_line) if template_line else base.template
    words = parse_pairs(words_text, ds.labels) if words_text else verbalizers_for(base, ds.labels)
    return template, {k: v.strip() for k, v in words.items()}


@dataclass(frozen=True)
class FewShotCurve(Recipe):
    """Accuracy against K for the chosen methods (the Few-shot lab's form, lesson 5, `python -m plm_core fewshot`)."""

    kind: ClassVar[str] = "fewshot.curves"
    page: ClassVar[str] = "fewshot"
    label: ClassVar[str] = "fewshot.settings"

    data: str = setting("data", "str", DATA_SETS[0], DATA_SETS, label="fewshot.data")
    methods: tuple[str, ...] = setting("methods", "list", ("similarity", "prompt", "frozen"), METHODS,
                                       label="fewshot.methods", sort=False)  # the legend's order
    shots: tuple[int, ...] = setting("shots", "list", DEFAULT_SHOTS, SHOT_CHOICES, label="fewshot.shots")
    seeds: int = setting("seeds", "int", 3, lo=1, hi=10, label="fewshot.seeds")
    test: int = setting("test", "int", CURVE_TEST_LIMIT, lo=20, hi=1000, label="fewshot.test_limit")
    prompt_k: int = setting("prompt_k", "int", PROMPT_MAX_K, PROMPT_K_CHOICES, label="fewshot.prompt_max_k")
    epochs: int = setting("epochs", "int", 10, lo=1, hi=20, label="fewshot.epochs")
    calibrate: bool = setting("calibrate", "bool", False, label="fewshot.calibrate")
    bb_similarity: str = setting("bb_similarity", "str", AUTO, BB)
    bb_prompt: str = setting("bb_prompt", "str", AUTO, BB)
    bb_cloze: str = setting("bb_cloze", "str", AUTO, BB)
    bb_frozen: str = setting("bb_frozen", "str", AUTO, BB)
    bb_finetune: str = setting("bb_finetune", "str", AUTO, BB)
    template: str = setting("template", "str", "", hi=500, label="fewshot.template")  # one line; "" = the task's
    words: str = setting("words", "str", "", hi=1000, label="fewshot.verbalizers")  # "label = word" lines
    descriptions: str = setting("desc", "str", "", hi=4000, label="fewshot.descriptions")  # "label = text" lines

    def backbone(self, method: str) -> str:
        return str(getattr(self, f"bb_{method}"))

    def prompt_config(self, ds: Any) -> Any:
        """The prompt on data set `ds`: the recipe's template and words, else the task's."""
        from plm_core.fewshot.prompting import PromptConfig
        from plm_core.fewshot.settings import spaced_words

        template, words = _prompt_parts(ds, self.template, self.words)
        return PromptConfig(template=template, verbalizers=spaced_words(words, template), calibrate=self.calibrate)

    def job_config(self, data: Any = None) -> Any:
        """The CurveJob with the data set's language, default prompt, words and label descriptions filled in
        (`data`: a DataRef of an uploaded CSV instead of the sample set `self.data`)."""
        from plm_core.fewshot.curves import CurveConfig, FinetuneSettings
        from plm_core.fewshot.jobs import CurveJob
        from plm_core.fewshot.methods import default_descriptions
        from plm_core.fewshot.settings import parse_pairs
        from plm_core.jobs.refs import DataRef

        r, ref = self.normalized(), data or DataRef(self.data)
        ds = ref.load()
        language = ds.info.language or "en"
        prompt = r.prompt_config(ds)
        auto = CurveConfig(language=language)
        backbones = {m: auto.backbone_for(m) if r.backbone(m) == AUTO else r.backbone(m) for m in r.methods}
        descriptions = parse_pairs(r.descriptions, ds.labels) if r.descriptions else \
            default_descriptions(ds.labels, ds.info.task)
        config = CurveConfig(data=ds.name, methods=r.methods, shots=r.shots, seeds=r.seeds, test_limit=r.test,
                             backbones=backbones, prompt=prompt, language=language,
                             descriptions={k: v.strip() for k, v in descriptions.items()},
                             finetune=FinetuneSettings(epochs=r.epochs), prompt_max_k=r.prompt_k)
        return CurveJob(config, ref)


@dataclass(frozen=True)
class PromptSensitivity(Recipe):
    """Each prompt template x several demonstration orders on one K-shot draw (the Few-shot lab's check)."""

    kind: ClassVar[str] = "fewshot.sensitivity"
    page: ClassVar[str] = "fewshot"
    label: ClassVar[str] = "fewshot.sens.title"

    data: str = setting("data", "str", DATA_SETS[0], DATA_SETS, label="fewshot.data")
    bb_prompt: str = setting("bb_prompt", "str", AUTO, BB)
    k: int = setting("sens_k", "int", 2, (1, 2, 4, 8), label="fewshot.sens.k")
    orders: int = setting("sens_orders", "int", 4, lo=2, hi=8, label="fewshot.sens.orders")
    test: int = setting("sens_test", "int", 100, lo=20, hi=500, label="fewshot.test_limit")
    calibrate: bool = setting("calibrate", "bool", False, label="fewshot.calibrate")
    words: str = setting("words", "str", "", hi=1000, label="fewshot.verbalizers")
    templates: str = setting("sens_templates", "str", "", hi=2000, label="fewshot.sens.templates")  # lines

    def job_config(self, data: Any = None) -> Any:
        from plm_core.fewshot.curves import CurveConfig
        from plm_core.fewshot.jobs import SensitivityJob
        from plm_core.fewshot.methods import default_prompt
        from plm_core.fewshot.prompting import PromptConfig
        from plm_core.fewshot.settings import sensitivity_lines, spaced_words, template_from_line
        from plm_core.jobs.refs import DataRef

        r, ref = self.normalized(), data or DataRef(self.data)
        ds = ref.load()
        _, words = _prompt_parts(ds, "", r.words)
        lines = (r.templates or sensitivity_lines(default_prompt(ds.info.task).template)).splitlines()
        configs = tuple(PromptConfig(template=template_from_line(line), calibrate=r.calibrate,
                                     verbalizers=spaced_words(words, template_from_line(line)))
                        for line in lines if line.strip())
        backbone = CurveConfig(language=ds.info.language or "en").backbone_for("prompt") \
            if r.bb_prompt == AUTO else r.bb_prompt
        return SensitivityJob(ref, backbone, r.k, configs, r.orders, r.test)
