"""Messages about keeping results, verified caches and input rules (issue 11: integrity and hardening)."""

_KEEP_EN = "The result above is fine: copy or export it."
_KEEP_KO = "위의 결과는 그대로이니 복사하거나 내보내 두세요."

MESSAGES = {
    # ---- a run that could not be stored --------------------------------------------------------
    "runs.err.not_saved.readonly": {
        "en": f"Not saved: the runs database {{path}} is read-only. {_KEEP_EN} To store runs, make the file writable or set PLM_LAB_RUNS_DB to another file.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path}}가 읽기 전용입니다. {_KEEP_KO} 저장하려면 파일에 쓸 수 있게 하거나 PLM_LAB_RUNS_DB를 다른 파일로 지정하세요.",
    },
    "runs.err.not_saved.directory": {
        "en": f"Not saved: the runs database path {{path}} is a folder, not a file. {_KEEP_EN} Set PLM_LAB_RUNS_DB to a file name.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 경로 {{path}}가 파일이 아니라 폴더입니다. {_KEEP_KO} PLM_LAB_RUNS_DB를 파일 이름으로 지정하세요.",
    },
    "runs.err.not_saved.corrupt": {
        "en": f"Not saved: the runs database {{path}} is damaged (not a readable SQLite file). {_KEEP_EN} Move the file away (a new one is made) or set PLM_LAB_RUNS_DB to another file.",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path}}가 손상되었습니다(읽을 수 있는 SQLite 파일이 아님). {_KEEP_KO} 그 파일을 옮기면 새로 만들어지며, PLM_LAB_RUNS_DB를 다른 파일로 지정해도 됩니다.",
    },
    "runs.err.not_saved.parent_file": {
        "en": f"Not saved: a part of the path {{path}} is a file, so the database cannot be made there. {_KEEP_EN} Set PLM_LAB_RUNS_DB to a path inside a folder.",
        "ko": f"저장하지 못했습니다: 경로 {{path}}의 상위 경로 중 하나가 폴더가 아니라 파일이라 데이터베이스를 만들 수 없습니다. {_KEEP_KO} PLM_LAB_RUNS_DB를 폴더 안의 경로로 지정하세요.",
    },
    "runs.err.not_saved.disk_full": {
        "en": f"Not saved: the disk holding {{path}} is full. {_KEEP_EN} Free some space to store runs again.",
        "ko": f"저장하지 못했습니다: {{path}}가 있는 디스크가 가득 찼습니다. {_KEEP_KO} 공간을 비우면 다시 저장됩니다.",
    },
    "runs.err.not_saved.other": {
        "en": f"Not saved: the runs database {{path}} could not be written ({{detail}}). {_KEEP_EN}",
        "ko": f"저장하지 못했습니다: 실행 기록 데이터베이스 {{path}}에 쓸 수 없습니다({{detail}}). {_KEEP_KO}",
    },
}
