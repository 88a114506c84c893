"""Lesson mode on a lab page: the lab's form folded under the step's figure (ui/lesson.py: lab_controls)."""

MESSAGES = {
    "lessonfold.controls": {
        "en": "Change this experiment (the step's settings)",
        "ko": "이 실험 바꿔 보기 (이 단계의 설정)",
    },
}
