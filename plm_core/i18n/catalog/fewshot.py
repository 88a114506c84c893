"""Zero/one/few-shot lab: page text, figure labels and errors."""

MESSAGES = {
    "fewshot.lead": {
        "en": "How many labelled examples does a pretrained model need? Compare prompting, label similarity and training on K examples per class — one chart, the same test set.",
        "ko": "사전학습 모델에 레이블된 예시가 몇 개나 필요할까요? 프롬프트, 레이블 유사도, 클래스당 K개로 학습하기를 같은 테스트셋에서 한 차트로 비교합니다.",
    },
    # explanation panel
    "fewshot.explain.title": {"en": "Two meanings of “K-shot” — and the prompt as the model sees it", "ko": "“K샷”의 두 가지 의미 — 그리고 모델이 보는 그대로의 프롬프트"},
    "fewshot.explain.body": {
        "en": "**Training K-shot** (frozen probe, fine-tuning): K labelled examples *per class* are used to **update weights** — a new head, or the whole network.\n\n"
              "**In-context K-shot** (GPT-3 style prompting): the same K examples *per class* are written **into the prompt** as demonstrations; no weight changes. The model reads them and continues the text; we compare the probability of each label word.\n\n"
              "**Zero-shot** (K = 0): no labelled example at all — only a description of each label (similarity), a pattern with a blank (cloze), or a bare prompt.\n\n"
              "Every method is scored on the same fixed test set, and seed *s* draws the same K examples for every method. Demonstrations come from the training pool only, never from the test set.",
        "ko": "**학습 K샷**(고정 특징 + 분류기, 미세조정): 클래스마다 레이블된 예시 K개로 **가중치를 갱신**합니다 — 새 헤드만, 또는 네트워크 전체를.\n\n"
              "**문맥 내 K샷**(GPT-3식 프롬프트): 같은 클래스당 K개 예시를 시범으로 **프롬프트 안에 적습니다**. 가중치는 바뀌지 않습니다. 모델은 그것을 읽고 글을 이어 쓰며, 우리는 각 레이블 단어의 확률을 비교합니다.\n\n"
              "**제로샷**(K = 0): 레이블된 예시가 전혀 없습니다 — 레이블 설명(유사도), 빈칸이 있는 문장(클로즈), 또는 시범 없는 프롬프트만 씁니다.\n\n"
              "모든 방법은 같은 고정 테스트셋으로 평가되며, 시드 *s*는 모든 방법에 같은 K개 예시를 뽑아 줍니다. 시범 예시는 학습 풀에서만 뽑고, 테스트셋에서는 절대 뽑지 않습니다.",
    },
    "fewshot.explain.show": {"en": "Show an example prompt", "ko": "예시 프롬프트 보기"},
    "fewshot.explain.example_k": {"en": "K for the example prompt", "ko": "예시 프롬프트의 K"},
    "fewshot.explain.example_caption": {
        "en": "Exactly what {model} reads: {tokens} tokens, {demos} demonstrations, then the test text. It scores each label word ({words}) right after the last character. The demonstration part is encoded once and its key/value cache is re-used for every test example.",
        "ko": "{model:이} 읽는 그대로입니다: 토큰 {tokens}개, 시범 {demos}개, 그 뒤에 테스트 문장. 마지막 글자 바로 뒤에서 각 레이블 단어({words})의 점수를 매깁니다. 시범 부분은 한 번만 인코딩하고, 그 키/값 캐시를 모든 테스트 예시에 다시 씁니다.",
    },
    "fewshot.explain.pieces": {"en": "The same prompt cut into the model's pieces", "ko": "같은 프롬프트를 모델의 토큰 조각으로 자른 모습"},
    "fewshot.explain.no_lm": {"en": "No causal language model is installed, so there is no prompt to show.", "ko": "인과 언어모델이 설치되어 있지 않아 보여 줄 프롬프트가 없습니다."},
    # settings
    "fewshot.settings": {"en": "Experiment", "ko": "실험 설정"},
    "fewshot.data": {"en": "Data", "ko": "데이터"},
    "fewshot.data.uploaded": {"en": "Your CSV: {name}", "ko": "내 CSV: {name}"},
    "fewshot.methods": {"en": "Methods", "ko": "방법"},
    "fewshot.methods_help": {
        "en": "similarity and cloze are zero-shot only (drawn as a dashed line); prompt puts K examples per class into the prompt; frozen and fine-tuning train on them.",
        "ko": "유사도와 클로즈는 제로샷 전용입니다(점선으로 표시). 프롬프트는 클래스당 K개 예시를 프롬프트에 넣고, 고정 특징과 미세조정은 그것으로 학습합니다.",
    },
    # lesson outcomes: sentences generated from the measured curve (plm_core.fewshot.curves.Change)
    "fewshot.outcome.trend_up": {
        "en": "Prompting scored {acc0}% at K = {k0} and {acc}% at K = {k}: {gap} points higher, beyond the noise band of ±{noise} points. The demonstrations helped.",
        "ko": "프롬프트 정확도는 K = {k0}에서 {acc0}%, K = {k}에서 {acc}%였습니다: {gap}%p 높아졌고 잡음 범위(±{noise}%p)를 넘습니다. 시범이 도움이 되었습니다.",
    },
    "fewshot.outcome.trend_down": {
        "en": "Prompting scored {acc0}% at K = {k0} and {acc}% at K = {k}: {gap} points lower, beyond the noise band of ±{noise} points. The demonstrations hurt.",
        "ko": "프롬프트 정확도는 K = {k0}에서 {acc0}%, K = {k}에서 {acc}%였습니다: {gap}%p 낮아졌고 잡음 범위(±{noise}%p)를 넘습니다. 시범이 오히려 방해가 되었습니다.",
    },
    "fewshot.outcome.trend_flat": {
        "en": "Prompting scored {acc0}% at K = {k0} and {acc}% at K = {k}: a difference of {gap} points, inside the noise band of ±{noise} points. Within noise: no clear change.",
        "ko": "프롬프트 정확도는 K = {k0}에서 {acc0}%, K = {k}에서 {acc}%였습니다: 차이 {gap}%p는 잡음 범위(±{noise}%p) 안입니다. 잡음 범위 안: 뚜렷한 변화가 없습니다.",
    },
    "fewshot.outcome.cross_up": {
        "en": "{method} first beat prompting at K = {k}: {acc}% against {ref}% (prompting at K = {k_ref}), {gap} points ahead, beyond the noise band of ±{noise} points.",
        "ko": "{method:이} K = {k}에서 처음으로 프롬프트를 앞섰습니다: {acc}% 대 {ref}%(프롬프트, K = {k_ref}), {gap}%p 차이로 잡음 범위(±{noise}%p)를 넘습니다.",
    },
    "fewshot.outcome.cross_flat": {
        "en": "{method} first scored above prompting at K = {k}: {acc}% against {ref}% (prompting at K = {k_ref}), but the {gap}-point lead is inside the noise band of ±{noise} points: within noise.",
        "ko": "{method:이} K = {k}에서 처음으로 프롬프트보다 높았습니다: {acc}% 대 {ref}%(프롬프트, K = {k_ref}). 하지만 {gap}%p 차이는 잡음 범위(±{noise}%p) 안입니다: 잡음 범위 안.",
    },
    "fewshot.outcome.cross_down": {
        "en": "{method} first scored above prompting at K = {k}: {acc}% against {ref}% (prompting at K = {k_ref}).",
        "ko": "{method:이} K = {k}에서 처음으로 프롬프트보다 높았습니다: {acc}% 대 {ref}%(프롬프트, K = {k_ref}).",
    },
    "fewshot.method.similarity": {"en": "similarity (zero-shot)", "ko": "유사도 (제로샷)"},
    "fewshot.method.prompt": {"en": "prompt (in-context)", "ko": "프롬프트 (문맥 내)"},
    "fewshot.method.cloze": {"en": "cloze (masked LM)", "ko": "클로즈 (마스크 LM)"},
    "fewshot.method.frozen": {"en": "frozen probe", "ko": "고정 특징 + 분류기"},
    "fewshot.method.finetune": {"en": "fine-tuning", "ko": "미세조정"},
    "fewshot.backbones": {"en": "Backbones", "ko": "백본"},
    "fewshot.backbone_for": {"en": "Backbone for {method}", "ko": "{method}의 백본"},
    "fewshot.shots": {"en": "K values (examples per class)", "ko": "K 값 (클래스당 예시 수)"},
    "fewshot.seeds": {"en": "Seeds", "ko": "시드 수"},
    "fewshot.seeds_help": {
        "en": "Each seed draws other K examples and another demonstration order; the band shows the spread.",
        "ko": "시드마다 다른 K개 예시와 다른 시범 순서를 뽑습니다. 띠는 그 편차를 보여 줍니다.",
    },
    "fewshot.test_limit": {"en": "Test examples", "ko": "테스트 예시 수"},
    "fewshot.test_limit_help": {"en": "The first N examples of the fixed test set (fewer = faster).", "ko": "고정 테스트셋의 앞 N개입니다(적을수록 빠릅니다)."},
    "fewshot.prompt_settings": {"en": "Prompt, label words and descriptions", "ko": "프롬프트, 레이블 단어, 레이블 설명"},
    "fewshot.template": {"en": "Template", "ko": "템플릿"},
    "fewshot.template_help": {
        "en": "{text} is replaced by the text; it must end with {label}, where the label word goes.",
        "ko": "{text} 자리에 문장이 들어가고, 끝은 레이블 단어가 들어갈 {label}이어야 합니다.",
    },
    "fewshot.verbalizers": {"en": "Label words (one per line: label = word)", "ko": "레이블 단어 (한 줄에 하나: 레이블 = 단어)"},
    "fewshot.calibrate": {"en": "Contextual calibration", "ko": "문맥 보정 (contextual calibration)"},
    "fewshot.calibrate_help": {
        "en": "Divide each label's probability by the one the model gives a content-free input (“N/A”, “”, “[MASK]”) with the same demonstrations — removes the bias toward one label word.",
        "ko": "같은 시범 뒤에 내용 없는 입력(“N/A”, “”, “[MASK]”)을 넣었을 때의 레이블 확률로 각 확률을 나눕니다 — 특정 레이블 단어로 쏠리는 편향을 없앱니다.",
    },
    "fewshot.descriptions": {"en": "Label descriptions: what each label means (label = description); similarity and prompting read them", "ko": "레이블 설명: 각 레이블의 뜻 (레이블 = 설명). 유사도와 프롬프트가 읽습니다"},
    "fewshot.describe_hint": {
        "en": "The labels {labels} are short or unusual words: similarity and prompting only see the label itself. Say what each one means under “Prompt, label words and descriptions” → “Label descriptions”, one line per label, e.g. “{example} = …”.",
        "ko": "짧거나 흔하지 않은 단어인 레이블이 있습니다: {labels}. 유사도와 프롬프트는 레이블 자체만 봅니다. “프롬프트, 레이블 단어, 레이블 설명” → “레이블 설명”에 레이블마다 한 줄씩 뜻을 적어 주세요. 예: “{example} = …”.",
    },
    "fewshot.epochs": {"en": "Fine-tuning epochs", "ko": "미세조정 에폭"},
    "fewshot.run": {"en": "Run the curves", "ko": "곡선 그리기 실행"},
    "fewshot.stop": {"en": "Stop", "ko": "중지"},
    "fewshot.empty": {"en": "Choose the settings and press “Run the curves”. Points appear on the chart as they finish.", "ko": "설정을 고르고 “곡선 그리기 실행”을 누르세요. 점이 끝나는 대로 차트에 나타납니다."},
    "fewshot.no_methods": {"en": "No few-shot method is available in this installation.", "ko": "이 설치에서는 사용할 수 있는 퓨샷 방법이 없습니다."},
    # progress and results
    "fewshot.status.running": {"en": "Running {current} · {n} points · {left}", "ko": "실행 중 {current} · 점 {n}개 · {left}"},
    "fewshot.status.left": {"en": "about {seconds} s left", "ko": "약 {seconds}초 남음"},
    "fewshot.status.estimating": {"en": "estimating time left…", "ko": "남은 시간 계산 중…"},
    "fewshot.status.done": {"en": "Done in {seconds} s.", "ko": "{seconds}초 만에 끝났습니다."},
    "fewshot.status.saved": {"en": "Saved in the runs store as run #{run_id}.", "ko": "실행 기록에 #{run_id:으로} 저장했습니다."},
    "fewshot.status.stopped": {"en": "Stopped after {n} points.", "ko": "점 {n}개 뒤에 중지했습니다."},
    "fewshot.metric": {"en": "Metric", "ko": "지표"},
    "fewshot.metric.acc": {"en": "accuracy", "ko": "정확도"},
    "fewshot.metric.f1": {"en": "macro-F1", "ko": "매크로 F1"},
    "fewshot.table.title": {"en": "The numbers (mean and standard deviation over seeds)", "ko": "수치 (시드에 대한 평균과 표준편차)"},
    "fewshot.table.method": {"en": "method", "ko": "방법"},
    "fewshot.table.k": {"en": "K", "ko": "K"},
    "fewshot.table.acc_mean": {"en": "accuracy", "ko": "정확도"},
    "fewshot.table.acc_std": {"en": "± std", "ko": "± 표준편차"},
    "fewshot.table.f1_mean": {"en": "macro-F1", "ko": "매크로 F1"},
    "fewshot.table.f1_std": {"en": "F1 ± std", "ko": "F1 ± 표준편차"},
    "fewshot.table.n": {"en": "seeds", "ko": "시드"},
    "fewshot.crossover": {
        "en": "★ {method} overtakes prompting at K = {k}: {acc:.3f} vs {ref:.3f}.",
        "ko": "★ {method:이} K = {k}에서 프롬프트를 앞섭니다: {acc:.3f} 대 {ref:.3f}.",
    },
    "fewshot.skipped": {"en": "{method}, K = {k}: {reason}", "ko": "{method}, K = {k}: {reason}"},
    "fewshot.skip.too_few": {"en": "skipped, the smallest class has only {most} examples in the pool.", "ko": "건너뜀, 가장 작은 클래스의 예시가 풀에 {most}개뿐입니다."},
    "fewshot.skip.prompt_k": {"en": "not run: prompting stops at K={most} (raise “Largest K for prompting” to go on; every K costs the language model one more pass over the test set).", "ko": "실행하지 않음: 프롬프트는 K={most}에서 멈춥니다(계속하려면 “프롬프트의 최대 K”를 높이세요. K 하나마다 언어 모델이 테스트셋을 한 번 더 읽습니다)."},
    "fewshot.prompt_max_k": {"en": "Largest K for prompting", "ko": "프롬프트의 최대 K"},
    "fewshot.prompt_max_k_help": {"en": "The language model reads every test text once per K and seed: the slow part of a curve on a CPU. The probe and the other methods go on to the largest K.", "ko": "언어 모델은 K와 시드마다 테스트 텍스트를 모두 한 번씩 읽습니다. CPU에서 곡선의 느린 부분입니다. 프로브와 다른 방법은 가장 큰 K까지 계속합니다."},
    "fewshot.estimate": {"en": "Estimated time: about {seconds} s on this machine for the settings below (as last submitted). A curve already computed comes back at once.", "ko": "예상 시간: 아래 설정(마지막으로 제출한 값 기준)으로 이 컴퓨터에서 약 {seconds}초. 이미 계산된 곡선은 바로 돌아옵니다."},
    # figures
    "fewshot.fig.chance": {"en": "majority class (chance)", "ko": "다수 클래스 (우연 수준)"},
    "fewshot.fig.crossover": {"en": "{method} overtakes prompting at K={k}", "ko": "{method:이} K={k}에서 프롬프트를 앞섬"},
    "fewshot.fig.k_axis": {"en": "K (examples per class)", "ko": "K (클래스당 예시 수)"},
    "fewshot.fig.acc_axis": {"en": "test accuracy", "ko": "테스트 정확도"},
    "fewshot.fig.f1_axis": {"en": "test macro-F1", "ko": "테스트 매크로 F1"},
    # sensitivity
    "fewshot.sens.title": {"en": "Prompt sensitivity", "ko": "프롬프트 민감도"},
    "fewshot.sens.lead": {
        "en": "Same K, same examples — only the template or the order of the demonstrations changes. How much does accuracy move?",
        "ko": "같은 K, 같은 예시 — 템플릿이나 시범 순서만 바꿉니다. 정확도가 얼마나 흔들릴까요?",
    },
    "fewshot.sens.k": {"en": "K (examples per class in the prompt)", "ko": "K (프롬프트 속 클래스당 예시 수)"},
    "fewshot.sens.templates": {"en": "Templates (one per line; write \\n for a line break)", "ko": "템플릿 (한 줄에 하나; 줄바꿈은 \\n으로)"},
    "fewshot.sens.orders": {"en": "Demonstration orders", "ko": "시범 순서 수"},
    "fewshot.sens.run": {"en": "Measure the spread", "ko": "편차 측정"},
    "fewshot.sens.template_n": {"en": "template {n}", "ko": "템플릿 {n}"},
    "fewshot.sens.order": {"en": "order", "ko": "순서"},
    "fewshot.sens.col.template": {"en": "template", "ko": "템플릿"},
    "fewshot.sens.col.template_text": {"en": "text", "ko": "내용"},
    "fewshot.sens.col.mean": {"en": "mean", "ko": "평균"},
    "fewshot.sens.col.std": {"en": "std", "ko": "표준편차"},
    "fewshot.sens.col.min": {"en": "min", "ko": "최소"},
    "fewshot.sens.col.max": {"en": "max", "ko": "최대"},
    # errors
    "fewshot.err.bad_template": {
        "en": "The template “{template}” must contain {{text}} and end with {{label}}, e.g. “Review: {{text}}\\nSentiment:{{label}}”.",
        "ko": "템플릿 “{template}”에는 {{text}}가 있어야 하고 {{label}}로 끝나야 합니다. 예: “Review: {{text}}\\nSentiment:{{label}}”.",
    },
    "fewshot.err.bad_cloze": {
        "en": "The cloze pattern “{template}” must contain {{text}} and [MASK], e.g. “{{text}} It was [MASK].”.",
        "ko": "클로즈 패턴 “{template}”에는 {{text}}와 [MASK]가 있어야 합니다. 예: “{{text}} It was [MASK].”.",
    },
    "fewshot.err.empty_verbalizer": {"en": "The label word for “{label}” is empty: give every label a word.", "ko": "“{label}”의 레이블 단어가 비어 있습니다. 모든 레이블에 단어를 주세요."},
    "fewshot.err.prompt_too_long": {
        "en": "With {demos} demonstrations the prompt is {tokens} tokens, more than the limit of {limit}: choose a smaller K.",
        "ko": "시범 {demos}개로 프롬프트가 토큰 {tokens}개가 되어 한도 {limit}개를 넘습니다. 더 작은 K를 고르세요.",
    },
    "fewshot.err.needs_embedder": {"en": "{name} gives no sentence vectors for similarity: choose an encoder or sentence encoder.", "ko": "{name:은} 유사도에 쓸 문장 벡터를 주지 않습니다. 인코더나 문장 인코더를 고르세요."},
    "fewshot.err.mask_truncated": {"en": "The [MASK] was cut off: shorten the cloze pattern or the texts.", "ko": "[MASK]가 잘렸습니다. 클로즈 패턴이나 텍스트를 줄이세요."},
    "fewshot.err.not_prepared": {"en": "The {method} method was run before its features were extracted.", "ko": "{method} 방법이 특징을 추출하기 전에 실행되었습니다."},
    "fewshot.err.method_unavailable": {
        "en": "Method “{method}” is not available here. Available: {choices}.",
        "ko": "“{method}” 방법은 여기서 쓸 수 없습니다. 가능한 방법: {choices}.",
    },
    "fewshot.err.bad_test_limit": {"en": "The test limit must be at least 1 (got {limit}).", "ko": "테스트 예시 수는 1 이상이어야 합니다({limit:을} 받음)."},
    "fewshot.err.bad_shots": {"en": "K values must be whole numbers ≥ 0 separated by commas, e.g. 0,1,2,4,8 (got “{shots}”).", "ko": "K 값은 쉼표로 구분한 0 이상의 정수여야 합니다. 예: 0,1,2,4,8 (받은 값: “{shots}”)."},
    "fewshot.err.bad_seeds": {"en": "Use between 1 and 20 seeds (got {seeds}).", "ko": "시드 수는 1~20이어야 합니다({seeds:을} 받음)."},
    "fewshot.err.backbone_fits_none": {"en": "Backbone “{name}” fits none of the methods {methods}.", "ko": "백본 {name:“은} {methods} 중 어느 방법에도 맞지 않습니다."},
    "fewshot.err.backbone_not_for": {"en": "Backbone “{name}” cannot be used for {method}. Choose one of: {choices}.", "ko": "백본 {name:“은} {method}에 쓸 수 없습니다. 다음 중에서 고르세요: {choices}."},
    "fewshot.err.bad_pair": {"en": "Line “{line}” is not of the form “label = word”.", "ko": "“{line}” 줄이 “레이블 = 단어” 형식이 아닙니다."},
    "fewshot.err.unknown_label": {"en": "“{label}” is not a label of this data. Labels: {labels}.", "ko": "{label:“은} 이 데이터의 레이블이 아닙니다. 레이블: {labels}."},
}
