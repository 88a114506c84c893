"""Messages of the pretraining studio (corpus, tiny models, the "Pretraining" page)."""

MESSAGES = {
    # ---- errors the core raises -------------------------------------------------------------------
    "pretrain.err.no_corpus": {
        "en": "The pretraining corpus file {path} is missing. Build it with `python -m plm_core corpus`.",
        "ko": "사전학습 말뭉치 파일 {path:이} 없습니다. `python -m plm_core corpus`로 만드세요.",
    },
    "pretrain.err.no_tokenizer": {
        "en": "The shared tokenizer {path} is missing. Rebuild it with `python -m plm_core corpus --tokenizer`.",
        "ko": "공용 토크나이저 {path:이} 없습니다. `python -m plm_core corpus --tokenizer`로 다시 만드세요.",
    },
    "pretrain.err.no_sentinel": {
        "en": "Put at least one sentinel such as <extra_id_0> where the model should fill in a span.",
        "ko": "모델이 구간을 채울 자리에 <extra_id_0> 같은 센티널을 하나 이상 넣으세요.",
    },
    "pretrain.err.unknown_objective": {
        "en": "Unknown objective '{objective}'. Choose one of: {choices}.",
        "ko": "알 수 없는 학습 목표 '{objective}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "pretrain.err.empty_text": {
        "en": "Type a sentence first.",
        "ko": "먼저 문장을 입력하세요.",
    },
    "pretrain.err.nan_loss": {
        "en": "Pretraining stopped at step {step}: the loss became NaN or infinite. Lower the learning rate (now {lr}) by 10×, or keep gradient clipping on.",
        "ko": "스텝 {step}에서 사전학습을 멈췄습니다. 손실이 NaN 또는 무한대가 되었습니다. 학습률(현재 {lr})을 10분의 1로 낮추거나 그래디언트 클리핑을 켜 두세요.",
    },
    "pretrain.err.too_short": {
        "en": "The sentence gives only {n} known piece(s); type a sentence of at least two words the model knows.",
        "ko": "이 문장에서 알려진 조각이 {n}개뿐입니다. 모델이 아는 단어가 두 개 이상인 문장을 입력하세요.",
    },
    "pretrain.err.run_failed": {
        "en": "Live pretraining stopped with an error: {error}",
        "ko": "실시간 사전학습이 오류로 멈췄습니다: {error}",
    },
    # ---- page -------------------------------------------------------------------------------------
    "pretraining.lead": {
        "en": "Five tiny language models, pretrained here on one corpus with one tokenizer, each within the same "
              "CPU budget (at most about 45 minutes on one thread). "
              "Pick an objective to see the training example it makes from your sentence, what the shipped model "
              "predicts, and how a fresh model learns live.",
        "ko": "같은 말뭉치, 같은 토크나이저로, 모두 같은 CPU 예산(스레드 하나로 최대 약 45분) 안에서 여기서 직접 "
              "사전학습한 작은 언어 모델 다섯 개입니다. "
              "학습 목표를 골라 내 문장으로 어떤 학습 예제가 만들어지는지, 배포된 모델이 무엇을 예측하는지, "
              "새 모델이 실시간으로 어떻게 배우는지 보세요.",
    },
    "pretrain.objective": {"en": "Objective", "ko": "학습 목표"},
    "pretrain.obj.mlm": {"en": "Masked LM (BERT)", "ko": "마스크 언어 모델 (BERT)"},
    "pretrain.obj.clm": {"en": "Causal LM (GPT)", "ko": "인과 언어 모델 (GPT)"},
    "pretrain.obj.span": {"en": "Span corruption (T5)", "ko": "구간 손상 복원 (T5)"},
    "pretrain.obj.bilm": {"en": "Bidirectional LM (ELMo)", "ko": "양방향 언어 모델 (ELMo)"},
    "pretrain.obj.sgns": {"en": "Skip-gram with negative sampling", "ko": "네거티브 샘플링 스킵그램"},
    "pretrain.explain.mlm": {
        "en": "15% of the pieces are chosen; of those 80% become [MASK], 10% a random piece, 10% stay. "
              "The model predicts the original piece at every chosen position, reading both sides.",
        "ko": "조각의 15%를 고르고, 그중 80%는 [MASK], 10%는 무작위 조각, 10%는 그대로 둡니다. "
              "모델은 양쪽 문맥을 읽고 고른 자리마다 원래 조각을 맞힙니다.",
    },
    "pretrain.explain.clm": {
        "en": "Every position predicts the next piece from the pieces before it: the targets are the inputs shifted by one.",
        "ko": "모든 위치에서 앞의 조각들만 보고 다음 조각을 예측합니다. 정답은 입력을 한 칸 민 것입니다.",
    },
    "pretrain.explain.span": {
        "en": "Random spans (15% of the pieces, ~3 long) are replaced by sentinels <extra_id_N>; the decoder writes "
              "each sentinel followed by the pieces it hides.",
        "ko": "무작위 구간(조각의 15%, 평균 길이 3)을 센티널 <extra_id_N>로 바꾸고, 디코더가 센티널마다 숨겨진 조각을 씁니다.",
    },
    "pretrain.explain.bilm": {
        "en": "A forward LSTM predicts the next piece, a backward LSTM the previous one; they share the embedding and the softmax.",
        "ko": "정방향 LSTM은 다음 조각을, 역방향 LSTM은 이전 조각을 예측합니다. 두 방향이 임베딩과 소프트맥스를 공유합니다.",
    },
    "pretrain.explain.sgns": {
        "en": "Each word predicts the words around it (positive pairs); k words drawn from unigram^0.75 serve as negatives.",
        "ko": "각 단어가 주변 단어를 예측합니다(긍정 쌍). unigram^0.75 분포에서 뽑은 k개 단어가 부정 예제가 됩니다.",
    },
    "pretrain.sentence": {"en": "Your sentence", "ko": "내 문장"},
    "pretrain.seed": {"en": "Random seed", "ko": "난수 시드"},
    "pretrain.example.header": {"en": "The training example", "ko": "학습 예제"},
    "pretrain.example.inputs": {"en": "What the model reads", "ko": "모델이 읽는 입력"},
    "pretrain.example.targets": {"en": "What it must predict", "ko": "맞혀야 할 정답"},
    "pretrain.example.unknown": {
        "en": "Not in the skip-gram vocabulary (skipped): {words}",
        "ko": "스킵그램 어휘에 없어 건너뛴 단어: {words}",
    },
    "pretrain.predict.header": {"en": "The shipped model predicts", "ko": "배포된 모델의 예측"},
    "pretrain.predict.input": {"en": "Input for the model", "ko": "모델 입력"},
    "pretrain.predict.generation": {"en": "Greedy continuation", "ko": "탐욕적 이어 쓰기"},
    "pretrain.predict.word": {"en": "Word", "ko": "단어"},
    "pretrain.predict.run": {"en": "Predict", "ko": "예측하기"},
    "pretrain.live.header": {"en": "Pretrain live", "ko": "실시간 사전학습"},
    "pretrain.live.explain": {
        "en": "Trains a fresh tiny model of this kind for a few hundred steps on a slice of the corpus. "
              "It runs in the background: you may switch pages and come back.",
        "ko": "이 종류의 새 작은 모델을 말뭉치 일부로 수백 스텝 학습합니다. 백그라운드에서 실행되므로 다른 페이지로 갔다가 돌아와도 됩니다.",
    },
    "pretrain.live.steps": {"en": "Steps", "ko": "스텝 수"},
    "pretrain.live.start": {"en": "Start", "ko": "시작"},
    "pretrain.live.progress": {"en": "step {step} of {total}", "ko": "{total} 스텝 중 {step}"},
    "pretrain.live.stop": {"en": "Stop", "ko": "중지"},
    "pretrain.live.status": {
        "en": "{status}: step {step} of {total}, {elapsed:.0f} s",
        "ko": "{status}: {total} 스텝 중 {step}, {elapsed:.0f}초",
    },
    "pretrain.live.probe": {"en": "Probe: {text}", "ko": "탐침 문장: {text}"},
    "pretrain.live.probe_step": {"en": "step", "ko": "스텝"},
    "pretrain.live.probe_answer": {"en": "model's answer", "ko": "모델의 답"},
    "pretrain.status.starting": {"en": "Starting", "ko": "시작 중"},
    "pretrain.status.running": {"en": "Running", "ko": "학습 중"},
    "pretrain.status.done": {"en": "Done", "ko": "완료"},
    "pretrain.status.stopped": {"en": "Stopped", "ko": "중지됨"},
    "pretrain.status.error": {"en": "Error", "ko": "오류"},
    "pretrain.fig.loss": {"en": "Loss", "ko": "손실"},
    "pretrain.fig.step": {"en": "Step", "ko": "스텝"},
    "pretrain.fig.train": {"en": "train", "ko": "학습"},
    "pretrain.fig.valid": {"en": "validation", "ko": "검증"},
    "pretrain.fig.trained": {"en": "pretrained", "ko": "사전학습됨"},
    "pretrain.fig.random": {"en": "random init (same architecture)", "ko": "무작위 초기화 (같은 구조)"},
    "pretrain.fig.compare_title": {
        "en": "Validation loss: shipped checkpoint vs its random-init twin",
        "ko": "검증 손실: 배포 체크포인트 대 무작위 초기화 쌍둥이",
    },
    "pretrain.fig.live_title": {"en": "Live loss curve", "ko": "실시간 손실 곡선"},
    "pretrain.fig.probability": {"en": "probability", "ko": "확률"},
    "pretrain.fig.similarity": {"en": "cosine similarity", "ko": "코사인 유사도"},
    "pretrain.cards.header": {"en": "Shipped checkpoints and their model cards", "ko": "배포 체크포인트와 모델 카드"},
    "pretrain.tab.example": {"en": "Training example", "ko": "학습 예제"},
    "pretrain.tab.predict": {"en": "Shipped model", "ko": "배포된 모델"},
    "pretrain.tab.live": {"en": "Pretrain live", "ko": "실시간 사전학습"},
    "pretrain.tab.cards": {"en": "Checkpoints", "ko": "체크포인트"},
    "pretrain.example.show": {"en": "Make the example", "ko": "예제 만들기"},
    "pretrain.example.pairs": {"en": "{n} positive pairs, each with {k} negatives", "ko": "긍정 쌍 {n}개, 쌍마다 부정 예제 {k}개"},
    "pretrain.predict.mask_n": {"en": "[MASK] #{n}", "ko": "[MASK] #{n}"},
    "pretrain.predict.sentinel": {"en": "Sentinel", "ko": "센티널"},
    "pretrain.predict.filled": {"en": "Model's span", "ko": "모델이 채운 구간"},
    "pretrain.predict.hint.mlm": {"en": "Write [MASK] where a piece is missing.", "ko": "빠진 조각 자리에 [MASK]를 쓰세요."},
    "pretrain.predict.hint.span": {"en": "Write <extra_id_0>, <extra_id_1>, ... where spans are missing.", "ko": "빠진 구간 자리에 <extra_id_0>, <extra_id_1>, ...을 쓰세요."},
    "pretrain.live.busy": {
        "en": "Two live runs are already training on this server; wait for one to finish.",
        "ko": "이 서버에서 이미 실시간 학습 두 개가 돌고 있습니다. 하나가 끝날 때까지 기다리세요.",
    },
    "pretrain.live.none": {"en": "No live run yet: press Start.", "ko": "아직 실시간 학습이 없습니다. 시작을 누르세요."},
    "pretrain.cards.note": {
        "en": "Losses are not comparable across objectives (different targets); compare each model with its own twin.",
        "ko": "학습 목표마다 정답이 달라 손실끼리는 비교할 수 없습니다. 각 모델을 자기 쌍둥이와 비교하세요.",
    },
}
