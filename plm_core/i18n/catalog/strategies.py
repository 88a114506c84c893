"""Messages of the freezing-strategy designer, schedules, seed races and data-driven max length (`transfer.`)."""

MESSAGES = {
    # ---- errors ------------------------------------------------------------------------------------
    "transfer.err.bad_strategy": {
        "en": "Unknown strategy '{strategy}'. Choose one of: {choices}.",
        "ko": "알 수 없는 전략 '{strategy}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "transfer.err.bad_schedule": {
        "en": "Unknown learning-rate schedule '{schedule}'. Choose one of: {choices}.",
        "ko": "알 수 없는 학습률 스케줄 '{schedule}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "transfer.err.bad_warmup": {
        "en": "The warm-up share must be between {low} and {high} of the steps (got {value}); 0.1 is usual.",
        "ko": "워밍업 비율은 전체 스텝의 {low}에서 {high} 사이여야 합니다(입력: {value}). 보통 0.1을 씁니다.",
    },
    "transfer.err.bad_k": {
        "en": "k (layers to freeze or to train) must be between {low} and {high} (got {value}).",
        "ko": "k(고정하거나 학습할 층 수)는 {low}에서 {high} 사이여야 합니다(입력: {value}).",
    },
    "transfer.err.k_too_big": {
        "en": "k = {k} but {name} has only {layers} layers: choose k between 0 and {layers}.",
        "ko": "k = {k}인데 {name}에는 층이 {layers}개뿐입니다. k를 0에서 {layers} 사이로 고르세요.",
    },
    "transfer.err.bad_lora_rank": {
        "en": "The LoRA rank of {group} must be between 1 and 256 (got {rank}); 4 to 16 is usual.",
        "ko": "{group}의 LoRA 랭크는 1에서 256 사이여야 합니다(입력: {rank}). 보통 4~16을 씁니다.",
    },
    "transfer.err.lora_not_layer": {
        "en": "LoRA adapters go on a layer's attention projections; '{group}' is not a layer. Give layer groups a rank (layer.0, layer.1, ...).",
        "ko": "LoRA 어댑터는 층의 어텐션 투영에 붙습니다. {group:'은} 층이 아닙니다. 층 그룹(layer.0, layer.1, ...)에 랭크를 주세요.",
    },
    "transfer.err.bad_group": {
        "en": "There is no group '{group}' in this model. Groups: {choices} (also 'layers', 'body', 'layer.0-2').",
        "ko": "이 모델에는 '{group}' 그룹이 없습니다. 그룹: {choices} ('layers', 'body', 'layer.0-2'도 됩니다).",
    },
    "transfer.err.bad_group_op": {
        "en": "Cannot read the group edit '{op}'. Write group:edit with edits frozen, train, bitfit, lora=8, lr=1e-4, x10 or @3, joined by '+'.",
        "ko": "그룹 편집 {op:'을} 읽을 수 없습니다. group:edit 형식으로 쓰고, 편집은 frozen, train, bitfit, lora=8, lr=1e-4, x10, @3 중에서 '+'로 이어 주세요.",
    },
    "transfer.err.race_seeds": {
        "en": "A race runs every strategy over 1 to {high} seeds (got {n}).",
        "ko": "경주는 전략마다 시드 1~{high}개로 돌립니다(입력: {n}).",
    },
    # ---- strategies --------------------------------------------------------------------------------
    "transfer.strategy": {"en": "Freezing strategy", "ko": "고정(프리징) 전략"},
    "transfer.strategies": {"en": "Strategies to race", "ko": "경주시킬 전략"},
    "transfer.strategy.chain_thaw": {"en": "chain-thaw (one group at a time)", "ko": "체인-해동 (한 번에 한 그룹)"},
    "transfer.strategy.freeze_bottom": {"en": "freeze bottom k layers", "ko": "아래 k개 층 고정"},
    "transfer.strategy.embeddings_frozen": {"en": "embeddings frozen", "ko": "임베딩만 고정"},
    "transfer.strategy.top_k": {"en": "train top k layers only", "ko": "위 k개 층만 학습"},
    "transfer.strategy.bitfit": {"en": "BitFit (biases + LayerNorm + head)", "ko": "BitFit (편향 + LayerNorm + 헤드)"},
    "transfer.strategy.lora": {"en": "LoRA rank r (adapters, merged)", "ko": "LoRA 랭크 r (어댑터, 병합)"},
    "transfer.k": {"en": "k (layers)", "ko": "k (층 수)"},
    "transfer.lora_rank": {"en": "LoRA rank r", "ko": "LoRA 랭크 r"},
    "transfer.groups_table": {"en": "Group table (edit to design your own strategy)", "ko": "그룹 표 (고쳐서 나만의 전략 만들기)"},
    "transfer.groups_help": {
        "en": "One row per named group, from the preset above. Untick 'trainable' to freeze a group, change its learning rate, give a layer a LoRA rank, tick 'bias only' for BitFit. After training, the table below is read back from the optimizer.",
        "ko": "위 프리셋에서 나온 그룹마다 한 줄입니다. 'trainable'을 끄면 그 그룹이 고정되고, 학습률을 바꾸거나, 층에 LoRA 랭크를 주거나, 'bias only'를 켜면 BitFit이 됩니다. 학습 뒤 아래 표는 옵티마이저에서 다시 읽은 것입니다.",
    },
    "transfer.groups_edited": {"en": "Edits on top of the preset: {edits}", "ko": "프리셋 위의 편집: {edits}"},
    "transfer.col.group": {"en": "group", "ko": "그룹"},
    "transfer.col.trainable": {"en": "trainable", "ko": "학습"},
    "transfer.col.lr": {"en": "learning rate", "ko": "학습률"},
    "transfer.col.lora_rank": {"en": "LoRA rank", "ko": "LoRA 랭크"},
    "transfer.col.bias_only": {"en": "bias only (BitFit)", "ko": "편향만 (BitFit)"},
    "transfer.col.unfreeze": {"en": "from epoch", "ko": "시작 에폭"},
    # ---- schedules ---------------------------------------------------------------------------------
    "transfer.schedule": {"en": "Learning-rate schedule", "ko": "학습률 스케줄"},
    "transfer.schedule.constant": {"en": "constant", "ko": "일정"},
    "transfer.schedule.linear": {"en": "linear warm-up, linear decay", "ko": "선형 워밍업, 선형 감소"},
    "transfer.schedule.cosine": {"en": "linear warm-up, cosine decay", "ko": "선형 워밍업, 코사인 감소"},
    "transfer.schedule.slanted_triangular": {"en": "slanted triangular (ULMFiT)", "ko": "기울어진 삼각형 (ULMFiT)"},
    "transfer.warmup": {"en": "Warm-up share of steps", "ko": "워밍업 스텝 비율"},
    "transfer.chart.schedule": {"en": "Learning rate per step (top group)", "ko": "스텝별 학습률 (가장 높은 그룹)"},
    "transfer.chart.step": {"en": "step", "ko": "스텝"},
    # ---- honest comparisons ------------------------------------------------------------------------
    "transfer.seeds": {"en": "Seeds per strategy", "ko": "전략당 시드 수"},
    "transfer.estimate": {
        "en": "Estimated time: about {seconds} s on this machine ({runs} runs). More seeds give honest error bars but take longer; a cached race comes back at once.",
        "ko": "예상 시간: 이 컴퓨터에서 약 {seconds}초 (실행 {runs}번). 시드가 많을수록 오차 막대가 정직해지지만 오래 걸립니다. 캐시된 경주는 바로 돌아옵니다.",
    },
    "transfer.compare_seeds": {"en": "Mean ± sd over {n} seed(s)", "ko": "시드 {n}개의 평균 ± 표준편차"},
    "transfer.within_noise": {
        "en": "{a} and {b}: the difference is within seed noise (their mean ± sd intervals overlap).",
        "ko": "{a:과} {b}: 차이가 시드 잡음 안에 있습니다 (평균 ± 표준편차 구간이 겹칩니다).",
    },
    "transfer.one_seed_note": {
        "en": "One seed per strategy: differences of a few points may be seed noise. Run 3 seeds to see error bars.",
        "ko": "전략당 시드 하나: 몇 점 차이는 시드 잡음일 수 있습니다. 오차 막대를 보려면 시드 3개로 돌리세요.",
    },
    "transfer.chart.share": {"en": "Accuracy against trainable share", "ko": "학습되는 파라미터 비율 대비 정확도"},
    "transfer.chart.share_x": {"en": "trainable parameters (share, log scale)", "ko": "학습되는 파라미터 (비율, 로그 척도)"},
    # ---- data-driven max length --------------------------------------------------------------------
    "transfer.max_length_auto": {"en": "auto (≥ 95% of texts)", "ko": "자동 (텍스트 95% 이상)"},
    "transfer.length_report": {
        "en": "Max length {max_length} tokens covers {covered:.0%} of the training texts (budget {budget}, model limit {limit}); {cut} of {n} texts were cut.",
        "ko": "최대 길이 {max_length} 토큰이 학습 텍스트의 {covered:.0%을} 덮습니다 (예산 {budget}, 모델 한도 {limit}). 텍스트 {n}개 중 {cut}개가 잘렸습니다.",
    },
    "transfer.length_cut": {
        "en": "{cut} of {n} texts are longer than {max_length} tokens and were cut. Raise the max length (or the CPU token budget) to keep them whole.",
        "ko": "텍스트 {n}개 중 {cut}개가 {max_length} 토큰보다 길어 잘렸습니다. 통째로 쓰려면 최대 길이(또는 CPU 토큰 예산)를 높이세요.",
    },
    "transfer.length_budget": {"en": "CPU token budget", "ko": "CPU 토큰 예산"},
    # ---- SetFit ------------------------------------------------------------------------------------
    "transfer.err.setfit_backbone": {
        "en": "SetFit tunes a transformer sentence encoder; {name} cannot be fine-tuned. Choose MiniLM.",
        "ko": "SetFit은 트랜스포머 문장 인코더를 조정합니다. {name:은} 미세조정할 수 없습니다. MiniLM을 고르세요.",
    },
    "setfit.title": {"en": "SetFit (contrastive fine-tuning)", "ko": "SetFit (대조 미세조정)"},
    "setfit.explain": {
        "en": "SetFit makes pairs from the K labelled texts: two texts with the same label are a positive pair (pulled together), different labels a negative pair (pushed apart), like skip-gram's positive and negative pairs. It fine-tunes the sentence encoder on these pairs, then fits a logistic-regression head on the tuned vectors.",
        "ko": "SetFit은 레이블이 붙은 K개 텍스트로 쌍을 만듭니다. 같은 레이블의 두 텍스트는 양성 쌍(가까이 당김), 다른 레이블은 음성 쌍(멀리 밂)으로, skip-gram의 양성/음성 쌍과 같은 생각입니다. 이 쌍으로 문장 인코더를 미세조정한 뒤, 조정된 벡터 위에 로지스틱 회귀 헤드를 맞춥니다.",
    },
    "setfit.k": {"en": "K labelled examples per class", "ko": "클래스당 레이블 예시 K"},
    "setfit.iterations": {"en": "Pairs per text", "ko": "텍스트당 쌍 수"},
    "setfit.start": {"en": "Run SetFit", "ko": "SetFit 실행"},
    "setfit.pairs": {"en": "Pairs it made (a sample)", "ko": "만든 쌍 (일부)"},
    "setfit.pairs_help": {
        "en": "Positive: same label, trained towards cosine 1. Negative: different labels, trained towards cosine 0.",
        "ko": "양성: 같은 레이블, 코사인 1을 향해 학습. 음성: 다른 레이블, 코사인 0을 향해 학습.",
    },
    "setfit.pairs_metric": {"en": "Pairs trained on", "ko": "학습한 쌍"},
    "setfit.positive_share": {"en": "{share} positive", "ko": "양성 {share}"},
    "setfit.kind.positive": {"en": "positive", "ko": "양성"},
    "setfit.kind.negative": {"en": "negative", "ko": "음성"},
    "setfit.map.before": {"en": "Sentence vectors before contrastive training", "ko": "대조 학습 전 문장 벡터"},
    "setfit.map.after": {"en": "Sentence vectors after contrastive training", "ko": "대조 학습 후 문장 벡터"},
    "setfit.map.train": {"en": "labelled (K-shot)", "ko": "레이블 (K-shot)"},
    "setfit.map.test": {"en": "test", "ko": "테스트"},
    "setfit.loss": {"en": "Contrastive loss", "ko": "대조 손실"},
    "setfit.contrastive": {"en": "pairs", "ko": "쌍"},
}
