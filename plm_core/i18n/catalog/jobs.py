"""The job service: status lines, queue, cache labels, and its errors."""

MESSAGES = {
    "jobs.err.crashed": {
        "en": "The computation failed ({kind}: {detail}). The app is fine: change a setting and try again.",
        "ko": "계산이 실패했습니다({kind}: {detail}). 앱은 정상입니다. 설정을 바꿔 다시 시도해 보세요.",
    },
    "jobs.err.worker_died": {
        "en": "The worker process running this job stopped unexpectedly (exit {code}), often for lack of memory. "
              "The next job starts a fresh worker: try again, perhaps with less data.",
        "ko": "이 작업을 돌리던 작업 프로세스가 갑자기 멈췄습니다(종료 코드 {code}). 메모리가 모자란 경우가 많습니다. "
              "다음 작업은 새 작업 프로세스에서 시작하니 데이터를 줄여 다시 시도해 보세요.",
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
    # fair share of the CPU (a class on one machine)
    "jobs.err.student_limit": {
        "en": "You already have a job running or waiting. In a class each student runs one job at a time: wait "
              "for it to finish, or stop it, then start this one.",
        "ko": "이미 실행 중이거나 기다리는 작업이 있습니다. 수업에서는 학생마다 한 번에 작업 하나만 돌릴 수 있습니다. "
              "그 작업이 끝나기를 기다리거나 중지한 뒤에 이 작업을 시작하세요.",
    },
    "jobs.err.owner_limit": {
        "en": "This browser already has {count} jobs running or waiting (at most {limit} at a time). Wait for one "
              "to finish, or stop one, then start this one.",
        "ko": "이 브라우저에서 이미 작업 {count}개가 실행 중이거나 기다리고 있습니다(한 번에 최대 {limit}개). "
              "하나가 끝나기를 기다리거나 하나를 중지한 뒤에 이 작업을 시작하세요.",
    },
    "jobs.err.class_limit": {
        "en": "Your class already has {count} jobs running or waiting, its limit. Try again when one has "
              "finished (your teacher sees the class's queue).",
        "ko": "우리 반은 이미 작업 {count}개가 실행 중이거나 기다리고 있어 한도에 이르렀습니다. 작업 하나가 끝난 뒤 "
              "다시 시도하세요(선생님 화면에서 반의 대기열을 볼 수 있습니다).",
    },
    "jobs.err.not_yours": {
        "en": "This job was started by someone else: only they can stop it.",
        "ko": "다른 사람이 시작한 작업입니다. 시작한 사람만 중지할 수 있습니다.",
    },
    "jobs.err.interrupted": {
        "en": "Interrupted: the server restarted while this job ran. Run it again.",
        "ko": "중단됨: 이 작업이 도는 동안 서버가 다시 시작되었습니다. 다시 실행하세요.",
    },
    "jobs.err.result_gone": {
        "en": "This job finished a while ago and its result was not kept (it could not be stored). Run it again.",
        "ko": "이 작업은 얼마 전에 끝났지만 결과를 저장하지 못해 남아 있지 않습니다. 다시 실행하세요.",
    },
    "jobs.gone": {
        "en": "The job this page showed is gone: the server was restarted and could not keep it. Start it again.",
        "ko": "이 페이지가 보여 주던 작업이 사라졌습니다. 서버가 다시 시작되면서 작업을 이어받지 못했습니다. "
              "다시 시작하세요.",
    },
    "jobs.rerun": {"en": "Run again", "ko": "다시 실행"},
    "jobs.status.queued_teacher": {
        "en": "Waiting in the queue: {ahead} job(s) ahead of yours (the teacher's jobs go first).",
        "ko": "대기열에서 기다리는 중: 앞에 작업 {ahead}개가 있습니다(선생님의 작업이 먼저 실행됩니다).",
    },
    "jobs.usage": {
        "en": "Class jobs: {running} running, {queued} waiting (limit {limit}); {students} student(s) with a job; "
              "yours: {teacher}.",
        "ko": "반의 작업: 실행 중 {running}개, 대기 중 {queued}개(한도 {limit}개), 작업이 있는 학생 {students}명, "
              "선생님 작업 {teacher}개.",
    },
}
