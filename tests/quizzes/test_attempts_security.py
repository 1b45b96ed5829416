"""What an attempt refuses: leaks while open, bad answers, other people's attempts, closed
attempts, late answers; and who may see and grade attempts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.qtypes import QUESTION_TYPES
from tests.quizzes.conftest import AUTO_GRADED, form_of, move_deadline, start


def autosave(client, attempt, answers, seq=1000):
    token = client.csrf_token()
    return client.post(f"/attempts/{attempt.id}/autosave", json={"seq": seq, "answers": answers},
                       headers={"X-CSRFToken": token})


def responses(attempt):
    db.session.expire_all()
    return {item.position: item.response for item in db.session.scalars(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id))}


def secrets_of(item) -> list[str]:
    """Every right answer, fraction and feedback text of a frozen question."""
    data, qtype = item.data, QUESTION_TYPES[item.qtype]
    found = [item.snapshot["general_feedback"]]
    for answer in data.get("answers", []):
        found.append(answer["feedback"])
    found += [data.get("feedback_right", ""), data.get("feedback_wrong", "")]
    if item.qtype in ("shortanswer", "numerical", "matching"):
        found.append(qtype.right_answer_text(data))
    return [text for text in found if text]


def test_nothing_secret_reaches_the_browser_while_open(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    saved = autosave(client, attempt, {str(k): v for k, v in
                                       ((int(key[1:]), value) for key, value in form_of(attempt).items())})
    assert saved.status_code == 200
    for text in (page, saved.get_data(as_text=True)):
        for item in attempt.questions:
            for secret in secrets_of(item):
                assert secret not in text, secret
        assert "fraction" not in text and "correct" not in text and "PHANHOI" not in text
        assert "8642" not in text.replace('value="8642"', "")


def test_answers_to_questions_not_in_the_attempt_are_refused(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    response = autosave(client, attempt, {"3": ["true"], "99": ["x"]})
    assert response.status_code == 400 and response.get_json()["position"] == 99
    response = client.post_form(f"/attempts/{attempt.id}", {"q3": "true", "q99": "x"})
    assert response.status_code == 400 and "không thuộc bài làm này" in response.get_data(as_text=True)
    assert set(responses(attempt).values()) == {None}


@pytest.mark.parametrize("values", [["7"], ["0", "1"], ["-1"], ["x"]])
def test_out_of_range_choices_are_refused(client, course, learner, login, values):
    login(learner)
    attempt = start(client, course)
    response = autosave(client, attempt, {"3": ["true"], "1": values})
    assert response.status_code == 400 and response.get_json()["position"] == 1
    response = client.post_form(f"/attempts/{attempt.id}/submit", {"q3": "true", "q1": values})
    assert response.status_code == 400 and "Câu 1" in response.get_data(as_text=True)
    assert set(responses(attempt).values()) == {None}
    assert db.session.get(Attempt, attempt.id).state == "open"


def test_malformed_autosave_is_refused(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    token = client.csrf_token()
    for payload in ({"answers": {"3": ["true"]}}, {"seq": "1", "answers": {}}, {"seq": 1, "answers": {"3": "true"}},
                    {"seq": 1, "answers": {"x": ["true"]}}, [1, 2]):
        response = client.post(f"/attempts/{attempt.id}/autosave", json=payload, headers={"X-CSRFToken": token})
        assert response.status_code == 400, payload
    response = client.post(f"/attempts/{attempt.id}/autosave", json={"seq": 1, "answers": {"3": ["true"]}})
    assert response.status_code == 400  # no CSRF header
    assert set(responses(attempt).values()) == {None}


def test_another_users_attempt_is_not_found(client, app, course, learner, province, make_person, login):
    login(learner)
    attempt = start(client, course)
    other = app.test_client()
    login(make_person(province, "Trần Văn Khác"), other)
    assert other.get(f"/attempts/{attempt.id}").status_code == 404
    assert other.get(f"/attempts/{attempt.id}/review").status_code == 404
    assert other.post_form(f"/attempts/{attempt.id}", {"q3": "true"}).status_code == 404
    assert other.post_form(f"/attempts/{attempt.id}/submit", {"q3": "true"}).status_code == 404
    assert autosave(other, attempt, {"3": ["true"]}).status_code == 404
    assert other.get("/attempts/999999").status_code == 404
    assert set(responses(attempt).values()) == {None}
    assert db.session.get(Attempt, attempt.id).state == "open"


def test_unpublished_course_quiz_is_not_found(client, make_course, learner, login):
    course = make_course(code="DRAFT", status="draft")
    login(learner)
    assert client.post_form(f"/courses/{course.code}/quiz/start").status_code == 404
    assert db.session.scalar(select(Attempt.id)) is None


def test_a_closed_attempt_refuses_answers(client, make_course, learner, login):
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", {"q3": "true"})
    before = responses(attempt)
    response = autosave(client, attempt, {"3": ["false"]}, seq=10**13)
    assert response.status_code == 409
    assert "đã nộp" in response.get_json()["error"] and response.get_json()["review_url"].endswith("/review")
    response = client.post_form(f"/attempts/{attempt.id}", {"q3": "false"}, follow_redirects=True)
    assert "đã nộp" in response.get_data(as_text=True) and response.request.path.endswith("/review")
    assert responses(attempt) == before


def test_a_stale_autosave_never_overwrites_newer_answers(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    assert autosave(client, attempt, {"4": ["mới"]}, seq=2000).get_json()["saved"] == 1
    assert autosave(client, attempt, {"4": ["cũ"]}, seq=1500).get_json()["saved"] == 0
    assert responses(attempt)[4] == "mới"
    client.post_form(f"/attempts/{attempt.id}", {"q4": "không JS"})  # server clock: newer
    assert autosave(client, attempt, {"4": ["cũ"]}, seq=2500).get_json()["saved"] == 0
    assert responses(attempt)[4] == "không JS"


def test_answers_after_deadline_and_grace_are_refused(client, make_course, learner, login, graded_events):
    course = make_course(questions=AUTO_GRADED, quiz={"time_limit_minutes": 10})
    login(learner)
    attempt = start(client, course)
    autosave(client, attempt, {"3": ["true"]})
    move_deadline(attempt, seconds_ago=10)  # within the 30 s grace
    assert autosave(client, attempt, {"4": ["lam kinh"]}, seq=2000).status_code == 200
    move_deadline(attempt, seconds_ago=31)
    # A forged "time is up"/"time left" from the client changes nothing.
    response = client.post(f"/attempts/{attempt.id}/autosave", headers={"X-CSRFToken": client.csrf_token()},
                           json={"seq": 3000, "answers": {"5": ["8642"]}, "time_left": 600, "deadline": None})
    assert response.status_code == 409 and "hết thời gian" in response.get_json()["error"]
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "submitted" and responses(attempt)[5] is None
    assert abs(attempt.score - 2 / 6) < 1e-9 and graded_events == [attempt.id]


def test_a_late_submission_is_graded_from_the_saved_answers(client, make_course, learner, login):
    course = make_course(questions=AUTO_GRADED, quiz={"time_limit_minutes": 10})
    login(learner)
    attempt = start(client, course)
    autosave(client, attempt, {"3": ["true"]})
    move_deadline(attempt, seconds_ago=60)
    response = client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt), follow_redirects=True)
    assert "hết thời gian" in response.get_data(as_text=True).lower()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "submitted" and abs(attempt.score - 1 / 6) < 1e-9


def test_learners_cannot_see_course_attempts_or_grade(client, course, learner, login):
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt))
    assert client.get(f"/trainer/courses/{course.code}/attempts").status_code == 403
    response = client.post_form(f"/trainer/attempts/{attempt.id}/questions/7/grade", {"percent": "100"})
    assert response.status_code == 403
    assert db.session.get(Attempt, attempt.id).score is None


def test_trainer_grades_the_essay_and_the_attempt_gets_its_grade(
        client, app, course, learner, province, make_person, login, graded_events):
    login(learner)
    attempt = start(client, course)
    client.post_form(f"/attempts/{attempt.id}/submit", form_of(attempt))
    assert db.session.get(Attempt, attempt.id).score is None and graded_events == []
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Chờ giảng viên chấm" in page

    trainer = app.test_client()
    login(make_person(province, "Phạm Văn Thầy", roles=["trainer"]), trainer)
    listing = trainer.get(f"/trainer/courses/{course.code}/attempts?awaiting=1").get_data(as_text=True)
    assert "Lê Thị Học" in listing and "Chờ chấm" in listing
    assert "Mật khẩu dài" in trainer.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    response = trainer.post_form(f"/trainer/attempts/{attempt.id}/questions/7/grade", {"percent": "150"})
    assert db.session.get(Attempt, attempt.id).score is None
    response = trainer.post_form(f"/trainer/attempts/{attempt.id}/questions/7/grade",
                                 {"percent": "50", "comment": "Cần nêu thêm ví dụ."})
    assert response.status_code == 302
    attempt = db.session.get(Attempt, attempt.id)
    assert abs(attempt.score - (6 + 0.5) / 7) < 1e-9 and graded_events == [attempt.id]
    assert "Cần nêu thêm ví dụ." in client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert trainer.post_form(f"/trainer/attempts/{attempt.id}/questions/1/grade",
                             {"percent": "50"}).status_code == 404
