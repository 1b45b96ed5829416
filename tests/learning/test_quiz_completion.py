"""Completion of a course with a quiz: every lesson read and the quiz passed at the pass mark."""

from sqlalchemy import select

from lms.core.models import utcnow
from lms.extensions import db
from lms.learning.models import CourseCompletion
from lms.quizzes.models import Attempt
from lms.quizzes.operations import parse_answers, save_answers, start_attempt, submit_attempt


def _take_quiz(learner, course, right: int) -> None:
    """Answer ``right`` questions right and the rest wrong, then submit (as the quiz pages do)."""
    attempt = start_attempt(learner, course)
    values = {}
    for n, item in enumerate(attempt.questions):
        correct = item.data["correct"]
        values[item.position] = ["true" if (correct if n < right else not correct) else "false"]
    save_answers(attempt, parse_answers(attempt.questions, values), seq=1, now=utcnow())
    submit_attempt(attempt, utcnow())
    db.session.commit()


def _read_all(client, course):
    for lesson in course.lessons:
        client.post_form(f"/courses/{course.code}/lessons/{lesson.slug}/read")


def test_lessons_then_failed_then_passed_quiz_completes(client, login, learner, make_course):
    course = make_course(quiz=True)
    login(learner)
    _read_all(client, course)
    assert db.session.scalar(select(CourseCompletion)) is None
    page = client.get("/courses/KH01").get_data(as_text=True)
    assert "Bài kiểm tra cuối khóa" in page and "Số lần đã làm: 0/3" in page
    _take_quiz(learner, course, right=1)  # 33% < 60%
    assert db.session.scalar(select(CourseCompletion)) is None
    assert "Chưa đạt" in client.get("/courses/KH01").get_data(as_text=True)
    _take_quiz(learner, course, right=3)
    completion = db.session.scalars(select(CourseCompletion)).one()
    assert completion.user_id == learner.id and completion.score == 1.0
    page = client.get("/courses/KH01").get_data(as_text=True)
    assert "Đã đạt" in page and "Số lần đã làm: 2/3" in page and "Đã hoàn thành ngày" in page
    assert "100%" in client.get("/learn").get_data(as_text=True)


def test_quiz_passed_first_completes_at_the_last_lesson(client, login, learner, make_course):
    course = make_course(quiz=True)
    login(learner)
    _take_quiz(learner, course, right=2)  # 67% >= 60%
    assert db.session.scalar(select(CourseCompletion)) is None
    _read_all(client, course)
    completion = db.session.scalars(select(CourseCompletion)).one()
    assert round(completion.score, 2) == 0.67
    assert db.session.scalar(select(Attempt.score)) == completion.score
