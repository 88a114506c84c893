"""Which backend runs jobs (the banner on every page) and what losing a Ray cluster does to a job."""

MESSAGES = {
    "ray.banner.local": {
        "en": "Jobs run on this computer's local workers ({workers} at once).",
        "ko": "작업은 이 컴퓨터의 로컬 작업 프로세스에서 돌아갑니다(한 번에 {workers}개).",
    },
    "ray.banner.connecting": {
        "en": "Connecting to Ray ({address})… Pages work meanwhile; jobs wait in the queue.",
        "ko": "Ray({address})에 연결하는 중… 그동안 페이지는 그대로 쓸 수 있고, 작업은 대기열에서 기다립니다.",
    },
    "ray.banner.ray": {
        "en": "Jobs run on Ray at {address} ({workers} at once).",
        "ko": "작업은 Ray({address})에서 돌아갑니다(한 번에 {workers}개).",
    },
    "ray.banner.unreachable": {
        "en": "Ray unreachable ({address}) — running locally on this computer's workers ({workers} at once). "
              "Start the cluster (`ray start --head`), then restart the app.",
        "ko": "Ray({address})에 연결할 수 없어 이 컴퓨터의 로컬 작업 프로세스에서 실행합니다(한 번에 {workers}개). "
              "클러스터를 켠 뒤(`ray start --head`) 앱을 다시 시작하세요.",
    },
    "ray.banner.lost": {
        "en": "The Ray cluster ({address}) went away — running locally on this computer's workers "
              "({workers} at once). Restart the app once the cluster is back.",
        "ko": "Ray 클러스터({address})와의 연결이 끊겨 이 컴퓨터의 로컬 작업 프로세스에서 실행합니다(한 번에 {workers}개). "
              "클러스터가 돌아오면 앱을 다시 시작하세요.",
    },
    "ray.err.lost": {
        "en": "The Ray cluster ({address}) went away while this job ran. Jobs now run on this computer's local "
              "workers: run it again.",
        "ko": "이 작업이 도는 동안 Ray 클러스터({address})와의 연결이 끊겼습니다. 이제 작업은 이 컴퓨터의 로컬 작업 "
              "프로세스에서 돌아가니 다시 실행하세요.",
    },
}
