"""Messages of the Transfer lab and Runs pages (prefixes `transfer.` and `runs.`)."""

MESSAGES = {
    # ---- page intros ---------------------------------------------------------------------------
    "transfer.lead": {
        "en": "Turn a pretrained model into a classifier five ways — frozen features, full fine-tuning, discriminative learning rates, gradual unfreezing — and race them against the same model trained from scratch.",
        "ko": "사전학습 모델을 다섯 가지 방법으로 분류기로 바꿉니다 — 고정 특징, 전체 미세조정, 차등 학습률, 점진적 언프리징 — 그리고 같은 모델을 처음부터 학습한 것과 경주시킵니다.",
    },
    "runs.lead": {
        "en": "Every training run is stored here, across restarts: browse, filter, compare runs on one chart, export or delete them.",
        "ko": "모든 학습 실행이 여기에 저장되며 재시작해도 남습니다. 찾아보고, 거르고, 한 차트에서 비교하고, 내보내거나 지울 수 있습니다.",
    },
    # ---- errors (core) -----------------------------------------------------------------------------
    "transfer.err.bad_mode": {
        "en": "Unknown transfer mode '{mode}'. Choose one of: {choices}.",
        "ko": "알 수 없는 전이 방식 '{mode}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "transfer.err.bad_pooling": {
        "en": "Unknown pooling '{pooling}'. Choose one of: {choices}.",
        "ko": "알 수 없는 풀링 '{pooling}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "transfer.err.bad_head": {
        "en": "Unknown head '{head}'. Choose one of: {choices}.",
        "ko": "알 수 없는 헤드 '{head}'입니다. 다음 중에서 고르세요: {choices}.",
    },
    "transfer.err.bad_epochs": {
        "en": "Epochs must be between 1 and {high} (got {epochs}). Training needs at least one pass over the examples.",
        "ko": "에폭은 1에서 {high} 사이여야 합니다(입력: {epochs}). 예시를 적어도 한 번은 훑어야 학습이 됩니다.",
    },
    "transfer.err.bad_lr": {
        "en": "The learning rate {name} = {value} is out of range (0, {high}]. Fine-tuning uses about 1e-5 to 1e-4 for the body and 1e-3 to 1e-2 for a new head: try lr_body 1e-4 and lr_head 2e-3.",
        "ko": "학습률 {name} = {value}이(가) 허용 범위 (0, {high}]를 벗어났습니다. 미세조정에서는 본체에 1e-5~1e-4, 새 헤드에 1e-3~1e-2 정도를 씁니다. lr_body 1e-4, lr_head 2e-3을 써 보세요.",
    },
    "transfer.err.bad_decay": {
        "en": "The layer-wise decay ξ must be between {low} and {high} (got {value}); 0.8 is a good start, 1 means no decay.",
        "ko": "층별 감쇠 ξ는 {low}에서 {high} 사이여야 합니다(입력: {value}). 0.8로 시작해 보세요. 1은 감쇠 없음입니다.",
    },
    "transfer.err.bad_batch": {
        "en": "The batch size must be between {low} and {high} (got {value}).",
        "ko": "배치 크기는 {low}에서 {high} 사이여야 합니다(입력: {value}).",
    },
    "transfer.err.bad_max_length": {
        "en": "The max length must be between {low} and {high} tokens (got {value}).",
        "ko": "최대 길이는 {low}에서 {high} 토큰 사이여야 합니다(입력: {value}).",
    },
    "transfer.err.bad_dropout": {
        "en": "Dropout must be between {low} and {high} (got {value}).",
        "ko": "드롭아웃은 {low}에서 {high} 사이여야 합니다(입력: {value}).",
    },
    "transfer.err.mode_not_applicable": {
        "en": "{name} is a {family} backbone: its vectors are fixed, so only these modes apply: {choices}. Choose a transformer (MiniLM, SmolLM2) to fine-tune.",
        "ko": "{name}은(는) {family} 백본이라 벡터가 고정되어 있어 다음 방식만 쓸 수 있습니다: {choices}. 미세조정하려면 트랜스포머(MiniLM, SmolLM2)를 고르세요.",
    },
    "transfer.err.pooling_not_applicable": {
        "en": "{name} gives one vector per text, so pooling '{pooling}' does not apply. Use: {choices}.",
        "ko": "{name}은(는) 텍스트마다 벡터 하나를 주므로 '{pooling}' 풀링을 쓸 수 없습니다. 다음을 쓰세요: {choices}.",
    },
    "transfer.err.bad_layer": {
        "en": "Layer {layer} does not exist in {name}: use 0 (embeddings) to {top} (top layer), or -1 for the top.",
        "ko": "{name}에는 {layer}층이 없습니다. 0(임베딩)부터 {top}(맨 위층)까지, 또는 맨 위층은 -1을 쓰세요.",
    },
    "transfer.err.n_or_k": {
        "en": "Give either the number of examples N or the number per class K — exactly one of them.",
        "ko": "예시 수 N과 클래스당 예시 수 K 중 정확히 하나만 주세요.",
    },
    "transfer.err.too_few_examples": {
        "en": "N = {n} is too few: with {classes} classes a classifier needs at least {least} examples. Use a larger N, or K per class.",
        "ko": "N = {n}은(는) 너무 적습니다. 클래스가 {classes}개이면 최소 {least}개가 필요합니다. N을 늘리거나 클래스당 K개를 쓰세요.",
    },
    "transfer.err.too_many_examples": {
        "en": "{n} training examples is more than this lab allows ({most}); it is about small data and would take very long on the CPU.",
        "ko": "학습 예시 {n}개는 이 실습의 한도({most}개)를 넘습니다. 이 실습은 적은 데이터가 주제이고, CPU로는 아주 오래 걸립니다.",
    },
    "transfer.err.one_class_drawn": {
        "en": "All {n} training examples have the same label ('{label}'). Draw more examples or use K per class.",
        "ko": "학습 예시 {n}개가 모두 같은 레이블('{label}')입니다. 예시를 더 뽑거나 클래스당 K개를 쓰세요.",
    },
    "transfer.err.bad_test_limit": {
        "en": "The test limit must be at least 1 (got {limit}); leave it empty to use the whole test set.",
        "ko": "테스트 개수 제한은 1 이상이어야 합니다(입력: {limit}). 테스트 세트 전체를 쓰려면 비워 두세요.",
    },
    "transfer.err.frame_columns": {
        "en": "{frame} needs the columns text and label; missing: {missing}.",
        "ko": "{frame}에는 text와 label 열이 필요합니다. 없는 열: {missing}.",
    },
    "transfer.err.empty_frame": {
        "en": "{frame} has no rows.",
        "ko": "{frame}에 행이 없습니다.",
    },
    "transfer.err.no_texts": {
        "en": "There are no texts to turn into features.",
        "ko": "특징으로 바꿀 텍스트가 없습니다.",
    },
    "transfer.err.nan_loss": {
        "en": "Training stopped at epoch {epoch}, step {step}: the loss became NaN or infinite. Lower the learning rate (now {lr}) by 10×, or keep gradient clipping on.",
        "ko": "에폭 {epoch}, 스텝 {step}에서 학습을 멈췄습니다. 손실이 NaN 또는 무한대가 되었습니다. 학습률(현재 {lr})을 10분의 1로 낮추거나 그래디언트 클리핑을 켜 두세요.",
    },
    "transfer.err.race_size": {
        "en": "A race needs {low} to {high} configurations (got {n}).",
        "ko": "경주에는 구성이 {low}~{high}개 필요합니다(입력: {n}개).",
    },
    "transfer.err.race_seed": {
        "en": "Every racer must use the same seed, so that they train on the identical split.",
        "ko": "모든 참가자는 같은 시드를 써야 똑같은 분할로 학습합니다.",
    },
    "runs.err.open": {
        "en": "The runs database {path} cannot be opened ({detail}). Check that the folder is writable, or set PLM_LAB_RUNS_DB to another file.",
        "ko": "실행 기록 데이터베이스 {path}를 열 수 없습니다({detail}). 폴더에 쓸 수 있는지 확인하거나 PLM_LAB_RUNS_DB를 다른 파일로 지정하세요.",
    },
    "runs.err.no_such_run": {
        "en": "There is no run with id {id} (it may have been deleted).",
        "ko": "id {id}인 실행이 없습니다(지워졌을 수 있습니다).",
    },
}
