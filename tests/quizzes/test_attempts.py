"""Taking a quiz: drawing, freezing, saving, submitting, grading methods, review options."""

from __future__ import annotations

import re

from sqlalchemy import event, func, select

from lms.courses.models import Question
from lms.extensions import db
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.queries import quiz_state
from tests.quizzes.conftest import AUTO_GRADED, GENERAL_FEEDBACK, form_of, right_values, start, wrong_values


def test_start_draws_per_category_and_resumes_the_open_attempt(client, make_course, learner, login):
    course = make_course(quiz={"draw": {"Chung": 2, "Nâng cao": 1}, "shuffle_questions": True})
    login(learner)
    attempt = start(client, course)
    categories = [item.snapshot["category"] for item in attempt.questions]
    assert sorted(categories) == ["Chung", "Chung", "Nâng cao"]
    assert all(item.qtype != "description" for item in attempt.questions)
    assert start(client, course).id == attempt.id
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_empty_draw_takes_every_active_gradable_question(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    assert [item.snapshot["name"] for item in attempt.questions] == [
        "mc", "multi", "tf", "sa", "num", "match", "essay"]


def test_an_attempt_keeps_its_question_version_after_a_reimport(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    question = db.session.scalar(select(Question).where(Question.name == "sa"))
    question.text, question.version = "Câu hỏi đã sửa", question.version + 1
    db.session.commit()
    item = next(item for item in attempt.questions if item.snapshot["name"] == "sa")
    assert item.question_version == 1
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Lam Kinh" not in page and "Câu hỏi đã sửa" not in page and "Thọ Xuân" in page


def test_saved_answers_survive_a_reload(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    response = client.post_form(f"/attempts/{attempt.id}", {"q4": ["", "lam kinh"], "q3": ["", "true"]})
    assert response.status_code == 302
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'value="lam kinh"' in page
    assert re.search(r'name="q3" id="q3-true" value="true"\s*checked', page)
    assert db.session.scalar(select(Attempt.state)) == "open"


def test_an_autosave_is_not_cached_and_reads_nothing_after_its_commit(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    token, url = client.csrf_token(), f"/attempts/{attempt.id}/autosave"
    statements = []

    def executed(_connection, _cursor, statement, *_args):
        statements.append(statement)

    def committed(_connection):
        statements.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", executed)
    event.listen(db.engine, "commit", committed)
    try:
        response = client.post(url, json={"seq": 1, "answers": {"3": ["true"]}}, headers={"X-CSRFToken": token})
    finally:
        event.remove(db.engine, "before_cursor_execute", executed)
        event.remove(db.engine, "commit", committed)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert statements[-1] == "COMMIT", statements


def test_submission_grades_and_sends_attempt_graded_once(client, make_course, learner, login, graded_events):
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    assert client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt)).status_code == 302
    db.session.refresh(attempt)
    assert attempt.state == "submitted" and attempt.score == 1.0
    assert graded_events == [attempt.id]
    state = quiz_state(learner, course)
    assert state.passed and state.best_score == 1.0 and state.open_attempt_id is None


def test_submission_says_so_on_the_review_without_writing_the_session(client, make_course, learner, login):
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    response = client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt))
    assert response.status_code == 302 and "Set-Cookie" not in response.headers
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/review?submitted=1")
    assert "Đã nộp bài." in client.get(response.headers["Location"]).get_data(as_text=True)
    again = client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt))  # a double click: no message
    assert again.headers["Location"].endswith("/review")
    assert "Đã nộp bài." not in client.get(again.headers["Location"]).get_data(as_text=True)


def test_partial_and_wrong_answers(client, make_course, learner, login):
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    form = form_of(attempt, wrong_values)
    client.post_form(f"/attempts/{attempt.id}/submit", form)
    db.session.refresh(attempt)
    assert attempt.score == 0.0
    assert not quiz_state(learner, course).passed


def test_short_answer_ignores_case_spaces_and_diacritics_when_asked(client, make_course, learner, login):
    gift = "::sa::Tên di tích? {=Lam Kinh}\n\n::sa2::Huyện có Lam Kinh? {=Thọ Xuân}\n"
    course = make_course(questions=gift)
    question = db.session.scalar(select(Question).where(Question.name == "sa2"))
    question.data = {**question.data, "ignore_diacritics": True}
    db.session.commit()
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", {"q1": "  LAM KINH ", "q2": "tho xuan"})
    db.session.refresh(attempt)
    assert [item.fraction for item in attempt.questions] == [1.0, 1.0]


def test_attempts_allowed_is_enforced(client, make_course, learner, login):
    course = make_course(questions=AUTO_GRADED, quiz={"attempts_allowed": 1})
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt, wrong_values))
    response = client.post_form(f"/courses/{course.code}/quiz/start", follow_redirects=True)
    assert "dùng hết số lần làm bài" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 1
    assert not quiz_state(learner, course).can_start


def _take(client, course, values):
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt, values))
    return attempt


def test_grading_methods(client, make_course, learner, login):
    for grading, expected in (("highest", 1.0), ("first", 0.0), ("last", 1.0), ("average", 0.5)):
        course = make_course(code=f"G-{grading}", questions=AUTO_GRADED, quiz={"grading": grading},
                             passing_score=50)
        login(learner)
        _take(client, course, wrong_values)
        _take(client, course, right_values)
        state = quiz_state(learner, course)
        assert (grading, state.best_score) == (grading, expected)
        assert state.passed is (expected >= 0.5)
        assert state.attempts_used == 2


def test_review_follows_the_review_options(client, make_course, learner, login):
    hidden = {"score": False, "correctness": False, "feedback": False, "general_feedback": False}
    course = make_course(questions=AUTO_GRADED, quiz={"review": hidden})
    login(learner)
    attempt = _take(client, course, right_values)
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "PHANHOI" not in page and "100%" not in page and "Đáp án đúng" not in page

    course = make_course(code="QZ2", questions=AUTO_GRADED)
    attempt = _take(client, course, right_values)
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "100%" in page and "Đạt" in page
    assert "PHANHOI-MC-DUNG" in page and "PHANHOI-MC-SAI-1" not in page
    assert f"{GENERAL_FEEDBACK}-mc" in page and "Đáp án đúng" in page


def test_close_overdue_command(client, runner, make_course, learner, login, graded_events):
    from tests.quizzes.conftest import move_deadline

    course = make_course(questions=AUTO_GRADED, quiz={"time_limit_minutes": 30})
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}", form_of(attempt))
    move_deadline(attempt, seconds_ago=10)
    result = runner.invoke(args=["lms", "quizzes", "close-overdue"])
    assert "Đã đóng 0 " in result.output
    move_deadline(attempt, seconds_ago=120)
    result = runner.invoke(args=["lms", "quizzes", "close-overdue"])
    assert "Đã đóng 1 " in result.output
    db.session.refresh(attempt)
    assert attempt.state == "submitted" and attempt.score == 1.0
    assert attempt.submitted_at == attempt.deadline
    assert graded_events == [attempt.id]


def test_overdue_attempt_is_closed_by_the_next_page_view(client, make_course, learner, login):
    from tests.quizzes.conftest import move_deadline

    course = make_course(questions=AUTO_GRADED, quiz={"time_limit_minutes": 5})
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}", {"q3": "true"})
    move_deadline(attempt, seconds_ago=45)
    response = client.get(f"/attempts/{attempt.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    db.session.refresh(attempt)
    assert attempt.state == "submitted" and abs(attempt.score - 1 / 6) < 1e-9
    assert db.session.scalar(select(func.count(AttemptQuestion.id)).where(AttemptQuestion.fraction.isnot(None))) == 6
