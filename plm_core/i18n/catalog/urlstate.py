"""Settings in the URL: warnings about a link's bad values, and the share panel."""

MESSAGES = {
    "url.err.bad_value": {
        "en": "The link sets '{name}' to '{value}', which is not one of its values ({allowed}); {default} is used "
              "instead.",
        "ko": "링크가 {name:'을} {value:'으로} 정했지만 가능한 값({allowed})이 아닙니다. 대신 {default:을} "
              "씁니다.",
    },
    "url.err.unknown": {
        "en": "The link holds a setting '{name}' that this page does not have; it is ignored.",
        "ko": "링크에 이 페이지에 없는 설정 {name:'이} 있어 무시합니다.",
    },
    "share.button": {"en": "Share this view", "ko": "이 화면 공유"},
    "share.title": {"en": "Link to this view", "ko": "이 화면의 링크"},
    "share.help": {
        "en": "The link holds this page's settings and the language. Opened in another browser it shows the same "
              "settings; with the same seed a run gives the same numbers. Students can scan the QR code.",
        "ko": "링크에는 이 페이지의 설정과 언어가 담겨 있습니다. 다른 브라우저에서 열면 같은 설정이 보이고, 같은 시드로 "
              "실행하면 같은 숫자가 나옵니다. 학생들은 QR 코드를 스캔하면 됩니다.",
    },
    "share.qr_caption": {"en": "QR code of the link above", "ko": "위 링크의 QR 코드"},
    "share.local_only": {
        "en": "This address works on this computer only. To let students on the same network open it, start the "
              "server with `make run HOST=0.0.0.0` (or set PLM_LAB_PUBLIC_URL).",
        "ko": "이 주소는 이 컴퓨터에서만 열립니다. 같은 네트워크의 학생들이 열 수 있게 하려면 `make run HOST=0.0.0.0`으로 "
              "서버를 시작하세요(또는 PLM_LAB_PUBLIC_URL을 설정하세요).",
    },
}
