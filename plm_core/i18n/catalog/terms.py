"""Short names of strategies, few-shot methods and run labels, as legends, tables and reveal sentences show them
(`plm_core.i18n.names`). A Korean screen never shows a strategy's code name (frozen, finetune …)."""

MESSAGES = {
    "term.strategy.frozen": {"en": "frozen", "ko": "본체 고정"},
    "term.strategy.finetune": {"en": "fine-tune all", "ko": "전체 미세조정"},
    "term.strategy.discriminative": {"en": "discriminative lr", "ko": "층별 학습률"},
    "term.strategy.gradual": {"en": "gradual unfreezing", "ko": "점진적 해동"},
    "term.strategy.scratch": {"en": "from scratch", "ko": "무작위 초기화"},
    "term.strategy.chain_thaw": {"en": "chain-thaw", "ko": "체인-해동"},
    "term.strategy.freeze_bottom": {"en": "freeze bottom {k}", "ko": "아래 {k}개 층 고정"},
    "term.strategy.embeddings_frozen": {"en": "embeddings frozen", "ko": "임베딩 고정"},
    "term.strategy.top_k": {"en": "top {k} layers", "ko": "위 {k}개 층만 학습"},
    "term.strategy.bitfit": {"en": "BitFit", "ko": "BitFit"},
    "term.strategy.lora": {"en": "LoRA r={r}", "ko": "LoRA r={r}"},
    "term.edits": {"en": "{name} + edits", "ko": "{name} + 편집"},
    "term.seed": {"en": "{name} · seed {seed}", "ko": "{name} · 시드 {seed}"},
    "term.layer": {"en": "L{n}", "ko": "{n}층"},
    "term.lr": {"en": "learning rate", "ko": "학습률"},
    "term.corruption.mask": {"en": "mask", "ko": "[MASK]로 가림"},
    "term.corruption.random": {"en": "random", "ko": "무작위 조각"},
    "term.corruption.keep": {"en": "keep", "ko": "그대로 둠"},
    "term.mask.causal": {"en": "causal", "ko": "인과(왼쪽만)"},
    "term.mask.native": {"en": "native", "ko": "원래 마스크"},
    "term.mask.bidirectional": {"en": "bidirectional", "ko": "양방향"},
}
