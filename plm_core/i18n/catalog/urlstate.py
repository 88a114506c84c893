"""Settings in the URL: warnings about a link's bad values, and the share panel."""

MESSAGES = {
    "url.err.bad_value": {
        "en": "The link sets '{name}' to '{value}', which is not one of its values ({allowed}); {default} is used "
              "instead.",
        "ko": "링크가 '{name}'을(를) '{value}'(으)로 정했지만 가능한 값({allowed})이 아닙니다. 대신 {default}을(를) "
              "씁니다.",
    },
    "url.err.unknown": {
        "en": "The link holds a setting '{name}' that this page does not have; it is ignored.",
        "ko": "링크에 이 페이지에 없는 설정 '{name}'이(가) 있어 무시합니다.",
    },
}
