"""A learner works through a shipped course in Chromium: lessons, quiz (fail, retry, pass), completion."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.auth.models import User
from lms.courses.models import Course
from lms.extensions import db
from lms.learning.models import CourseCompletion
from lms.quizzes.models import AttemptQuestion
from lms.quizzes.qtypes import QUESTION_TYPES

COURSE = "IU01"  # courses/iu01-hieu-biet-cntt-co-ban: 6 lessons, 20 questions drawn, pass mark 70%
ATTEMPT_URL = re.compile(r"/attempts/(\d+)$")


def _best(answers: list[dict]) -> dict:
    return max(answers, key=lambda answer: answer["fraction"])


def right_response(qtype: str, data: dict):
    """A response that earns full marks, worked out from the question's data (never from the page)."""
    if qtype == "multichoice":
        answers = data["answers"]
        if data["single"]:
            return [answers.index(_best(answers))]
        return sorted(i for i, answer in enumerate(answers) if answer["fraction"] > 0)
    if qtype == "truefalse":
        return data["correct"]
    if qtype == "shortanswer":
        return _best(data["answers"])["text"]
    if qtype == "numerical":
        value = _best(data["answers"])["value"]
        return 0.0 if value is None else value
    if qtype == "matching":
        return {str(i): i for i, pair in enumerate(data["pairs"]) if pair["question"]}
    raise AssertionError(f"the journey's course should hold only auto-graded questions, not {qtype}")


def answer_right(page, live_app, attempt_id: int) -> None:
    """Fill the attempt's form with the right answers, read from the attempt's frozen questions."""
    with live_app.app_context():
        items = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)).all()
        plans = []
        for item in items:
            qtype = QUESTION_TYPES[item.qtype]
            response = right_response(item.qtype, item.data)
            assert qtype.grade(item.data, response) == 1.0, item.snapshot
            plans.append((item.position, item.qtype, qtype.form_values(item.data, item.presentation, response)))
    for position, qtype, values in plans:
        name = f"q{position}"
        if qtype in ("multichoice", "truefalse"):
            for value in values:
                page.locator(f'input[name="{name}"][value="{value}"]').check()
        elif qtype == "matching":
            for value in values:
                page.locator(f'#{name}-{value.split(":")[0]}').select_option(value)
        else:
            page.locator(f'input[type="text"][name="{name}"]').fill(values[0])


def submit_quiz(page) -> None:
    with page.expect_navigation(url=re.compile(r"/review\?submitted=1$")):
        page.get_by_role("button", name="Nộp bài").click()


def read_every_lesson(page) -> None:
    while True:
        page.locator("#lesson-end").scroll_into_view_if_needed()
        expect(page.get_by_text("Đã học xong bài này")).to_be_visible()  # lesson.js marked it read
        following = page.get_by_role("link", name="Bài tiếp theo")
        if following.count() == 0:
            return
        following.click()


@pytest.mark.e2e
def test_learner_completes_a_shipped_course(page, log_in, live_app):
    page.on("dialog", lambda dialog: dialog.accept())  # quiz.js asks before submitting
    log_in("hocvien", "hocvien@2026")
    expect(page).to_have_url(re.compile(r"/learn$"))
    expect(page.get_by_role("heading", name="Khóa học khác")).to_be_visible()

    page.goto(f"/courses/{COURSE}")
    page.get_by_role("button", name="Tham gia và bắt đầu học").click()
    expect(page.get_by_text("Bài 1/6")).to_be_visible()
    read_every_lesson(page)
    page.get_by_role("link", name="Về trang khóa học").click()
    expect(page.get_by_text("Đã học 6/6 bài")).to_be_visible()

    page.get_by_role("button", name="Làm bài kiểm tra").click()
    expect(page).to_have_url(ATTEMPT_URL)
    submit_quiz(page)  # nothing answered: 0%
    page.goto(f"/courses/{COURSE}")
    expect(page.get_by_text("Chưa đạt")).to_be_visible()

    page.get_by_role("button", name="Làm bài kiểm tra").click()
    expect(page).to_have_url(ATTEMPT_URL)
    answer_right(page, live_app, int(ATTEMPT_URL.search(page.url).group(1)))
    submit_quiz(page)

    page.goto("/learn")
    completed = page.locator("section", has=page.get_by_role("heading", name="Đã hoàn thành"))
    row = completed.get_by_role("row", name="Hiểu biết về CNTT cơ bản")
    expect(row.get_by_role("link", name="Hiểu biết về CNTT cơ bản")).to_be_visible()
    expect(row.get_by_text("100%")).to_be_visible()
    with live_app.app_context():
        learner = db.session.scalar(select(User).where(User.staff_code == "hocvien"))
        completion = db.session.scalars(
            select(CourseCompletion).join(Course).where(CourseCompletion.user_id == learner.id, Course.code == COURSE)
        ).one()
        assert completion.score == 1.0
