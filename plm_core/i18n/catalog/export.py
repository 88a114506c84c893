"""Figures out: the PNG / SVG download buttons under every chart, and the export errors."""

MESSAGES = {
    "export.download_png": {"en": "PNG", "ko": "PNG"},
    "export.download_svg": {"en": "SVG", "ko": "SVG"},
    "export.menu": {"en": "Save figure", "ko": "그림 저장"},
    "export.menu_help": {
        "en": "Download this chart as an image: PNG for slides, SVG for print and editing.",
        "ko": "이 차트를 이미지로 내려받습니다. 슬라이드에는 PNG, 인쇄·편집에는 SVG가 좋습니다.",
    },
    "export.err.no_browser": {
        "en": "Saving figures needs Chromium, and none was found ({path}). Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set PLM_LAB_CHROMIUM to the path of a Chromium or Chrome binary.",
        "ko": "그림을 저장하려면 Chromium이 필요한데 찾지 못했습니다({path}). Chromium을 설치하거나(Debian/Ubuntu: `sudo apt-get install chromium`) PLM_LAB_CHROMIUM 환경 변수에 Chromium 또는 Chrome 실행 파일 경로를 지정하세요.",
    },
    "export.err.start_failed": {
        "en": "Chromium ({path}) could not be started to save the figure ({kind}: {detail}). Check that it runs with --version; reinstall it (`sudo apt-get install chromium`) or set PLM_LAB_CHROMIUM to another binary.",
        "ko": "그림을 저장하려고 Chromium({path})을 시작하지 못했습니다({kind}: {detail}). --version으로 실행되는지 확인하고, 다시 설치하거나(`sudo apt-get install chromium`) PLM_LAB_CHROMIUM에 다른 실행 파일을 지정하세요.",
    },
    "export.err.start_timeout": {
        "en": "Chromium ({path}) did not start within {seconds} s. The computer may be busy: try again in a moment.",
        "ko": "Chromium({path})이 {seconds}초 안에 시작되지 않았습니다. 컴퓨터가 바쁠 수 있으니 잠시 후 다시 시도하세요.",
    },
    "export.err.timeout": {
        "en": "Drawing the image took longer than {seconds} s and was stopped. Try again; a smaller figure is faster.",
        "ko": "이미지를 그리는 데 {seconds}초가 넘게 걸려 멈췄습니다. 다시 시도하세요. 작은 그림이 더 빠릅니다.",
    },
    "export.err.failed": {
        "en": "The figure could not be saved as an image ({kind}: {detail}). Try again; the next attempt starts a fresh Chromium.",
        "ko": "그림을 이미지로 저장하지 못했습니다({kind}: {detail}). 다시 시도하세요. 다음 시도에서는 Chromium을 새로 시작합니다.",
    },
    "export.err.format": {
        "en": "Unknown image format '{fmt}'. Known: {choices}.",
        "ko": "알 수 없는 이미지 형식 '{fmt}'입니다. 가능한 형식: {choices}.",
    },
}
