"""The job service: status lines, queue, cache labels, and its errors."""

MESSAGES = {
    "jobs.err.crashed": {
        "en": "The computation failed ({kind}: {detail}). The app is fine: change a setting and try again.",
        "ko": "계산이 실패했습니다({kind}: {detail}). 앱은 정상입니다. 설정을 바꿔 다시 시도해 보세요.",
    },
    "jobs.err.worker_died": {
        "en": "The worker process running this job stopped unexpectedly (exit {code}), often for lack of memory. "
              "A new worker has taken its place: try again, perhaps with less data.",
        "ko": "이 작업을 돌리던 작업 프로세스가 갑자기 멈췄습니다(종료 코드 {code}). 메모리가 모자란 경우가 많습니다. "
              "새 작업 프로세스가 준비되었으니 데이터를 줄여 다시 시도해 보세요.",
    },
    "jobs.err.unknown_kind": {"en": "Unknown job kind '{kind}'. Known: {choices}.",
                              "ko": "알 수 없는 작업 종류 '{kind}'입니다. 가능한 종류: {choices}."},
    "jobs.err.unknown_job": {
        "en": "Job {id} is not known to this server (it was restarted?). Start the computation again.",
        "ko": "이 서버는 작업 {id:을} 모릅니다(서버가 다시 시작되었나요?). 계산을 다시 시작하세요.",
    },
    "jobs.err.cache_write": {
        "en": "The result is shown but could not be kept in the result cache ({path}: {detail}).",
        "ko": "결과는 표시되었지만 결과 캐시에 저장하지 못했습니다({path}: {detail}).",
    },
    "jobs.err.test_failure": {"en": "Test failure ({tag}).", "ko": "테스트용 실패({tag})."},
    "jobs.status.queued": {
        "en": "Waiting in the queue: {ahead} job(s) ahead of yours.",
        "ko": "대기열에서 기다리는 중: 앞에 작업 {ahead}개가 있습니다.",
    },
    "jobs.status.queued_next": {"en": "Waiting for a free worker: yours is next.",
                                "ko": "빈 작업 프로세스를 기다리는 중: 다음 차례입니다."},
    "jobs.status.running": {"en": "{current} — {pct}% · {elapsed} s elapsed{left}",
                            "ko": "{current} — {pct}% · {elapsed}초 경과{left}"},
    "jobs.status.left": {"en": " · about {seconds} s left", "ko": " · 약 {seconds}초 남음"},
    "jobs.status.starting": {"en": "Starting (loading the model and data)", "ko": "시작하는 중(모델과 데이터 불러오는 중)"},
    "jobs.status.stopping": {"en": "Stopping…", "ko": "멈추는 중…"},
    "jobs.status.stopped": {"en": "Stopped. What was computed so far is shown.",
                            "ko": "중지했습니다. 그때까지 계산된 결과를 보여 줍니다."},
    "jobs.status.cancelled": {"en": "Cancelled: nobody was watching this job any more.",
                              "ko": "취소됨: 이 작업을 지켜보는 사람이 없었습니다."},
    "jobs.status.done": {"en": "Done in {seconds} s.", "ko": "{seconds}초 만에 끝났습니다."},
    "jobs.cached": {
        "en": "From the result cache: computed {when} on {where} in {seconds} s, with the same settings, data, "
              "weights and code (same seed, same numbers).",
        "ko": "결과 캐시에서 가져옴: {when}에 {where}에서 {seconds}초 걸려 계산한 결과입니다. 설정·데이터·가중치·코드가 "
              "모두 같습니다(같은 시드, 같은 숫자).",
    },
    "jobs.run_live": {"en": "Run again live", "ko": "다시 실시간으로 실행"},
    "jobs.stop": {"en": "Stop", "ko": "중지"},
    "jobs.not_saved": {
        "en": "Not saved: {reason} The result above is complete; copy or export it before you leave the page.",
        "ko": "저장되지 않음: {reason} 위의 결과는 완전합니다. 페이지를 떠나기 전에 복사하거나 내보내세요.",
    },
    "jobs.saved": {"en": "Saved as run #{ids} (see Runs).", "ko": "실행 기록 #{ids:으로} 저장했습니다(실행 기록 페이지)."},
    "jobs.reattached": {"en": "Re-attached to your job started earlier.",
                        "ko": "앞서 시작한 작업에 다시 연결했습니다."},
}
