"""Navigation, shared labels and the Home page."""

MESSAGES = {
    # navigation
    "nav.section.start": {"en": "Start", "ko": "시작"},
    "nav.section.pretrain": {"en": "Pretraining", "ko": "사전학습"},
    "nav.section.inside": {"en": "Inside the models", "ko": "모델 들여다보기"},
    "nav.section.transfer": {"en": "Transfer learning", "ko": "전이학습"},
    "home.title": {"en": "Home", "ko": "홈"},
    "home.heading": {"en": "PLM Lab — pretrained language models & transfer learning", "ko": "PLM Lab — 사전학습 언어모델과 전이학습"},
    "home.lead": {
        "en": "An interactive lab for the course: every idea below has a page where you can run it on real models, on this computer, offline.",
        "ko": "강의를 위한 실습실입니다. 아래의 모든 개념을 이 컴퓨터에서, 인터넷 없이, 실제 모델로 직접 돌려 볼 수 있습니다.",
    },
    "models.title": {"en": "Models & data", "ko": "모델과 데이터"},
    "pretraining.title": {"en": "Pretraining", "ko": "사전학습"},
    "embeddings.title": {"en": "Embeddings: static vs contextual", "ko": "임베딩: 정적 vs 문맥"},
    "attention.title": {"en": "Attention and masks", "ko": "어텐션과 마스크"},
    "transfer.title": {"en": "Transfer lab", "ko": "전이학습 실험실"},
    "fewshot.title": {"en": "Zero/one/few-shot", "ko": "제로/원/퓨샷"},
    "runs.title": {"en": "Runs", "ko": "실행 기록"},
    # shared
    "common.sidebar_note": {
        "en": "Runs offline on the CPU. Models and data come from installed packages.",
        "ko": "CPU에서 오프라인으로 동작합니다. 모델과 데이터는 설치된 패키지에서 옵니다.",
    },
    "common.loading_model": {"en": "Loading {name}…", "ko": "{name} 불러오는 중…"},
    "common.unexpected_error": {
        "en": "Something went wrong ({kind}: {detail}). Try other settings; if it persists, tell your teacher.",
        "ko": "문제가 생겼습니다({kind}: {detail}). 설정을 바꿔 다시 시도하고, 계속되면 선생님께 알려 주세요.",
    },
    "common.error_details": {"en": "Details for developers", "ko": "개발자용 자세한 정보"},
    "common.open_page": {"en": "Open: {page}", "ko": "열기: {page}"},
    "common.coming": {"en": "This page is not part of this installation yet.", "ko": "이 페이지는 아직 설치에 포함되지 않았습니다."},
    "common.text": {"en": "Text", "ko": "텍스트"},
    "common.label": {"en": "Label", "ko": "레이블"},
    "common.backbone": {"en": "Backbone", "ko": "백본"},
    "common.dataset": {"en": "Sample set", "ko": "샘플 데이터"},
    # home: the map of the course
    "home.idea.transfer.title": {"en": "Transfer learning, three ways", "ko": "전이학습의 세 가지 방법"},
    "home.idea.transfer.body": {
        "en": "Start from pretrained weights φ and fine-tune everything; freeze φ and train only a new head ψ (feature extraction); or give φ a small learning rate and ψ a large one. Plus gradual unfreezing, and a from-scratch baseline that shows what pretraining buys.",
        "ko": "사전학습된 가중치 φ에서 출발해 전부 미세조정하거나, φ를 고정하고 새 헤드 ψ만 학습하거나(특징 추출), φ에는 작은 학습률·ψ에는 큰 학습률을 줍니다. 점진적 언프리징, 그리고 사전학습이 주는 이득을 보여 주는 처음부터 학습(scratch)도 있습니다.",
    },
    "home.idea.pretrain.title": {"en": "Self-supervised pretraining", "ko": "자기지도 사전학습"},
    "home.idea.pretrain.body": {
        "en": "Labels made from the data itself: masked LM (BERT), next-token LM (GPT), span corruption (T5), the ELMo biLM, and skip-gram with negative sampling — one corpus, five objectives.",
        "ko": "데이터 자체에서 레이블을 만듭니다: 마스크 언어모델(BERT), 다음 토큰 예측(GPT), 스팬 손상(T5), ELMo 양방향 LM, 네거티브 샘플링 스킵그램 — 하나의 말뭉치, 다섯 가지 목표.",
    },
    "home.idea.arch.title": {"en": "Encoder, decoder, encoder-decoder", "ko": "인코더, 디코더, 인코더-디코더"},
    "home.idea.arch.body": {
        "en": "The attention mask decides what each token may look at: everything (encoder), only the past (decoder), or the encoder's output through cross-attention (encoder-decoder).",
        "ko": "어텐션 마스크가 각 토큰이 무엇을 볼 수 있는지 정합니다: 전부(인코더), 과거만(디코더), 또는 교차 어텐션으로 인코더 출력을(인코더-디코더).",
    },
    "home.idea.embed.title": {"en": "Static vs contextual embeddings", "ko": "정적 임베딩 vs 문맥 임베딩"},
    "home.idea.embed.body": {
        "en": "GloVe gives 'bank' one vector; BERT- and GPT-style models give it a different vector in every sentence and at every layer.",
        "ko": "GloVe는 'bank'에 벡터 하나만 줍니다. BERT·GPT 계열 모델은 문장마다, 층마다 다른 벡터를 줍니다.",
    },
    "home.idea.fewshot.title": {"en": "Zero-, one- and few-shot", "ko": "제로샷, 원샷, 퓨샷"},
    "home.idea.fewshot.body": {
        "en": "Two meanings of K-shot: training on K labelled examples, or showing K demonstrations in a prompt with no weight update — compared on one chart.",
        "ko": "K샷의 두 가지 의미: 레이블된 예시 K개로 학습하기, 또는 가중치 갱신 없이 프롬프트에 시범 K개 보여 주기 — 한 차트에서 비교합니다.",
    },
    "home.idea.elmo.title": {"en": "ELMo: mixing layers", "ko": "ELMo: 층 섞기"},
    "home.idea.elmo.body": {
        "en": "A forward and a backward LSTM share the embedding and the softmax; a task vector is γ · Σ softmax(λ)ᵢ hᵢ — a learned mix of all layers.",
        "ko": "순방향·역방향 LSTM이 임베딩과 소프트맥스를 공유합니다. 과제 벡터는 γ · Σ softmax(λ)ᵢ hᵢ — 모든 층을 학습된 비율로 섞은 것입니다.",
    },
    "home.idea.zoo.title": {"en": "The model & data zoo", "ko": "모델과 데이터 모음"},
    "home.idea.zoo.body": {
        "en": "Every backbone (MiniLM, SmolLM2, GloVe, USE-multilingual, our own tiny family) and every sample set, with their tokenizers, sizes and licences; upload your own CSV.",
        "ko": "모든 백본(MiniLM, SmolLM2, GloVe, USE-multilingual, 직접 사전학습한 작은 모델들)과 샘플 데이터의 토크나이저·크기·라이선스를 봅니다. 내 CSV도 올릴 수 있습니다.",
    },
    "home.small_data": {
        "en": "Small data is the point: a sentiment classifier from fewer than 1,000 labelled movie reviews.",
        "ko": "핵심은 적은 데이터입니다: 레이블된 영화 리뷰 1,000개 미만으로 감성 분류기를 만듭니다.",
    },
    "home.how": {
        "en": "Pick a page in the sidebar. Switch the language there at any time.",
        "ko": "사이드바에서 페이지를 고르세요. 언어도 언제든 사이드바에서 바꿀 수 있습니다.",
    },
}
