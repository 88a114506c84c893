"""Class mode: a class session (join code, teacher key, members), follow the teacher, predict and reveal as a class."""

MESSAGES = {
    "classroom.start": {"en": "Start class", "ko": "수업 열기"},
    "classroom.start_help": {
        "en": "Opens this lesson as a class: students join with a short code or a QR code, their screens follow "
              "your step, and they predict before you reveal. Only this browser can lead the class.",
        "ko": "이 수업을 학급 수업으로 엽니다. 학생들은 짧은 코드나 QR 코드로 들어오고, 화면이 선생님의 단계를 따라가며, "
              "선생님이 공개하기 전에 예측합니다. 수업은 이 브라우저에서만 진행할 수 있습니다.",
    },
    "classroom.teacher_of": {"en": "You lead the class **{code}** · {lesson} · step {i} of {n}",
                             "ko": "학급 **{code}** 진행 중 · {lesson} · {n}단계 중 {i}단계"},
    "classroom.student_of": {"en": "Class **{code}** · step {i} of {n}", "ko": "학급 **{code}** · {n}단계 중 {i}단계"},
    "classroom.code": {"en": "Join code", "ko": "참여 코드"},
    "classroom.join_at": {"en": "Join at {link} or scan the code", "ko": "{link} 에서 참여하거나 코드를 스캔하세요"},
    "classroom.qr_caption": {"en": "Scan to join the class", "ko": "스캔해서 수업에 참여"},
    "classroom.members": {"en": "{n} student(s) joined", "ko": "학생 {n}명 참여"},
    "classroom.go_to_step": {"en": "Go to the class's step", "ko": "학급의 현재 단계로 가기"},
    "classroom.end": {"en": "End class", "ko": "수업 끝내기"},
    "classroom.ended": {"en": "Class {code} has ended.", "ko": "학급 {code} 수업이 끝났습니다."},
    "classroom.clear": {"en": "Clear the class's predictions", "ko": "학급의 예측 지우기"},
    "classroom.cleared": {"en": "{n} prediction(s) removed.", "ko": "예측 {n}개를 지웠습니다."},
    "classroom.prepare": {"en": "Prepare this lesson", "ko": "이 수업 준비하기"},
    "classroom.teacher_view": {"en": "Teacher view: the class's predictions", "ko": "교사 화면: 학급의 예측"},
    "classroom.join.title": {"en": "Join a class", "ko": "수업 참여하기"},
    "classroom.join.code": {"en": "Join code (from the projector)", "ko": "참여 코드 (화면에 보이는 코드)"},
    "classroom.join.name": {"en": "Your name (optional)", "ko": "이름 (선택)"},
    "classroom.join.name_help": {"en": "Leave it empty to stay anonymous.", "ko": "비워 두면 익명으로 참여합니다."},
    "classroom.join.button": {"en": "Join", "ko": "참여"},
    "classroom.joined": {"en": "You joined class {code}.", "ko": "학급 {code}에 참여했습니다."},
    "classroom.following": {"en": "Following the teacher", "ko": "선생님 화면을 따라가는 중"},
    "classroom.detach": {"en": "Explore on my own", "ko": "혼자 둘러보기"},
    "classroom.rejoin": {"en": "Back to class", "ko": "수업으로 돌아가기"},
    "classroom.sync": {"en": "Show the class's step", "ko": "학급의 단계 보기"},
    "classroom.following_only": {
        "en": "You are following the class: this screen shows the class's step. To change the experiment and run "
              "the lab yourself, press \"Explore on my own\".",
        "ko": "학급을 따라가는 중입니다. 이 화면은 학급의 단계를 보여 줍니다. 실험을 바꿔 직접 실습하려면 "
              "\"혼자 둘러보기\"를 누르세요."},
    "classroom.exploring": {"en": "Exploring on your own: the class is at step {i}.",
                            "ko": "혼자 둘러보는 중입니다. 학급은 {i}단계에 있습니다."},
    "classroom.leave": {"en": "Leave the class", "ko": "수업 나가기"},
    "classroom.answers": {"en": "{n} answer(s) so far", "ko": "지금까지 답 {n}개"},
    "classroom.answers_of": {"en": "{n} of {m} students answered", "ko": "학생 {m}명 중 {n}명 답함"},
    "classroom.hidden_until_reveal": {"en": "The answers stay hidden until the reveal.",
                                      "ko": "공개할 때까지 답은 보이지 않습니다."},
    "classroom.reveal": {"en": "Reveal", "ko": "공개하기"},
    "classroom.revealed": {"en": "Revealed", "ko": "공개됨"},
    "classroom.your_prediction": {"en": "Your prediction: **{said}**. Waiting for the teacher to reveal…",
                                  "ko": "내 예측: **{said}**. 선생님이 공개하기를 기다리는 중…"},
    "classroom.wait_reveal": {"en": "The result appears when the teacher reveals it.",
                              "ko": "결과는 선생님이 공개하면 나타납니다."},
    "classroom.lab_after": {"en": "Predict first: the lab and its result appear after the reveal.",
                            "ko": "먼저 예측하세요. 실험 화면과 결과는 공개한 뒤에 나타납니다."},
    "classroom.class_said": {"en": "The class predicted ({n} answers)", "ko": "학급의 예측 (답 {n}개)"},
    "classroom.outcome": {"en": "The outcome", "ko": "결과"},
    "classroom.count_axis": {"en": "students", "ko": "학생 수"},
    "classroom.no_answers": {"en": "No answers yet.", "ko": "아직 답이 없습니다."},
    "classroom.refused": {"en": "Only the teacher can do that.", "ko": "선생님만 할 수 있습니다."},
    "classroom.err.no_class": {"en": "There is no class with the code {code}. Check the code on the projector.",
                               "ko": "코드 {code}인 학급이 없습니다. 화면에 보이는 코드를 확인하세요."},
    "classroom.err.ended": {"en": "Class {code} has ended: ask the teacher for the new code.",
                            "ko": "학급 {code} 수업은 끝났습니다. 선생님께 새 코드를 물어보세요."},
    "classroom.err.step": {"en": "The lesson has {n} steps; there is no step {step}.",
                           "ko": "이 수업은 {n}단계입니다. {step}단계는 없습니다."},
    "classroom.err.revealed": {"en": "The teacher has revealed this step: predictions are closed.",
                               "ko": "선생님이 이 단계를 공개했습니다. 예측이 마감되었습니다."},
    "classroom.err.not_revealed": {"en": "The class's answers show after the teacher's reveal.",
                                   "ko": "학급의 답은 선생님이 공개한 뒤에 보입니다."},
    "classroom.err.not_member": {"en": "Join class {code} first (its code is on the projector).",
                                 "ko": "먼저 학급 {code}에 참여하세요(코드는 화면에 있습니다)."},
    "classroom.err.no_member": {"en": "This browser has no id yet: reload the page.",
                                "ko": "이 브라우저에 아직 id가 없습니다. 페이지를 새로 고치세요."},
    "classroom.err.db": {"en": "The class could not be read or saved ({detail}). Try again in a moment.",
                         "ko": "학급 정보를 읽거나 저장하지 못했습니다({detail}). 잠시 후 다시 해 보세요."},
}

# one refusal per teacher-only action (the action named in each language)
ACTIONS = {
    "end": ("end the class", "수업 끝내기"),
    "move": ("move the class to another step", "학급의 단계 옮기기"),
    "reveal": ("reveal the answers", "답 공개하기"),
    "clear": ("clear the class's predictions", "학급의 예측 지우기"),
    "prepare": ("prepare the lesson (a heavy job)", "수업 준비하기(무거운 작업)"),
    "teacher_view": ("open the teacher view", "교사 화면 열기"),
    "run_live": ("run a shared result again live", "공유된 결과를 다시 실행하기"),
}
MESSAGES.update({
    f"classroom.err.only.{action}": {
        "en": f"Only the class's teacher can {en}. This browser joined as a student: ask the teacher.",
        "ko": f"이 작업({ko})은 학급의 선생님만 할 수 있습니다. 이 브라우저는 학생으로 참여했습니다. 선생님께 부탁하세요.",
    }
    for action, (en, ko) in ACTIONS.items()
})

MESSAGES.update({
    "classroom.ws.answers": {"en": "Answers (for after the class)", "ko": "정답 (수업이 끝난 뒤에)"},
    "classroom.ws.answer": {"en": "Answer", "ko": "정답"},
    "classroom.ws.see_answers": {"en": "The figure with the answer is on the answer page at the end.",
                                 "ko": "정답이 담긴 그림은 맨 뒤의 정답 페이지에 있습니다."},
})
