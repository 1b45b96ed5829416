"""Item analysis as Moodle's quiz statistics compute it (first graded attempt per learner by default)."""

import math

import pytest

from lms.authoring.analysis import correlation, quiz_statistics
from lms.core.models import utcnow
from lms.courses.models import Course, Question
from lms.extensions import db
from lms.quizzes.models import Attempt, AttemptQuestion

CHOICE = {"single": True, "answers": [{"text": "Đúng", "fraction": 1.0, "feedback": ""},
                                      {"text": "Sai", "fraction": 0.0, "feedback": ""}]}


@pytest.fixture
def course(app_ctx):
    course = Course(code="AN01", slug="an01", title="Phân tích", status="published")
    for name in ("Q1", "Q2", "Q3", "Q4"):
        course.questions.append(Question(name=name, qtype="multichoice", text=name, data=CHOICE))
    db.session.add(course)
    db.session.commit()
    return course


def _attempt(course, user, number, fractions):
    attempt = Attempt(user_id=user.id, course_id=course.id, number=number, state="submitted", started_at=utcnow(),
                      submitted_at=utcnow(), seed=1, score=sum(fractions) / len(fractions))
    for position, (question, fraction) in enumerate(zip(course.questions, fractions), start=1):
        attempt.questions.append(AttemptQuestion(
            position=position, question_id=question.id, question_version=1, presentation={"order": [0, 1]},
            snapshot={"qtype": "multichoice", "text": question.text, "text_format": "plain", "general_feedback": "",
                      "data": CHOICE}, response=[0] if fraction else [1], fraction=fraction))
    db.session.add(attempt)


def test_facility_discrimination_distribution_and_flags(course, province, make_person):
    # Q1: everyone right (too easy); Q2 and Q4: the strong get them right; Q3: only a weak learner (negative).
    scores = [(1, 1, 0, 1), (1, 1, 0, 1), (1, 0, 0, 0), (1, 0, 1, 0)]
    for n, fractions in enumerate(scores):
        learner = make_person(province, f"Học Viên Số{n}", staff_code=f"S{n}")
        _attempt(course, learner, 1, fractions)
        _attempt(course, learner, 2, (1, 1, 1, 1))  # later attempts are left out by default
    db.session.commit()

    stats = quiz_statistics(course)
    q1, q2, q3, _q4 = stats.questions
    assert stats.attempts == 4 and q1.attempts == 4
    assert (q1.facility, q2.facility, q3.facility) == (1.0, 0.5, 0.25)
    rest_q2 = [2, 2, 1, 2]  # the attempt's total without Q2
    assert math.isclose(q2.discrimination, 100 * correlation([1, 1, 0, 0], rest_q2))
    assert q1.discrimination is None  # a question everyone gets right does not discriminate
    assert q3.discrimination < 0
    assert q1.flags == ["too_easy"] and q2.flags == [] and q3.flags == ["negative"]
    assert q2.distribution == [("Đúng", 1.0, 2), ("Sai", 0.0, 2)]
    assert quiz_statistics(course, first_only=False).attempts == 8


def test_the_analysis_page_lists_questions_and_flags(course, province, make_person, login, app):
    from lms.authoring.models import CourseStaff

    trainer = make_person(province, "Lê Văn Giảng", roles=["trainer"], staff_code="GV01")
    db.session.add(CourseStaff(course_id=course.id, user_id=trainer.id, role="owner"))
    _attempt(course, trainer, 1, (1, 0, 0, 0))
    db.session.commit()
    page = login(trainer, app.test_client()).get("/authoring/courses/AN01/analysis").get_data(as_text=True)
    assert "Quá dễ" in page and "Quá khó" in page and "1 lần làm bài." in page
