"""Text of the concept diagrams and of the chart/fact fixes of issue 15 (axis titles, diagram labels)."""

MESSAGES = {
    "common.choose": {"en": "Choose…", "ko": "고르세요…"},
    "common.language_label": {"en": "Language / 언어", "ko": "Language / 언어"},  # one label: the switch keeps its identity
    "chart.loss": {"en": "loss", "ko": "손실"},
    "chart.accuracy": {"en": "accuracy", "ko": "정확도"},
    "chart.words": {"en": "words", "ko": "단어 수"},
    "chart.texts": {"en": "texts", "ko": "텍스트 수"},
    "chart.pool": {"en": "pool", "ko": "학습용 풀"},
    "chart.test": {"en": "test", "ko": "테스트"},
    "chart.uniform": {"en": "uniform {w:.2f}", "ko": "균등 {w:.2f}"},
    "surgery.layer": {"en": "layer {n}", "ko": "{n}층"},
    "surgery.embeddings": {"en": "embeddings (layer 0)", "ko": "임베딩 (0층)"},
    "surgery.head": {"en": "new head ψ", "ko": "새 헤드 ψ"},
    "surgery.mix": {"en": "scalar mix", "ko": "층 가중 합"},
    "surgery.pooler": {"en": "pooler", "ko": "풀러"},
    "surgery.lm_head": {"en": "old LM head", "ko": "기존 LM 헤드"},
    "surgery.lm_head (tied)": {"en": "old LM head (tied to the embeddings)", "ko": "기존 LM 헤드 (임베딩과 공유)"},
    "surgery.decoder + lm_head": {"en": "decoder + old LM head", "ko": "디코더 + 기존 LM 헤드"},
    "surgery.vectors": {"en": "word vectors", "ko": "단어 벡터"},
    "surgery.encoder": {"en": "encoder", "ko": "인코더"},
    "surgery.body": {"en": "body", "ko": "본체"},
    "surgery.pretrained": {"en": "pretrained", "ko": "사전학습"},
    "surgery.random": {"en": "random", "ko": "무작위"},
    "surgery.new": {"en": "new", "ko": "새로 만듦"},
    "surgery.trainable": {"en": "trainable", "ko": "학습"},
    "surgery.frozen": {"en": "frozen", "ko": "고정"},
    "surgery.unused": {"en": "unused", "ko": "사용 안 함"},
    "surgery.dropped": {"en": "dropped", "ko": "버림"},
    "diagram.transfer.title": {"en": "Transfer as the optimizer sees it: φ (body) and ψ (new head)",
                               "ko": "옵티마이저가 보는 전이학습: φ(본체)와 ψ(새 헤드)"},
    "diagram.transfer.body": {"en": "φ pretrained", "ko": "φ 사전학습"},
    "diagram.transfer.head": {"en": "ψ new", "ko": "ψ 새로"},
    "diagram.transfer.lr": {"en": "learning rate (log)", "ko": "학습률 (로그)"},
    "diagram.transfer.caption": {
        "en": "Grey boxes are frozen, coloured ones learn (green: the new head ψ); the bars are each group's learning rate in the optimizer. A crossed box is the pretrained model's old head, left out.",
        "ko": "회색 상자는 고정, 색이 있는 상자는 학습합니다(초록: 새 헤드 ψ). 막대는 옵티마이저 속 그룹별 학습률입니다. 빗금 상자는 사전학습 모델의 기존 헤드로, 빼고 씁니다.",
    },
    "transfer.metric.share": {"en": "trainable share: {share}", "ko": "학습 비율: {share}"},
}

MESSAGES |= {
    # the architecture table on Models & data (plm_core.figures.architecture_table)
    "arch.part.lookup": {"en": "lookup table", "ko": "조회 표"},
    "arch.role.lookup": {"en": "one vector per word type, the same in every sentence", "ko": "단어 종류마다 벡터 하나, 어느 문장에서나 같음"},
    "arch.part.sentence_mean": {"en": "sentence = mean", "ko": "문장 = 평균"},
    "arch.role.sentence_mean": {"en": "average of the word vectors", "ko": "단어 벡터의 평균"},
    "arch.part.sentencepiece": {"en": "SentencePiece", "ko": "SentencePiece"},
    "arch.role.sentencepiece": {"en": "text -> pieces", "ko": "텍스트 → 조각"},
    "arch.part.closed_encoder": {"en": "encoder (closed)", "ko": "인코더 (내부 비공개)"},
    "arch.role.closed_encoder": {"en": "pieces -> one vector", "ko": "조각 → 벡터 하나"},
    "arch.part.sentence_vector": {"en": "sentence vector", "ko": "문장 벡터"},
    "arch.role.sentence_vector": {"en": "L2-normalised", "ko": "L2 정규화"},
    "arch.part.token_embedding": {"en": "token embedding", "ko": "토큰 임베딩"},
    "arch.role.token_embedding": {"en": "shared by both directions", "ko": "두 방향이 함께 씀"},
    "arch.part.lstm": {"en": "LSTM layer {n}", "ko": "LSTM {n}층"},
    "arch.role.lstm": {"en": "forward (left->right) + backward (right->left)", "ko": "순방향(왼→오) + 역방향(오→왼)"},
    "arch.part.softmax": {"en": "softmax", "ko": "softmax"},
    "arch.role.softmax": {"en": "shared: predicts next word (fwd) and previous word (bwd)", "ko": "공유: 다음 단어(순방향)와 이전 단어(역방향)를 예측"},
    "arch.part.embeddings": {"en": "embeddings", "ko": "임베딩"},
    "arch.role.embeddings": {"en": "token (+ position) vectors", "ko": "토큰 (+ 위치) 벡터"},
    "arch.part.block": {"en": "block {n}", "ko": "{n}번 블록"},
    "arch.role.block": {"en": "{attn}, {heads} heads + feed-forward", "ko": "{attn}, 헤드 {heads}개 + 피드포워드"},
    "arch.attn.encoder": {"en": "bidirectional self-attention", "ko": "양방향 셀프 어텐션"},
    "arch.attn.decoder": {"en": "causal (masked) self-attention", "ko": "인과(마스크) 셀프 어텐션"},
    "arch.attn.encoder-decoder": {"en": "encoder: bidirectional; decoder: causal + cross-attention", "ko": "인코더: 양방향, 디코더: 인과 + 교차 어텐션"},
    "arch.part.head": {"en": "head", "ko": "헤드"},
    "arch.role.head.mlm": {"en": "masked-LM head (fill in [MASK])", "ko": "마스크 LM 헤드 ([MASK] 채우기)"},
    "arch.role.head.clm": {"en": "LM head (next token)", "ko": "LM 헤드 (다음 토큰)"},
    "arch.role.head.seq2seq": {"en": "LM head on the decoder (span filling)", "ko": "디코더 위 LM 헤드 (구간 채우기)"},
    "arch.role.head.none": {"en": "no head: add one for your task", "ko": "헤드 없음: 과제에 맞는 헤드를 붙이세요"},
}

MESSAGES |= {
    "tokens.warn.unknown": {
        "en": "{name} cannot read most of this text: {share} of its pieces are [UNK] (unknown). Its vocabulary has no pieces for these characters, so every [UNK] gets the same vector — choose a backbone that reads the language (e.g. USE-multilingual for Korean).",
        "ko": "{name:은} 이 텍스트 대부분을 읽지 못합니다: 조각의 {share:이} [UNK](모르는 조각)입니다. 어휘에 이 글자들의 조각이 없어 모든 [UNK]가 같은 벡터를 받습니다 — 이 언어를 읽는 백본(한국어는 USE-multilingual 등)을 고르세요.",
    },
    "tokens.warn.characters": {
        "en": "{name} splits this Hangul into single characters or jamo ({share} of its pieces): its English vocabulary has no whole Korean words, so it has to spell them out letter by letter and the pieces carry little meaning.",
        "ko": "{name:은} 이 한글을 글자 하나나 자모로 쪼갭니다(조각의 {share}). 영어 어휘에 한국어 단어가 통째로 없어 글자 단위로 받아 적을 수밖에 없고, 그래서 조각에 담긴 뜻이 적습니다.",
    },
    "tokens.explain.bytes": {
        "en": "A byte-level tokenizer (GPT-2, SmolLM2) works on UTF-8 bytes: a Korean syllable is 3 bytes and may become up to 3 pieces. Pieces shown as ⟨EB⟩ hold only part of a character.",
        "ko": "바이트 수준 토크나이저(GPT-2, SmolLM2)는 UTF-8 바이트를 다룹니다. 한글 한 음절은 3바이트라 조각 3개까지 될 수 있습니다. ⟨EB⟩처럼 보이는 조각은 글자의 일부만 담고 있습니다.",
    },
    "embeddings.custom.syntax": {
        "en": "One sentence per line; start a line with a sense and a bar to colour it: `weight | The box is light.`",
        "ko": "한 줄에 문장 하나. 줄 앞에 의미와 세로 막대를 붙이면 그 의미로 색칠합니다: `weight | The box is light.`",
    },
    "embeddings.korean_default": {
        "en": "This set is in Korean: the contextual backbone defaults to one that reads Korean ({name}).",
        "ko": "한국어 세트입니다: 문맥 백본의 기본값을 한국어를 읽는 모델({name})로 정했습니다.",
    },
}

MESSAGES |= {
    "attention.hide_sink": {"en": "Hide the first-token sink", "ko": "첫 토큰 싱크 숨기기"},
    "attention.sink_why": {
        "en": "Why a sink: softmax must give every head 100% of its attention, so a head with nothing useful to look at parks it on the first token; hiding that column (and renormalising the rest) shows what the heads do attend to.",
        "ko": "싱크가 생기는 이유: softmax는 헤드마다 어텐션 100%를 어딘가에 줘야 하므로, 볼 것이 없는 헤드는 첫 토큰에 몰아 둡니다. 그 열을 숨기고(나머지를 다시 정규화) 보면 헤드가 실제로 보는 곳이 드러납니다.",
    },
}

MESSAGES |= {
    "diagram.arch.title.encoder": {"en": "Encoder (BERT, MiniLM): every piece sees every piece", "ko": "인코더(BERT, MiniLM): 모든 조각이 모든 조각을 봄"},
    "diagram.arch.title.decoder": {"en": "Decoder (GPT, SmolLM2): each piece sees only the past", "ko": "디코더(GPT, SmolLM2): 각 조각은 앞만 봄"},
    "diagram.arch.title.encoder-decoder": {"en": "Encoder-decoder (T5): read all, then write left to right", "ko": "인코더-디코더(T5): 전부 읽고 왼쪽부터 씀"},
    "diagram.arch.tokens_in": {"en": "input pieces", "ko": "입력 조각"},
    "diagram.arch.embeddings": {"en": "embeddings", "ko": "임베딩"},
    "diagram.arch.block": {"en": "block {n}: self-attention + FF", "ko": "{n}번 블록: 셀프 어텐션 + FF"},
    "diagram.arch.cross": {"en": "block {n}: masked self + cross + FF", "ko": "{n}번 블록: 마스크 셀프 + 교차 + FF"},
    "diagram.arch.encoder": {"en": "encoder", "ko": "인코더"},
    "diagram.arch.decoder": {"en": "decoder", "ko": "디코더"},
    "diagram.arch.output": {"en": "one vector per piece", "ko": "조각마다 벡터 하나"},
    "diagram.arch.lm_out": {"en": "next piece", "ko": "다음 조각"},
    "diagram.arch.mask": {"en": "mask (query × key)", "ko": "마스크 (쿼리 × 키)"},
    "diagram.arch.cross_arrow": {"en": "cross", "ko": "교차"},
    "diagram.arch.caption": {
        "en": "Drawn from the same masks the models use: blue/orange cells are allowed (query row may look at key column), grey cells are blocked.",
        "ko": "모델이 쓰는 마스크 그대로 그렸습니다: 파랑/주황 칸은 허용(쿼리 행이 키 열을 봄), 회색 칸은 막힘입니다.",
    },
    "diagram.elmo.title": {"en": "ELMo: task vector = γ · Σ softmax(λ)ₗ · hₗ", "ko": "ELMo: 과제 벡터 = γ · Σ softmax(λ)ₗ · hₗ"},
    "diagram.elmo.layer": {"en": "layer {n}: biLSTM", "ko": "{n}층: 양방향 LSTM"},
    "diagram.elmo.embeddings": {"en": "layer 0: token embedding", "ko": "0층: 토큰 임베딩"},
    "diagram.elmo.forward": {"en": "→ forward", "ko": "→ 순방향"},
    "diagram.elmo.backward": {"en": "← backward", "ko": "← 역방향"},
    "diagram.elmo.mix": {"en": "weighted sum", "ko": "가중 합"},
    "diagram.elmo.task": {"en": "task head", "ko": "과제 헤드"},
    "diagram.elmo.caption": {
        "en": "The arrows carry the learned layer weights softmax(λ) (thicker = more weight); γ scales the mixed vector for the task.",
        "ko": "화살표 숫자는 학습된 층 가중치 softmax(λ)입니다(굵을수록 큼). γ는 섞인 벡터를 과제에 맞게 키우거나 줄입니다.",
    },
    "diagram.elmo.uniform": {
        "en": "Before training the mix is uniform; the Transfer lab learns λ and γ for a task (ELMo backbone, pooling 'mix').",
        "ko": "학습 전에는 고르게 섞습니다. 전이학습 실험실에서 과제마다 λ와 γ를 학습합니다(ELMo 백본, 풀링 'mix').",
    },
    "diagram.sgns.title": {"en": "Skip-gram with negative sampling: one centre word, window {window}", "ko": "네거티브 샘플링 스킵그램: 중심 단어 하나, 윈도 {window}"},
    "diagram.sgns.positive": {"en": "green: positive pairs (centre, context) → label 1", "ko": "초록: 양성 쌍 (중심, 문맥) → 레이블 1"},
    "diagram.sgns.negative": {"en": "red: negatives drawn from unigram^0.75 → label 0", "ko": "빨강: unigram^0.75에서 뽑은 네거티브 → 레이블 0"},
    "diagram.course.title": {"en": "The course in order — each box opens the page that shows it", "ko": "강의 순서 — 상자마다 그 내용을 보여 주는 페이지가 있습니다"},
    "diagram.course.path": {"en": "The path of a lesson: follow the orange arrows.", "ko": "한 수업의 경로: 주황 화살표를 따라가세요."},
}

MESSAGES |= {  # sample-set names and descriptions (ui.common.dataset_label falls back to DatasetInfo.display)
    "dataset.movie-snippets": {"en": "Movie-review snippets (sentiment)", "ko": "영화 리뷰 한 문장 (감성)"},
    "dataset.rt-reviews": {"en": "Rotten Tomatoes reviews (sentiment)", "ko": "Rotten Tomatoes 평론 (감성)"},
    "dataset.wiki-topics": {"en": "Wikipedia topics (11 classes)", "ko": "Wikipedia 주제 (11개 클래스)"},
    "dataset.korean-intents": {"en": "Korean chatbot topics", "ko": "한국어 챗봇 주제"},
    "dataset.movie-snippets.description": {
        "en": "10,605 one-sentence movie reviews, rated by people; positive if the mean rating > 0.",
        "ko": "사람이 점수를 매긴 한 문장 영화 리뷰 10,605개. 평균 점수가 0보다 크면 긍정입니다."},
    "dataset.rt-reviews.description": {
        "en": "12,808 critic reviews labelled fresh (positive) or rotten (negative).",
        "ko": "fresh(긍정) 또는 rotten(부정)으로 표시된 평론가 리뷰 12,808개."},
    "dataset.wiki-topics.description": {
        "en": "9,033 Wikipedia lead summaries in 11 topics (People, Geography, Mathematics, ...).",
        "ko": "11개 주제(인물, 지리, 수학 …)로 나뉜 Wikipedia 문서 첫 문단 요약 9,033개."},
    "dataset.korean-intents.description": {
        "en": "Korean questions and answers from a chatbot corpus; the label is the topic file.",
        "ko": "챗봇 말뭉치의 한국어 질문과 답. 레이블은 주제 파일입니다."},
}

MESSAGES |= {
    "pretrain.predict.sgns_cosine": {
        "en": "Cosine after removing the mean vector and the top principal direction (all-but-the-top, Mu & Viswanath 2018). Raw skip-gram vectors all lean one common way (mostly word frequency), which lifts every cosine and crowds the list; removed, the neighbours spread out. Neighbours come from the same source and register — the history plays for 'king' — because the corpus is small; gensim's Word2Vec on the same corpus and settings agrees (see the model card).",
        "ko": "평균 벡터와 가장 큰 주성분 방향을 뺀 뒤의 코사인입니다(all-but-the-top, Mu & Viswanath 2018). 스킵그램 벡터는 그대로 두면 모두 한 방향(주로 단어 빈도)으로 기울어 있어 모든 코사인이 높아지고 이웃이 한데 몰립니다. 그 방향을 빼면 이웃 사이의 차이가 드러납니다. 말뭉치가 작아서 이웃은 같은 출처·문체에서 옵니다 — 'king'이면 셰익스피어 사극의 인물들. 같은 말뭉치와 설정으로 학습한 gensim Word2Vec도 비슷합니다(모델 카드 참고).",
    },
}

MESSAGES |= {
    "pretrain.live.plateau": {
        "en": "Expect 'the', ',' or 'of' for every gap at first: that is the expected first stage (the unigram plateau) — the model has learned which pieces are frequent before it learns to read the neighbours. A few hundred steps on a CPU rarely get past it; the shipped tiny BERT left it after ~9,000 steps.",
        "ko": "처음에는 어느 빈칸이든 'the', ',', 'of'를 예측합니다. 이것이 예상되는 첫 단계(유니그램 고원)입니다 — 이웃을 읽는 법보다 자주 나오는 조각을 먼저 배우기 때문입니다. CPU에서 수백 스텝으로는 거의 벗어나지 못하며, 배포된 작은 BERT는 약 9,000 스텝 뒤에 벗어났습니다.",
    },
}

CORPUS_KO = "340만 단어: Wikipedia 요약, 미국 대통령 연두교서(1790-2021), 모비 딕, 셰익스피어"
TINY_LICENSE_KO = "MIT(가중치), 말뭉치 CC BY-SA 4.0 + 퍼블릭 도메인"
TINY_NOTE_KO = "여기서 CPU로 직접 사전학습했습니다. 소문자 WordPiece 어휘 8,192개 조각 하나를 공유하고, 64조각 길이 문장으로 학습했습니다."

MESSAGES |= {  # backbone descriptions on Models & data (ui.common.spec_text falls back to the spec's English)
    "backbone.minilm-l6.pretrained_on": {"en": 'MiniLM distilled from a BERT-style teacher (Wikipedia + books), then 1B sentence pairs', "ko": "BERT 방식 교사 모델(Wikipedia + 책)에서 증류한 MiniLM, 이어서 문장 쌍 10억 개"},
    "backbone.minilm-l6.objective": {"en": 'distillation of a masked LM, then contrastive sentence-pair training', "ko": "마스크 LM 증류, 이어서 대조 학습(문장 쌍)"},
    "backbone.minilm-l6.notes": {"en": 'No MLM head: fill-mask is not possible with it.', "ko": "MLM 헤드가 없어 빈칸 채우기(fill-mask)는 할 수 없습니다."},
    "backbone.smollm2-135m.pretrained_on": {"en": '2T tokens of web, code and math text (FineWeb-Edu, DCLM, The Stack, ...)', "ko": "웹·코드·수학 텍스트 2조 토큰(FineWeb-Edu, DCLM, The Stack 등)"},
    "backbone.smollm2-135m.objective": {"en": 'causal language modelling (next token), then instruction tuning', "ko": "인과 언어 모델링(다음 토큰), 이어서 지시 튜닝"},
    "backbone.smollm2-135m.notes": {"en": 'Weights de-quantised from Q4_1: quality is that of the 4-bit quantisation, not the bf16 original.', "ko": "가중치는 Q4_1 양자화본을 되돌린 것입니다: 품질은 bf16 원본이 아니라 4비트 양자화 수준입니다."},
    "backbone.glove-6b-50d.pretrained_on": {"en": 'Wikipedia 2014 + Gigaword 5 (6B tokens)', "ko": "Wikipedia 2014 + Gigaword 5 (60억 토큰)"},
    "backbone.glove-6b-50d.objective": {"en": 'global word co-occurrence factorisation (GloVe)', "ko": "전역 단어 동시 등장 행렬 분해(GloVe)"},
    "backbone.glove-6b-50d.notes": {"en": "One vector per word: 'bank' has the same vector in every sentence.", "ko": "단어마다 벡터 하나: 'bank'는 어느 문장에서나 같은 벡터입니다."},
    "backbone.use-multilingual.pretrained_on": {"en": '16 languages (Korean included): question-answer pairs, translation pairs, NLI', "ko": "16개 언어(한국어 포함): 질문-답 쌍, 번역 쌍, NLI"},
    "backbone.use-multilingual.objective": {"en": 'multi-task dual-encoder training (retrieval, translation ranking, NLI)', "ko": "다중 과제 이중 인코더 학습(검색, 번역 순위, NLI)"},
    "backbone.use-multilingual.notes": {"en": 'Sentence vectors only: no token vectors, no attention, no fine-tuning.', "ko": "문장 벡터만 있습니다: 토큰 벡터·어텐션·미세조정은 없습니다."},
    "backbone.tiny-bert-mlm.pretrained_on": {"en": '3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare', "ko": CORPUS_KO},
    "backbone.tiny-bert-mlm.objective": {"en": 'masked language modelling (15% of pieces; 80% [MASK], 10% random, 10% kept)', "ko": "마스크 언어 모델링(조각의 15%; 80% [MASK], 10% 무작위, 10% 그대로)"},
    "backbone.tiny-bert-mlm.notes": {"en": 'Pretrained here in ~8 CPU minutes on one lower-cased WordPiece vocabulary of 8,192 pieces; trained on 64-piece sequences.', "ko": TINY_NOTE_KO},
    "backbone.tiny-gpt-clm.pretrained_on": {"en": '3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare', "ko": CORPUS_KO},
    "backbone.tiny-gpt-clm.objective": {"en": 'causal language modelling (next piece)', "ko": "인과 언어 모델링(다음 조각)"},
    "backbone.tiny-gpt-clm.notes": {"en": 'Pretrained here in ~8 CPU minutes on one lower-cased WordPiece vocabulary of 8,192 pieces; trained on 64-piece sequences.', "ko": TINY_NOTE_KO},
    "backbone.tiny-t5-span.pretrained_on": {"en": '3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare', "ko": CORPUS_KO},
    "backbone.tiny-t5-span.objective": {"en": 'T5 span corruption (15% of pieces in spans of ~3, replaced by sentinels), after a 1,500-step warm-up rewriting the whole sentence', "ko": "T5 구간 손상(조각의 15%를 길이 ~3 구간으로 센티널로 바꿈). 그 전에 1,500단계 동안 문장 전체를 다시 쓰는 예열"},
    "backbone.tiny-t5-span.notes": {"en": "2 encoder + 2 decoder layers; one lower-cased WordPiece vocabulary of 8,192 pieces; hidden states are the encoder's.", "ko": "인코더 2층 + 디코더 2층, 소문자 WordPiece 어휘 8,192개 조각. 은닉 상태는 인코더의 것입니다."},
    "backbone.tiny-elmo-bilm.pretrained_on": {"en": '3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare', "ko": CORPUS_KO},
    "backbone.tiny-elmo-bilm.objective": {"en": 'forward + backward language modelling (shared embedding and softmax)', "ko": "순방향 + 역방향 언어 모델링(임베딩과 softmax 공유)"},
    "backbone.tiny-elmo-bilm.notes": {"en": "2 forward + 2 backward LSTM layers of 128; a layer's vector = [forward; backward] (256).", "ko": "순방향 LSTM 2층 + 역방향 LSTM 2층(128). 층 벡터 = [순방향; 역방향] (256)."},
    "backbone.tiny-sgns.pretrained_on": {"en": '3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare', "ko": CORPUS_KO},
    **{f"backbone.{name}.license": {"en": "MIT (weights); corpus CC BY-SA 4.0 + public domain", "ko": TINY_LICENSE_KO}
       for name in ("tiny-bert-mlm", "tiny-gpt-clm", "tiny-t5-span", "tiny-elmo-bilm", "tiny-sgns")},
    "backbone.tiny-sgns.objective": {"en": 'skip-gram with 15 negatives from unigram^0.75, window 1', "ko": "unigram^0.75에서 네거티브 15개를 뽑는 스킵그램, 윈도 1"},
    "backbone.tiny-sgns.notes": {"en": "20,000 lower-cased words x 50 dimensions; one vector per word type, read with the mean and the top principal direction removed.", "ko": "소문자 단어 20,000개 × 50차원, 단어 종류마다 벡터 하나. 평균과 가장 큰 주성분 방향을 뺀 뒤 읽습니다."},
}

MESSAGES |= {
    "pretrain.predict.span_blind": {
        "en": "Expect 'the' in every span: this tiny T5 has not yet learned to read its encoder. On the first piece of each span ({n} in its validation slice) its loss is {own} with the sentence's own encoder states and {shuffled} with another sentence's — the input makes no difference. What it did learn is the format (sentinels in order, each followed by a span) and which words are frequent inside spans. Reading the input needs two things at once — the decoder finding its sentinel in the encoder, and the encoder gathering the neighbours there — and span corruption alone did not teach them in 24,000 steps. The shipped recipe first spends 1,500 steps writing out the whole sentence, which teaches the decoder where to look (model card).",
        "ko": "어느 구간이든 'the'가 나올 것입니다. 이 작은 T5는 아직 인코더를 읽는 법을 배우지 못했습니다. 각 구간의 첫 조각(검증 조각 {n}개)에서 손실이 문장 자신의 인코더 상태로는 {own}, 다른 문장의 인코더 상태로는 {shuffled}입니다 — 입력이 달라도 결과가 같습니다. 배운 것은 형식(센티널을 순서대로, 각각 뒤에 구간)과 구간 안에서 자주 나오는 단어입니다. 입력을 읽으려면 디코더가 인코더에서 자기 센티널을 찾는 일과 인코더가 그 자리에 이웃 정보를 모으는 일을 함께 배워야 하는데, 구간 손상만으로는 24,000단계를 학습해도 배우지 못했습니다. 기본 학습법은 먼저 1,500단계 동안 문장 전체를 다시 쓰게 해서 디코더가 어디를 볼지 배우게 합니다(모델 카드).",
    },
    "pretrain.predict.span_reads": {
        "en": "On the first piece of each span ({n} in its validation slice) this T5's loss is {own} with the sentence's own encoder states and {shuffled} with another sentence's: its decoder reads the input. It learned to only after a warm-up: 1,500 steps of writing out the whole sentence (copying the kept pieces teaches the decoder where to look), then span corruption. Span corruption alone never taught it (model card).",
        "ko": "각 구간의 첫 조각(검증 조각 {n}개)에서 이 T5의 손실은 문장 자신의 인코더 상태로 {own}, 다른 문장의 인코더 상태로 {shuffled}입니다. 디코더가 입력을 읽습니다. 예열을 거친 뒤에야 배웠습니다. 먼저 1,500단계 동안 문장 전체를 다시 쓰게 하고(남은 조각을 베끼면서 디코더가 인코더의 어디를 볼지 배웁니다) 그다음 구간 손상으로 학습했습니다. 구간 손상만으로는 끝내 배우지 못했습니다(모델 카드).",
    },
}
