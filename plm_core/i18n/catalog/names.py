"""Backbone names as selectboxes show them, per language (`backbone.<name>.display`). The model's own name stays
(MiniLM, SmolLM2, GloVe, USE, BERT, GPT, T5, ELMo are proper names); the words around it are translated. A
backbone without an entry shows its spec's `display`."""

MESSAGES = {
    "backbone.smollm2-135m.display": {"en": "GPT-style decoder (SmolLM2-135M-Instruct)",
                                      "ko": "GPT 방식 디코더 (SmolLM2-135M-Instruct)"},
    "backbone.use-multilingual.display": {"en": "USE-multilingual v3 (sentence encoder)",
                                          "ko": "USE-multilingual v3 (문장 인코더)"},
    "backbone.tiny-bert-mlm.display": {"en": "Tiny BERT (masked LM, ours)", "ko": "작은 BERT (마스크 언어 모델, 직접 학습)"},
    "backbone.tiny-gpt-clm.display": {"en": "Tiny GPT (causal LM, ours)", "ko": "작은 GPT (인과 언어 모델, 직접 학습)"},
    "backbone.tiny-t5-span.display": {"en": "Tiny T5 (span corruption, ours)", "ko": "작은 T5 (구간 손상 복원, 직접 학습)"},
    "backbone.tiny-elmo-bilm.display": {"en": "Tiny ELMo (biLM, ours)", "ko": "작은 ELMo (양방향 언어 모델, 직접 학습)"},
    "backbone.tiny-sgns.display": {"en": "Tiny skip-gram (SGNS, ours)", "ko": "작은 스킵그램 (SGNS, 직접 학습)"},
}
