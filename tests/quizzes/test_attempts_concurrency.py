"""Races on one attempt, with real threads and connections (SQLite file in WAL mode, or
PostgreSQL with LMS_TEST_DATABASE_URL): double submission, autosave against submission;
answers checked before the write lock is taken."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import select, update

from lms.core.models import utcnow
from lms.extensions import db
from lms.quizzes.grading import machine_fraction
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.operations import answer_sheet, parse_answers, start_attempt, submit_attempt
from tests.quizzes.conftest import AUTO_GRADED, form_of, right_values, start, wrong_values

ROUNDS = 4


def race(*calls):
    """Run the calls at the same moment in threads; return their results in order."""
    db.session.commit()  # the test's own session writes nothing meanwhile (SQLite: one writer)
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def tabs(app, learner, login, count=2):
    """Several browser tabs of the same learner, each with its CSRF token."""
    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        login(learner, client)
    return [(client, client.csrf_token()) for client in clients]


def submitter(client, token, attempt, values):
    data, url = {**form_of(attempt, values), "csrf_token": token}, f"/attempts/{attempt.id}/submit"
    return lambda: client.post(url, data=data)


def test_two_tabs_submitting_at_once_grade_exactly_once(app, make_course, learner, login, graded_events):
    course = make_course(questions=AUTO_GRADED)
    for _ in range(ROUNDS):
        (one, one_token), (two, two_token) = tabs(app, learner, login)
        attempt = start(one, course)
        first, second = race(submitter(one, one_token, attempt, right_values),
                             submitter(two, two_token, attempt, wrong_values))
        assert {first.status_code, second.status_code} == {302}
        locations = sorted(r.headers["Location"].rsplit("/", 2)[-2:] for r in (first, second))
        assert locations == [[str(attempt.id), "review"], [str(attempt.id), "review?submitted=1"]]
        db.session.expire_all()
        attempt = db.session.get(Attempt, attempt.id)
        assert attempt.state == "submitted" and attempt.score in (0.0, 1.0)
        assert_graded_from_stored_answers(attempt)
    assert len(graded_events) == ROUNDS == len(set(graded_events))


def test_autosave_racing_a_submission(app, make_course, learner, login, graded_events):
    course = make_course(questions=AUTO_GRADED)
    for _ in range(ROUNDS):
        (one, one_token), (two, two_token) = tabs(app, learner, login)
        attempt = start(one, course)
        answers = {str(key[1:]): value for key, value in form_of(attempt, wrong_values).items()}
        url = f"/attempts/{attempt.id}/autosave"

        def autosave():
            return two.post(url, json={"seq": 10**13, "answers": answers}, headers={"X-CSRFToken": two_token})

        submitted, saved = race(submitter(one, one_token, attempt, right_values), autosave)
        assert submitted.status_code == 302 and saved.status_code in (200, 409)
        db.session.expire_all()
        attempt = db.session.get(Attempt, attempt.id)
        assert_graded_from_stored_answers(attempt)
        # Saved before the submission: the submission's own (server-clock) answers are older.
        assert attempt.score == (0.0 if saved.status_code == 200 else 1.0)
    assert len(graded_events) == ROUNDS


def test_double_click_on_submit(client, make_course, learner, login, graded_events):
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    token = client.csrf_token()
    data, url = {**form_of(attempt), "csrf_token": token}, f"/attempts/{attempt.id}/submit"
    responses = race(*[lambda: client.post(url, data=data)] * 3)
    assert [r.status_code for r in responses] == [302] * 3
    assert graded_events == [attempt.id]


def test_a_submission_grades_an_answer_saved_after_it_read_the_questions(app_ctx, make_course, learner, graded_events):
    # A submission checks its answers against the questions before it takes the write lock;
    # an autosave (newer seq) may land in between, and then it is that answer which counts.
    course = make_course(questions=AUTO_GRADED)
    now = utcnow()
    attempt = start_attempt(learner, course, now)
    db.session.commit()
    sheet = answer_sheet(attempt)
    wrong = parse_answers(sheet, {item.position: wrong_values(item) for item in attempt.questions})
    right = parse_answers(sheet, {item.position: right_values(item) for item in attempt.questions})
    table = AttemptQuestion.__table__
    for item in attempt.questions:  # the autosave, behind the read sheet's back
        db.session.execute(update(table).where(table.c.id == item.id).values(response=right[item.position], seq=5000))
    submit_attempt(attempt, now, wrong, seq=4000, sheet=sheet)
    db.session.commit()
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.score == 1.0 and graded_events == [attempt.id]
    assert {item.seq for item in attempt.questions} == {5000}
    assert_graded_from_stored_answers(attempt)


def test_questions_loaded_before_a_submission_read_its_grades(app_ctx, make_course, learner, graded_events):
    # Saving and grading write from the answer sheet: the attempt's mapped questions, loaded
    # in the same session, must not keep their answers and fractions from before.
    course = make_course(questions=AUTO_GRADED)
    now = utcnow()
    attempt = start_attempt(learner, course, now)
    right = parse_answers(attempt.questions, {item.position: right_values(item) for item in attempt.questions})
    assert {item.fraction for item in attempt.questions} == {None}
    submit_attempt(attempt, now, right, seq=1)
    assert {item.seq for item in attempt.questions} == {1} and {item.fraction for item in attempt.questions} == {1.0}
    assert attempt.score == 1.0 and graded_events == [attempt.id]


def test_refused_answers_do_not_wait_for_the_write_lock(app, client, make_course, learner, login):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock")
    course = make_course(questions=AUTO_GRADED)
    login(learner)
    attempt = start(client, course)
    token, attempt_id = client.csrf_token(), attempt.id
    db.session.commit()
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another request busy writing
    try:
        response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "q1": "7"})
        assert response.status_code == 400 and "Câu 1" in response.get_data(as_text=True)
        response = client.post(f"/attempts/{attempt_id}/autosave", json={"seq": 1, "answers": {"99": ["x"]}},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 400 and response.get_json()["position"] == 99
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert db.session.get(Attempt, attempt_id).state == "open"


def assert_graded_from_stored_answers(attempt):
    items = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)).all()
    for item in items:
        assert item.fraction == machine_fraction(item), item.snapshot["name"]
