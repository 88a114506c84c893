"""Messages about keeping results, verified caches and input rules (issue 11: integrity and hardening)."""

_KEEP_EN = "The result above is fine: copy or export it."
_KEEP_KO = "위의 결과는 그대로이니 복사하거나 내보내 두세요."

MESSAGES = {
    # ---- a run that could not be stored --------------------------------------------------------
    "runs.err.not_saved.readonly": {
        "en": f"Not saved: the runs database {{path}} is read-only. {_KEEP_EN} To store runs, make the file writable or set PLM_LAB_RUNS_DB to another file.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path:이}} 읽기 전용입니다. {_KEEP_KO} 저장하려면 파일에 쓸 수 있게 하거나 PLM_LAB_RUNS_DB를 다른 파일로 지정하세요.",
    },
    "runs.err.not_saved.directory": {
        "en": f"Not saved: the runs database path {{path}} is a folder, not a file. {_KEEP_EN} Set PLM_LAB_RUNS_DB to a file name.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 경로 {{path:이}} 파일이 아니라 폴더입니다. {_KEEP_KO} PLM_LAB_RUNS_DB를 파일 이름으로 지정하세요.",
    },
    "runs.err.not_saved.corrupt": {
        "en": f"Not saved: the runs database {{path}} is damaged (not a readable SQLite file). {_KEEP_EN} Move the file away (a new one is made) or set PLM_LAB_RUNS_DB to another file.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path:이}} 손상되었습니다(읽을 수 있는 SQLite 파일이 아님). {_KEEP_KO} 그 파일을 옮기면 새로 만들어지며, PLM_LAB_RUNS_DB를 다른 파일로 지정해도 됩니다.",
    },
    "runs.err.not_saved.parent_file": {
        "en": f"Not saved: a part of the path {{path}} is a file, so the database cannot be made there. {_KEEP_EN} Set PLM_LAB_RUNS_DB to a path inside a folder.",
        "ko": f"저장하지 못했습니다: 경로 {{path}}의 상위 경로 중 하나가 폴더가 아니라 파일이라 데이터베이스를 만들 수 없습니다. {_KEEP_KO} PLM_LAB_RUNS_DB를 폴더 안의 경로로 지정하세요.",
    },
    "runs.err.not_saved.disk_full": {
        "en": f"Not saved: the disk holding {{path}} is full. {_KEEP_EN} Free some space to store runs again.",
        "ko": f"저장하지 못했습니다: {{path:이}} 있는 디스크가 가득 찼습니다. {_KEEP_KO} 공간을 비우면 다시 저장됩니다.",
    },
    "runs.err.not_saved.other": {
        "en": f"Not saved: the runs database {{path}} could not be written ({{detail}}). {_KEEP_EN}",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path}}에 쓸 수 없습니다({{detail}}). {_KEEP_KO}",
    },
    # ---- CSV input rules -----------------------------------------------------------------------
    "data.err.missing_column_sep": {
        "en": "The CSV needs a column named '{column}'. Columns found: {found} — it looks like '{sep}' separates the columns: use {sep} as separator consistently with the header text{sep}label, or save the file as comma-separated.",
        "ko": "CSV에 '{column}' 열이 필요합니다. 찾은 열: {found} — 열 구분자가 '{sep}'인 것 같습니다. 헤더를 text{sep}label로 하고 {sep:을} 구분자로 일관되게 쓰거나, 쉼표로 구분된 CSV로 저장하세요.",
    },
    "data.err.na_labels": {
        "en": "{n} row(s) have a missing-value label ('{value}'): rows {rows}. A missing label is not a class: give those rows a real label or delete them.",
        "ko": "{n}개 행의 레이블이 결측값('{value}')입니다: {rows}행. 결측 레이블은 클래스가 아니니 실제 레이블을 넣거나 그 행을 지우세요.",
    },
    "data.notice.separator": {
        "en": "The columns are separated by '{sep}', not commas: the file was read with '{sep}' as separator.",
        "ko": "열이 쉼표가 아니라 {sep:'으로} 구분되어 있어 {sep:'을} 구분자로 읽었습니다.",
    },
    "data.notice.duplicates": {
        "en": "{n} duplicate row(s) (the same text, ignoring case and spacing) were removed before splitting, so no test text is also a training text.",
        "ko": "중복 행 {n}개(대소문자·공백을 무시하면 같은 텍스트)를 분할 전에 지웠습니다. 그래서 테스트 텍스트가 학습 텍스트와 겹치지 않습니다.",
    },
    # ---- command-line values -------------------------------------------------------------------
    "cli.err.bad_seed": {
        "en": "A seed must be a whole number from 0 to {high} (got “{value}”).",
        "ko": "시드는 0부터 {high}까지의 정수여야 합니다(받은 값: “{value}”).",
    },
    "fewshot.err.bad_epochs": {
        "en": "Fine-tuning epochs must be between 1 and {high} (got {epochs}): with 0 epochs there is nothing to train.",
        "ko": "미세조정 에포크는 1~{high}이어야 합니다({epochs:을} 받음). 0 에포크면 학습할 것이 없습니다.",
    },
    "fewshot.err.k_too_large": {
        "en": "K = {shots} is more examples per class than the smallest class has in the pool ({most}): use K ≤ {most}.",
        "ko": "K = {shots:은} 풀에서 가장 작은 클래스의 예시 수({most})보다 많습니다. K ≤ {most:으로} 하세요.",
    },
    "fewshot.skip.no_k.zero": {
        "en": "not run: this method works at K = 0 only (no examples), and the chosen K are {shots}. Add 0 to the K values.",
        "ko": "실행하지 않음: 이 방법은 K = 0(예시 없음)에서만 작동하는데 고른 K는 {shots}입니다. K 값에 0을 넣으세요.",
    },
    "fewshot.skip.no_k.demo": {
        "en": "not run: none of the chosen K ({shots}) is 0 or more.",
        "ko": "실행하지 않음: 고른 K({shots}) 중 0 이상인 값이 없습니다.",
    },
    "fewshot.skip.no_k.train": {
        "en": "not run: this method needs at least one example per class (K ≥ 1), and the chosen K are {shots}.",
        "ko": "실행하지 않음: 이 방법은 클래스마다 예시가 하나 이상(K ≥ 1) 필요한데 고른 K는 {shots}입니다.",
    },
    "fewshot.err.no_points": {
        "en": "These settings give no point at all: {reasons}",
        "ko": "이 설정으로는 점이 하나도 나오지 않습니다: {reasons}",
    },
    # ---- verified caches -----------------------------------------------------------------------
    "prepare.err.damaged": {
        "en": "The prepared {what} at {path} is damaged ({problem}). Repair it with `python -m plm_core prepare` (or `make setup`).",
        "ko": "준비된 {what:이} 손상되었습니다({path}: {problem}). `python -m plm_core prepare`(또는 `make setup`)로 복구하세요.",
    },
    # ---- Runs page: pages and exports on request ---------------------------------------------
    "runs.page": {"en": "Page (of {pages})", "ko": "페이지({pages}쪽 중)"},
    "runs.page_rows": {"en": "Runs {first}–{last} of {n}, newest first.", "ko": "실행 {n}개 중 {first}–{last}번째, 최신순."},
    "runs.export_prepare": {"en": "Prepare export ({n})", "ko": "내보내기 준비({n}개)"},
    # ---- Runs page: deleting exactly what was chosen, by whom may ----------------------------
    "runs.count": {"en": "{n} runs stored.", "ko": "저장된 실행 {n}개."},
    "runs.col.mine": {"en": "yours", "ko": "내 실행"},
    "runs.col.mine_help": {
        "en": "Made in this browser: you can delete it.",
        "ko": "이 브라우저에서 만든 실행이라 지울 수 있습니다.",
    },
    "runs.delete.not_yours": {
        "en": "{n} of the selected runs were made in another browser: only that browser, or the teacher of a class, can delete them.",
        "ko": "선택한 실행 중 {n}개는 다른 브라우저에서 만들어졌습니다. 그 브라우저나 수업의 교사만 지울 수 있습니다.",
    },
    "runs.read_only": {
        "en": "The runs database is read-only on this server: you can browse, compare and export runs, not delete them.",
        "ko": "이 서버의 실행 기록 데이터베이스는 읽기 전용입니다. 실행을 보고 비교하고 내보낼 수는 있지만 지울 수는 없습니다.",
    },
    "runs.err.unavailable": {
        "en": "The runs database cannot be opened on this server. Whoever runs the app can check the file set by PLM_LAB_RUNS_DB (or its folder).",
        "ko": "이 서버에서 실행 기록 데이터베이스를 열 수 없습니다. 앱을 운영하는 사람이 PLM_LAB_RUNS_DB로 지정된 파일(또는 그 폴더)을 확인하세요.",
    },
    "runs.delete.as_teacher": {
        "en": "As the teacher of this class you may delete runs made in other browsers too.",
        "ko": "이 수업의 교사이므로 다른 브라우저에서 만든 실행도 지울 수 있습니다.",
    },
    "runs.delete.confirm": {"en": "Yes, delete these {n} run(s)", "ko": "네, 이 실행 {n}개를 지웁니다"},
    "runs.delete.button": {"en": "Delete {n} selected", "ko": "선택한 {n}개 지우기"},
    "runs.delete.done": {
        "en": "Deleted {n} run(s). You can undo this for {seconds} seconds.",
        "ko": "실행 {n}개를 지웠습니다. {seconds}초 동안 되돌릴 수 있습니다.",
    },
    "runs.delete.undo": {"en": "Undo", "ko": "되돌리기"},
    "runs.delete.undone": {"en": "Brought back {n} run(s).", "ko": "실행 {n}개를 되살렸습니다."},
    "runs.delete.too_late": {
        "en": "Too late to undo: the deletion is more than a minute old.",
        "ko": "지운 지 1분이 넘어 되돌릴 수 없습니다.",
    },
    "runs.err.bad_filter": {
        "en": "Runs cannot be filtered by “{field}”.",
        "ko": "실행 기록을 {field:“으로} 거를 수 없습니다.",
    },
    "models.ds.cleaned": {
        "en": "Before the split: {dups} duplicate row(s) removed (same text ignoring case and spacing), {cut} text(s) cut to the length limit. No test text is also in the training pool.",
        "ko": "분할 전에 중복 행 {dups}개(대소문자·공백을 무시하면 같은 텍스트)를 지우고 텍스트 {cut}개를 길이 한도로 잘랐습니다. 테스트 텍스트는 학습 풀에 없습니다.",
    },
}
