"""Messages of the domain-fit lab (fit measures, continued pretraining, the Korean case)."""

MESSAGES = {
    # ---- page ---------------------------------------------------------------------------------------
    "domain.title": {"en": "Domain fit", "ko": "도메인 적합도"},
    "domain.lead": {
        "en": "Before you transfer: does the pretrained model fit your text? Measure it, then continue pretraining "
              "on your unlabelled text (ULMFiT's second stage) and see what changes.",
        "ko": "전이하기 전에: 사전학습 모델이 내 텍스트에 맞을까요? 적합도를 재 보고, 레이블 없는 내 텍스트로 사전학습을 "
              "이어 간 뒤(ULMFiT의 두 번째 단계) 무엇이 달라지는지 보세요.",
    },
    "domain.explain": {
        "en": "A model that read only news or encyclopaedia text may cut movie slang into many pieces, never have "
              "seen its words, and find it surprising (high perplexity). ELMo fine-tuned its language model on task "
              "text and its perplexity fell from 72.1 to 16.8. Our tiny models are ideal subjects: we know exactly "
              "what they read.",
        "ko": "뉴스나 백과사전만 읽은 모델은 영화 속어를 여러 조각으로 자르고, 그 단어를 본 적이 없으며, 그 텍스트를 "
              "낯설어합니다(높은 퍼플렉서티). ELMo는 과제 텍스트로 언어 모델을 미세조정해 퍼플렉서티를 72.1에서 16.8로 "
              "낮췄습니다. 우리 작은 모델들은 무엇을 읽었는지 정확히 알기에 좋은 실험 대상입니다.",
    },
    "domain.tab.fit": {"en": "Measure fit", "ko": "적합도 측정"},
    "domain.tab.continue": {"en": "Continue pretraining", "ko": "사전학습 이어 하기"},
    "domain.tab.korean": {"en": "The Korean case", "ko": "한국어 사례"},
    "domain.backbone": {"en": "Backbone", "ko": "백본"},
    "domain.data": {"en": "Target text", "ko": "대상 텍스트"},
    "domain.data.upload": {"en": "My CSV file (column “text”)", "ko": "내 CSV 파일(“text” 열)"},  # an option: no Markdown
    "domain.upload": {"en": "Upload a CSV with a `text` column (a `label` column is needed only to continue "
                            "pretraining and transfer)",
                      "ko": "`text` 열이 있는 CSV를 올리세요 (`label` 열은 사전학습 이어 하기와 전이에만 필요합니다)"},
    "domain.upload.missing": {"en": "Upload a CSV file first.", "ko": "먼저 CSV 파일을 올리세요."},
    "domain.measure": {"en": "Run the measures", "ko": "측정 시작"},
    "domain.none": {"en": "Pick a backbone and a target, then press “Run the measures”.",
                    "ko": "백본과 대상 텍스트를 고른 뒤 ‘측정 시작’을 누르세요."},
    "domain.side.target": {"en": "target (held out)", "ko": "대상 (평가용으로 떼어 둔 것)"},
    "domain.side.reference": {"en": "pretraining text (held out)", "ko": "사전학습 텍스트 (떼어 둔 것)"},
    "domain.reference.own": {
        "en": "Reference: the held-out split of the very corpus {name} was pretrained on (never trained on).",
        "ko": "기준: {name:이} 사전학습한 바로 그 말뭉치의 떼어 둔 부분(학습에 쓰지 않음)입니다.",
    },
    "domain.reference.proxy": {
        "en": "Reference: we do not have the text {name} was pretrained on. Held-out general English from our own "
              "corpus stands in for it, so read the reference row as “general text”, not “its own text”.",
        "ko": "기준: {name:이} 사전학습한 텍스트는 우리에게 없습니다. 우리 말뭉치의 떼어 둔 일반 영어 문장으로 대신하므로, "
              "기준 행은 ‘그 모델의 텍스트’가 아니라 ‘일반 텍스트’로 읽으세요.",
    },
    "domain.fit.header": {"en": "Tokenizer and language-model fit", "ko": "토크나이저와 언어 모델 적합도"},
    "domain.col.side": {"en": "text", "ko": "텍스트"},
    "domain.col.pieces_per_word": {"en": "pieces per word", "ko": "단어당 조각 수"},
    "domain.col.pieces_per_char": {"en": "pieces per character", "ko": "글자당 조각 수"},
    "domain.col.unk_rate": {"en": "[UNK] rate", "ko": "[UNK] 비율"},
    "domain.col.texts": {"en": "texts", "ko": "텍스트 수"},
    "domain.col.words": {"en": "words", "ko": "단어 수"},
    "domain.col.perplexity": {"en": "perplexity", "ko": "퍼플렉서티"},
    "domain.ppl.pseudo": {
        "en": "Perplexity here is pseudo-perplexity: each piece is masked in turn and the masked LM guesses it "
              "(lower = less surprised).",
        "ko": "여기서 퍼플렉서티는 의사 퍼플렉서티입니다. 조각을 하나씩 가리고 마스크 언어 모델이 맞히게 합니다(낮을수록 덜 놀람).",
    },
    "domain.ppl.causal": {
        "en": "Perplexity: how surprised the language model is by each next piece (lower = less surprised).",
        "ko": "퍼플렉서티: 언어 모델이 다음 조각마다 얼마나 놀라는지입니다(낮을수록 덜 놀람).",
    },
    "domain.overlap.header": {"en": "Vocabulary overlap", "ko": "어휘 겹침"},
    "domain.overlap.one_piece": {"en": "word types kept whole", "ko": "통째로 남는 단어 유형"},
    "domain.overlap.one_piece_help": {
        "en": "Share of the target's distinct words that the tokenizer reads as one known piece.",
        "ko": "대상의 서로 다른 단어 가운데 토크나이저가 알려진 조각 하나로 읽는 비율입니다.",
    },
    "domain.overlap.in_corpus": {"en": "word types seen in pretraining", "ko": "사전학습에서 본 단어 유형"},
    "domain.overlap.tokens_in_corpus": {"en": "running words seen in pretraining", "ko": "사전학습에서 본 단어(출현 기준)"},
    "domain.overlap.unseen": {"en": "Most frequent target words the corpus never had: {words}",
                              "ko": "말뭉치에 한 번도 없던 가장 잦은 대상 단어: {words}"},
    "domain.overlap.corpus.full": {"en": "Corpus: the full pretraining corpus ({types} target word types).",
                                   "ko": "말뭉치: 전체 사전학습 말뭉치 (대상 단어 유형 {types}개)."},
    "domain.overlap.corpus.slice": {
        "en": "Corpus: the shipped slice of the pretraining corpus ({types} target word types); the full corpus "
              "is not built on this machine, so “seen” is an underestimate.",
        "ko": "말뭉치: 함께 배포된 사전학습 말뭉치 일부 (대상 단어 유형 {types}개). 이 컴퓨터에는 전체 말뭉치가 없어 "
              "‘본 적 있음’이 실제보다 낮게 나옵니다.",
    },
    "domain.overlap.no_corpus": {
        "en": "Overlap with the pretraining text cannot be measured for {name}: its pretraining text is not ours.",
        "ko": "{name}의 사전학습 텍스트는 우리 것이 아니어서 사전학습 텍스트와의 겹침은 잴 수 없습니다.",
    },
    "domain.map.header": {"en": "Embedding map", "ko": "임베딩 지도"},
    "domain.map.separability": {
        "en": "{share} of the texts have a nearest neighbour from their own side (50% = the two texts mix, "
              "100% = two separate islands).",
        "ko": "텍스트의 {share:이} 자기 쪽 텍스트를 가장 가까운 이웃으로 둡니다(50% = 두 텍스트가 섞임, 100% = 두 섬으로 갈라짐).",
    },
    "domain.fig.map_title": {"en": "Target vs pretraining text in {backbone}'s space (PCA)",
                             "ko": "{backbone} 공간에서 대상과 사전학습 텍스트 (PCA)"},
    "domain.example.header": {"en": "One sentence as the tokenizer cuts it", "ko": "토크나이저가 자른 문장 하나"},
    "domain.example.caption": {"en": "{n} pieces for {chars} characters ({ppc:.2f} pieces per character); "
                                     "{unk} unknown pieces in red.",
                               "ko": "글자 {chars}개에 조각 {n}개 (글자당 {ppc:.2f}개). 모르는 조각 {unk}개는 빨간색입니다."},
    "domain.status.running": {"en": "{phase} — step {step}/{total}", "ko": "{phase} — 스텝 {step}/{total}"},
    # ---- continued pretraining ----------------------------------------------------------------------
    "domain.cont.explain": {
        "en": "Continue the tiny model's own pretraining objective on the target's unlabelled pool (the shipped "
              "checkpoint is copied, never overwritten), then rerun the same transfer, frozen and fine-tuned, on the "
              "same examples and seed. Perplexities are measured on held-out target texts and held-out "
              "pretraining text.",
        "ko": "작은 모델 자신의 사전학습 목표를 대상 텍스트의 레이블 없는 풀에서 이어 갑니다(배포된 체크포인트는 복사해 쓰며 "
              "덮어쓰지 않습니다). 그다음 같은 예제와 같은 시드로 같은 전이(고정, 미세조정)를 다시 합니다. 퍼플렉서티는 떼어 둔 "
              "대상 텍스트와 떼어 둔 사전학습 텍스트에서 잽니다.",
    },
    "domain.cont.objective": {"en": "Model", "ko": "모델"},
    "domain.cont.obj.mlm": {"en": "Tiny BERT (masked LM)", "ko": "작은 BERT (마스크 언어 모델)"},
    "domain.cont.obj.clm": {"en": "Tiny GPT (causal LM)", "ko": "작은 GPT (인과 언어 모델)"},
    "domain.cont.steps": {"en": "Steps (at most)", "ko": "스텝 (최대)"},
    "domain.cont.budget": {"en": "Time budget (seconds, one thread)", "ko": "시간 예산 (초, 스레드 1개)"},
    "domain.cont.start": {"en": "Start continued pretraining", "ko": "이어 학습 시작"},
    "domain.cont.none": {"en": "Nothing has run yet: set a budget and press “Start continued pretraining”.",
                         "ko": "아직 실행한 것이 없습니다. 예산을 정하고 ‘이어 학습 시작’을 누르세요."},
    "domain.cont.csv_needs_labels": {
        "en": "Continued pretraining uses the sample sets; an uploaded CSV with `text` and `label` columns works too.",
        "ko": "사전학습 이어 하기는 예제 데이터를 씁니다. `text`와 `label` 열이 있는 CSV도 됩니다.",
    },
    "domain.phase.measure_before": {"en": "measuring the shipped model", "ko": "배포된 모델 측정 중"},
    "domain.phase.transfer_before": {"en": "transfer with the shipped model", "ko": "배포된 모델로 전이 중"},
    "domain.phase.pretrain": {"en": "continuing pretraining", "ko": "사전학습 이어 하는 중"},
    "domain.phase.measure_after": {"en": "measuring the continued model", "ko": "이어 학습한 모델 측정 중"},
    "domain.phase.transfer_after": {"en": "transfer with the continued model", "ko": "이어 학습한 모델로 전이 중"},
    "domain.phase.done": {"en": "done", "ko": "완료"},
    "domain.fig.train": {"en": "training batches", "ko": "학습 배치"},
    "domain.fig.heldout": {"en": "held-out target texts", "ko": "떼어 둔 대상 텍스트"},
    "domain.fig.curve_title": {"en": "Continued pretraining: perplexity of the objective",
                               "ko": "사전학습 이어 하기: 학습 목표의 퍼플렉서티"},
    "domain.fig.step": {"en": "step", "ko": "스텝"},
    "domain.fig.perplexity": {"en": "perplexity (log scale)", "ko": "퍼플렉서티 (로그 눈금)"},
    "domain.cont.ppl_header": {"en": "Perplexity before vs after", "ko": "퍼플렉서티: 전과 후"},
    "domain.cont.transfer_header": {"en": "Transfer accuracy before vs after", "ko": "전이 정확도: 전과 후"},
    "domain.col.before": {"en": "before", "ko": "전"},
    "domain.col.after": {"en": "after", "ko": "후"},
    "domain.col.change_pct": {"en": "change (%)", "ko": "변화 (%)"},
    "domain.col.mode": {"en": "transfer", "ko": "전이 방식"},
    "domain.col.change_points": {"en": "change (points)", "ko": "변화 (%p)"},
    "domain.mode.frozen": {"en": "frozen (features + new head)", "ko": "고정 (특징 + 새 헤드)"},
    "domain.mode.finetune": {"en": "fine-tune (everything trains)", "ko": "미세조정 (전부 학습)"},
    "domain.cont.summary": {
        "en": "{steps} steps in {seconds} s on {n} pool texts{why}. Transfer: {n_train} labelled examples, "
              "{n_test} test examples, seed {seed}.",
        "ko": "풀 텍스트 {n}개로 {seconds}초 동안 {steps} 스텝{why}. 전이: 레이블 예제 {n_train}개, 테스트 {n_test}개, "
              "시드 {seed}.",
    },
    "domain.cont.why.budget": {"en": " (the time budget ran out)", "ko": " (시간 예산 소진)"},
    "domain.cont.why.user": {"en": " (stopped)", "ko": " (중지됨)"},
    "domain.cont.forgetting": {
        "en": "The pretraining text's perplexity rose while the target's fell: the model is specialising (and "
              "forgetting a little of what it read before).",
        "ko": "대상의 퍼플렉서티는 내려가고 사전학습 텍스트의 퍼플렉서티는 올라갔습니다. 모델이 대상에 특화되면서 전에 읽은 것을 "
              "조금 잊고 있습니다.",
    },
    "domain.cont.weights": {"en": "The continued model is kept in {folder} (the shipped checkpoint is unchanged).",
                            "ko": "이어 학습한 모델은 {folder}에 있습니다 (배포된 체크포인트는 그대로입니다)."},
    "domain.cont.stopped": {"en": "Stopped during pretraining: the before/after comparison was not run.",
                            "ko": "사전학습 중에 멈춰서 전후 비교는 하지 않았습니다."},
    "domain.notice.not_saved": {"en": "The continued model could not be written to the cache ({reason}); the "
                                      "numbers above are complete.",
                                "ko": "이어 학습한 모델을 캐시에 쓰지 못했습니다({reason}). 위 숫자는 온전합니다."},
    # ---- the Korean case ----------------------------------------------------------------------------
    "domain.korean.explain": {
        "en": "Our tiny models read only English, through an English WordPiece vocabulary: a Korean word becomes "
              "[UNK]. MiniLM's English vocabulary splits Hangul into jamo (letters), many pieces per character. A "
              "multilingual encoder (USE-multilingual, 16 languages) has Korean pieces: few pieces, almost no "
              "[UNK]. That is the fix — pick a backbone whose vocabulary covers the language.",
        "ko": "우리 작은 모델은 영어 WordPiece 어휘로 영어만 읽었기에 한국어 단어는 [UNK]가 됩니다. MiniLM의 영어 어휘는 "
              "한글을 자모로 쪼개 글자마다 여러 조각을 만듭니다. 다국어 인코더(USE-multilingual, 15개 이상 언어로 학습)는 한국어 조각을 "
              "갖고 있어 조각이 적고 [UNK]가 거의 없습니다. 해결책은 그 언어를 어휘에 담은 백본을 고르는 것입니다.",
    },
    "domain.korean.example": {"en": "Example sentence", "ko": "예문"},
    "domain.korean.run": {"en": "Compare the tokenizers", "ko": "토크나이저 비교"},
    "domain.korean.none": {"en": "Press “Compare the tokenizers” to cut the Korean intents with each backbone.",
                           "ko": "‘토크나이저 비교’를 누르면 각 백본이 한국어 주제 데이터를 어떻게 자르는지 봅니다."},
    "domain.col.backbone": {"en": "backbone", "ko": "백본"},
    "domain.col.languages": {"en": "languages", "ko": "언어 수"},
    "domain.col.one_piece": {"en": "word types kept whole", "ko": "통째로 남는 단어 유형"},
    # ---- errors -------------------------------------------------------------------------------------
    "domain.err.no_text_column": {
        "en": "The CSV has no `text` column (columns found: {found}). Name the column with your texts “text”.",
        "ko": "CSV에 `text` 열이 없습니다(찾은 열: {found}). 텍스트가 든 열의 이름을 ‘text’로 바꾸세요.",
    },
    "domain.err.too_few_rows": {
        "en": "The CSV has only {n} non-empty texts; the fit measures need at least {least}.",
        "ko": "CSV에 비어 있지 않은 텍스트가 {n}개뿐입니다. 적합도 측정에는 적어도 {least}개가 필요합니다.",
    },
    "domain.err.no_labels": {
        "en": "The before/after transfer needs a `label` column; this CSV has only texts. Add a `label` column, "
              "or use a sample set.",
        "ko": "전후 전이 비교에는 `label` 열이 필요한데 이 CSV에는 텍스트만 있습니다. `label` 열을 더하거나 예제 데이터를 쓰세요.",
    },
    "domain.err.no_lm": {
        "en": "{name} has no language-model head, so it has no (pseudo-)perplexity. Backbones that have one: {have}.",
        "ko": "{name}에는 언어 모델 헤드가 없어 (의사) 퍼플렉서티를 잴 수 없습니다. 헤드가 있는 백본: {have}.",
    },
    "domain.err.nothing_to_score": {"en": "There is no piece to score in these texts.",
                                    "ko": "이 텍스트에는 점수를 매길 조각이 없습니다."},
    "domain.err.objective": {"en": "Unknown objective '{objective}'. Choose one of: {choices}.",
                             "ko": "알 수 없는 학습 목표 '{objective}'입니다. 다음 중에서 고르세요: {choices}."},
    "domain.err.steps": {"en": "Steps must be between 1 and {most} (got {steps}).",
                         "ko": "스텝은 1에서 {most} 사이여야 합니다({steps:을} 받음)."},
    "domain.err.budget": {"en": "The time budget must be between 1 and {most} seconds (got {budget}).",
                          "ko": "시간 예산은 1초에서 {most}초 사이여야 합니다({budget:을} 받음)."},
    "domain.err.empty_example": {"en": "Type an example sentence first.", "ko": "먼저 예문을 입력하세요."},
    "pretrain.err.bad_init_from": {
        "en": "Unknown starting point '{init_from}': use \"\" (fresh weights) or \"shipped\" (the shipped checkpoint).",
        "ko": "알 수 없는 시작점 '{init_from}'입니다. \"\"(새 가중치)나 \"shipped\"(배포된 체크포인트)를 쓰세요.",
    },
}
