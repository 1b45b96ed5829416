"""Fixtures for the quiz-engine tests: a course with one question of every type, learners,
a trainer, helpers that answer an attempt right (or wrong) through the public form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.courses.models import Course
from lms.courses.operations import import_course
from lms.courses.settings import normalise_quiz
from lms.courses.spec import CourseSpec
from lms.extensions import db
from lms.learning.events import attempt_graded
from lms.quizzes.gift import parse_gift
from lms.quizzes.models import Attempt
from lms.quizzes.qtypes import QUESTION_TYPES

QUESTIONS = """\
$CATEGORY: Chung

::mc::Trụ sở UBND tỉnh đặt ở đâu? {
  =Thành phố Thanh Hóa#PHANHOI-MC-DUNG
  ~Thành phố Sầm Sơn#PHANHOI-MC-SAI-1
  ~Thị xã Bỉm Sơn#PHANHOI-MC-SAI-2
}

::multi::Chọn các thiết bị nhập. {
  ~%50%Bàn phím#PHANHOI-MULTI-BANPHIM
  ~%50%Chuột#PHANHOI-MULTI-CHUOT
  ~%-100%Màn hình#PHANHOI-MULTI-MANHINH
}

::tf::Mật khẩu nên dài ít nhất 12 ký tự. {TRUE#PHANHOI-TF-SAI#PHANHOI-TF-DUNG}

$CATEGORY: Nâng cao

::sa::Tên khu di tích nhà Hậu Lê ở Thọ Xuân là gì? {=Lam Kinh#PHANHOI-SA-DUNG}

::num::Một KB bằng bao nhiêu byte? {#8642:0#PHANHOI-NUM-DUNG}

::match::Ghép phím tắt với chức năng. {
  =Ctrl+C -> Sao chép
  =Ctrl+V -> Dán
  = -> Cắt
}

::essay::Trình bày cách đặt mật khẩu an toàn. {}

::desc::Phần sau nói về an toàn thông tin.
"""

#: The same bank without the essay: every attempt is graded at once.
AUTO_GRADED = QUESTIONS.replace("::essay::Trình bày cách đặt mật khẩu an toàn. {}\n\n", "")
GENERAL_FEEDBACK = "PHANHOI-CHUNG"


def _questions(text: str):
    questions = parse_gift(text)
    for question in questions:
        question.general_feedback = f"{GENERAL_FEEDBACK}-{question.name}"
    return questions


@pytest.fixture
def make_course(app_ctx):
    """Factory: ``make_course(code="QZ1", quiz={...}, questions=QUESTIONS, passing_score=70)``, committed."""

    def make(code: str = "QZ1", quiz: dict | None = None, questions: str = QUESTIONS, passing_score: int = 70,
             status: str = "published"):
        spec = CourseSpec(code=code, slug=code.lower(), title=f"Khóa {code}", passing_score=passing_score,
                          quiz=normalise_quiz({"shuffle_questions": False, **(quiz or {})}),
                          questions=_questions(questions))
        import_course(spec)
        course = db.session.scalar(select(Course).where(Course.code == code))
        course.status = status
        db.session.commit()
        return course

    return make


@pytest.fixture
def learner(province, make_person):
    return make_person(province, "Lê Thị Học")


@pytest.fixture
def course(make_course):
    return make_course()


@pytest.fixture
def graded_events():
    """The attempts ``attempt_graded`` was sent for, during the test."""
    sent = []

    def receiver(sender, attempt):
        sent.append(attempt.id)

    attempt_graded.connect(receiver)
    yield sent
    attempt_graded.disconnect(receiver)


def start(client, course) -> Attempt:
    """Start (or resume) the course's quiz through the page; return the attempt."""
    response = client.post_form(f"/courses/{course.code}/quiz/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/attempts/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return db.session.get(Attempt, int(match.group(1)))


def right_values(item) -> list[str]:
    """Form values that answer ``item`` (an AttemptQuestion) fully right."""
    qtype, data, presentation = QUESTION_TYPES[item.qtype], item.data, item.presentation
    if item.qtype == "multichoice":
        right = [i for i, answer in enumerate(data["answers"]) if answer["fraction"] > 0]
        return qtype.form_values(data, presentation, right)
    if item.qtype == "truefalse":
        return ["true" if data["correct"] else "false"]
    if item.qtype == "shortanswer":
        return ["  lam kinh  "]
    if item.qtype == "numerical":
        return ["8642"]
    if item.qtype == "matching":
        pairs = data["pairs"]
        return qtype.form_values(data, presentation, {str(i): i for i, pair in enumerate(pairs) if pair["question"]})
    if item.qtype == "essay":
        return ["Mật khẩu dài, không dùng lại."]
    return []


def wrong_values(item) -> list[str]:
    """Form values that answer ``item`` wrong (an essay is left blank)."""
    qtype, data, presentation = QUESTION_TYPES[item.qtype], item.data, item.presentation
    if item.qtype == "multichoice":
        wrong = [i for i, answer in enumerate(data["answers"]) if answer["fraction"] <= 0][:1]
        return qtype.form_values(data, presentation, wrong)
    return {"truefalse": ["false"], "shortanswer": ["Hà Nội"], "numerical": ["1"],
            "matching": []}.get(item.qtype, [])


def form_of(attempt, values=right_values) -> dict:
    """The form fields of an attempt answered with ``values(item)``."""
    return {f"q{item.position}": values(item) for item in attempt.questions}


def move_deadline(attempt, seconds_ago: int) -> None:
    """Pretend the attempt's deadline passed ``seconds_ago`` seconds ago."""
    from lms.core.models import utcnow

    attempt.deadline = utcnow() - timedelta(seconds=seconds_ago)
    attempt.started_at = attempt.deadline - timedelta(minutes=30)
    db.session.commit()
