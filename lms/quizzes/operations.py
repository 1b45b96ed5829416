"""Writes on attempts: start, save answers, submit, close when overdue.

Every change of an attempt's state is one conditional UPDATE (``… WHERE state = 'open'``),
so a double click, a retry or two tabs change it exactly once and only the request whose
UPDATE changed the row grades it. Saving answers and submitting begin with such an UPDATE
of the attempt's row (they "claim" the open attempt): on PostgreSQL its row lock orders the
saves and submissions of one attempt, and on SQLite every writing request holds the write
lock anyway. Then the stored answers are read again (a view may have loaded and checked
the questions before taking the lock), and they cannot change before the transaction ends:
the new answers are merged with them by sequence number in Python and written in one
executemany.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lms.core.models import utcnow
from lms.courses.models import Course, Question
from lms.extensions import db
from lms.quizzes.grading import expire_loaded_questions, grade_attempt
from lms.quizzes.models import Answer, Attempt, AttemptQuestion
from lms.quizzes.qtypes import QUESTION_TYPES, InvalidResponse
from lms.quizzes.queries import course_has_quiz, gradable_types, user_attempts

_NO_SYNC = {"synchronize_session": False}

# Core statements built once skip the ORM's per-statement work.
_attempts = Attempt.__table__


def _claim_statement(**values):
    """UPDATE the open attempt ``b_id`` if in time (deadline >= ``b_cutoff``), setting ``saved_at`` to ``b_now``."""
    in_time = _attempts.c.deadline.is_(None) | (_attempts.c.deadline >= bindparam("b_cutoff"))
    return (update(_attempts).where(_attempts.c.id == bindparam("b_id"), _attempts.c.state == "open", in_time)
            .values(saved_at=bindparam("b_now"), **values))


_CLAIM_TO_SAVE = _claim_statement()
_CLAIM_TO_SUBMIT = _claim_statement(state="submitted", submitted_at=bindparam("b_now"))

_answers = AttemptQuestion.__table__
_SAVE_ANSWER = (
    update(_answers).where(_answers.c.id == bindparam("b_id"))
    .values(response=bindparam("new_response"), seq=bindparam("new_seq"))
)
_STORED_SEQS = select(_answers.c.id, _answers.c.seq).where(_answers.c.attempt_id == bindparam("b_attempt"))
_STORED_ANSWERS = select(_answers.c.id, _answers.c.seq, _answers.c.response).where(
    _answers.c.id.in_(bindparam("b_ids", expanding=True))
)
_ANSWER_SHEET = (
    select(_answers.c.id, _answers.c.position, _answers.c.snapshot, _answers.c.presentation, _answers.c.response,
           _answers.c.seq, _answers.c.manual_fraction)
    .where(_answers.c.attempt_id == bindparam("b_attempt")).order_by(_answers.c.position)
)


class QuizError(Exception):
    """A request the quiz engine refuses; ``code`` says why (for the view's message)."""

    def __init__(self, code: str, position: int | None = None, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.position = position
        self.detail = detail


def grace() -> timedelta:
    """How long after the deadline answers are still accepted (network delays)."""
    return timedelta(seconds=current_app.config.get("LMS_QUIZ_GRACE_SECONDS", 30))


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """Whether ``attempt`` is open past its deadline plus the grace period.

    :param attempt: the attempt
    :param now: the current time
    """
    return attempt.is_open and attempt.deadline is not None and now > attempt.deadline + grace()


def start_attempt(user, course: Course, now: datetime | None = None) -> Attempt:
    """Resume the learner's open attempt, or start a new one (flush only).

    An open attempt found past its deadline is closed and returned closed: the caller
    shows its review rather than silently using up another attempt.

    :param user: the learner
    :param course: a course the learner may see
    :param now: the current time (for tests)
    :raises QuizError: ``no_quiz`` or ``no_attempts_left``
    """
    now = now or utcnow()
    attempts = user_attempts(user, course)
    current = next((attempt for attempt in attempts if attempt.is_open), None)
    if current is not None:
        close_if_overdue(current, now)
        return current
    allowed = int(course.quiz.get("attempts_allowed") or 0)
    if allowed and len(attempts) >= allowed:
        raise QuizError("no_attempts_left")
    if not course_has_quiz(course):
        raise QuizError("no_quiz")
    return _create_attempt(user, course, len(attempts) + 1, now)


def _create_attempt(user, course: Course, number: int, now: datetime) -> Attempt:
    seed = secrets.randbits(31)
    minutes = int(course.quiz.get("time_limit_minutes") or 0)
    attempt = Attempt(user_id=user.id, course_id=course.id, number=number, state="open", started_at=now,
                      deadline=now + timedelta(minutes=minutes) if minutes else None, seed=seed)
    rng = random.Random(seed)
    shuffle = bool(course.quiz.get("shuffle_answers", True))
    for position, question in enumerate(draw_questions(course, rng), start=1):
        attempt.questions.append(_freeze(question, position, rng, shuffle))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another tab started the same attempt number first: resume that one.
        return _open_attempt(user, course)
    return attempt


def _open_attempt(user, course: Course) -> Attempt:
    stmt = select(Attempt).where(Attempt.user_id == user.id, Attempt.course_id == course.id, Attempt.state == "open")
    attempt = db.session.scalar(stmt)
    if attempt is None:
        raise QuizError("no_attempts_left")
    return attempt


def draw_questions(course: Course, rng: random.Random) -> list[Question]:
    """Pick an attempt's questions per the quiz's ``draw`` and order them.

    An empty ``draw`` takes every active gradable question. Without
    ``shuffle_questions`` the drawn questions keep the bank's order.

    :param course: the course
    :param rng: the attempt's random generator
    """
    stmt = select(Question).where(
        Question.course_id == course.id, Question.retired.is_(False), Question.qtype.in_(gradable_types())
    )
    bank = list(db.session.scalars(stmt.order_by(Question.position)))
    draw = course.quiz.get("draw") or {}
    if draw:
        chosen = []
        for category, count in draw.items():
            pool = [question for question in bank if question.category == category]
            chosen += rng.sample(pool, min(count, len(pool)))
    else:
        chosen = bank
    if course.quiz.get("shuffle_questions", True):
        rng.shuffle(chosen)
    else:
        chosen.sort(key=lambda question: question.position)
    return chosen


def _freeze(question: Question, position: int, rng: random.Random, shuffle: bool) -> AttemptQuestion:
    snapshot = {
        "qtype": question.qtype, "name": question.name, "category": question.category,
        "text": question.text, "text_format": question.text_format,
        "general_feedback": question.general_feedback, "data": question.data,
    }
    presentation = QUESTION_TYPES[question.qtype].prepare(question.data, rng, shuffle)
    return AttemptQuestion(position=position, question_id=question.id, question_version=question.version,
                           snapshot=snapshot, presentation=presentation, response=None, seq=0, comment="")


def answer_sheet(attempt: Attempt) -> list[Answer]:
    """The attempt's questions as saves and submissions read them (a Core query, no mapped objects).

    :param attempt: the attempt
    """
    return [Answer(row) for row in db.session.execute(_ANSWER_SHEET, {"b_attempt": attempt.id}).all()]


def parse_answers(questions: list[Answer] | list[AttemptQuestion], values: dict[int, list[str]]) -> dict[int, Any]:
    """Turn submitted values (by question position) into responses, checking every one.

    Reads only what an attempt froze when it started, so a view may call it before taking
    the write lock (see :func:`lms.core.database.begin_write`).

    :param questions: the attempt's :func:`answer_sheet` (or its questions)
    :param values: the form values of each answered question
    :raises QuizError: ``unknown_question`` or ``invalid_answer`` (with the position)
    """
    items = {item.position: item for item in questions}
    responses = {}
    for position, raw in values.items():
        item = items.get(position)
        if item is None:
            raise QuizError("unknown_question", position)
        try:
            responses[position] = QUESTION_TYPES[item.qtype].parse_response(item.data, item.presentation, raw)
        except InvalidResponse as error:
            raise QuizError("invalid_answer", position, str(error)) from None
    return responses


def save_answers(attempt: Attempt, responses: dict[int, Any], seq: int, now: datetime,
                 sheet: list[Answer] | None = None) -> int:
    """Store responses unless a newer save already stored them (flush only).

    :param attempt: the attempt
    :param responses: from :func:`parse_answers`
    :param seq: the save's sequence number; a question whose stored number is not lower
        keeps its stored response (a stale autosave never overwrites a newer one)
    :param now: the current time
    :param sheet: the attempt's :func:`answer_sheet` if the caller read it (its answers are
        read again after the claim); else it is read after the claim
    :returns: how many responses were stored
    :raises QuizError: ``closed`` (nothing stored) or ``too_late`` (nothing stored; the
        overdue attempt has been closed and graded from its last saved answers)
    """
    sheet = _claim(attempt, now, _CLAIM_TO_SAVE, sheet)
    stored = _merge(sheet, responses, seq)
    if stored:
        db.session.execute(_SAVE_ANSWER, [{"b_id": item.id, "new_response": item.response, "new_seq": seq}
                                          for item in stored])
        expire_loaded_questions(attempt)
    return len(stored)


def submit_attempt(attempt: Attempt, now: datetime, responses: dict[int, Any] | None = None, seq: int = 0,
                   sheet: list[Answer] | None = None) -> None:
    """Store the last responses, close the attempt and grade it, exactly once (flush only).

    :param attempt: the attempt
    :param now: the current time
    :param responses: from :func:`parse_answers`, stored as by :func:`save_answers`
    :param seq: their sequence number
    :param sheet: as for :func:`save_answers`
    :raises QuizError: ``closed`` (already submitted: a double click, another tab) or
        ``too_late`` (the overdue attempt has been closed and graded from its last saved answers)
    """
    sheet = _claim(attempt, now, _CLAIM_TO_SUBMIT, sheet)
    set_committed_value(attempt, "state", "submitted")
    set_committed_value(attempt, "submitted_at", now)
    _merge(sheet, responses or {}, seq)
    grade_attempt(attempt, sheet)


def _claim(attempt: Attempt, now: datetime, statement, sheet: list[Answer] | None) -> list[Answer]:
    """Run ``statement`` (a claim) on the attempt, or say why it cannot take answers.

    Then returns its answer sheet as stored now: read, or the stored answers read again
    into ``sheet`` (they may have changed since it was read).
    """
    result = db.session.execute(statement, {"b_id": attempt.id, "b_now": now, "b_cutoff": now - grace()})
    if result.rowcount == 1:
        set_committed_value(attempt, "saved_at", now)
        if sheet is None:
            return answer_sheet(attempt)
        _reload_answers(attempt, sheet)
        return sheet
    if close_overdue(attempt.id, now):
        raise QuizError("too_late")
    db.session.refresh(attempt)
    raise QuizError("too_late" if attempt.deadline and attempt.submitted_at == attempt.deadline else "closed")


def _reload_answers(attempt: Attempt, sheet: list[Answer]) -> None:
    """Give the sheet the answers stored now; the claim keeps them from changing.

    Every save raises a question's ``seq``: the numbers are read, and the answers of those
    whose number moved (usually none) read again.
    """
    seqs = dict(db.session.execute(_STORED_SEQS, {"b_attempt": attempt.id}).all())
    changed = {item.id: item for item in sheet if seqs[item.id] != item.seq}
    if changed:
        for row in db.session.execute(_STORED_ANSWERS, {"b_ids": list(changed)}):
            changed[row.id].response, changed[row.id].seq = row.response, row.seq


def _merge(sheet: list[Answer], responses: dict[int, Any], seq: int) -> list[Answer]:
    """Give the questions whose stored answer is older than ``seq`` their new response.

    The caller writes it. Returns those questions.
    """
    newer = [item for item in sheet if item.position in responses and item.seq < seq]
    for item in newer:
        item.response, item.seq = responses[item.position], seq
    return newer


def close_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Close and grade ``attempt`` if it is open past its deadline plus grace (flush only).

    :param attempt: the attempt
    :param now: the current time
    :returns: whether this call closed it
    """
    return is_overdue(attempt, now) and close_overdue(attempt.id, now)


def close_overdue(attempt_id: int, now: datetime) -> bool:
    """Close and grade an overdue attempt from its last saved answers (flush only).

    The conditional UPDATE is the first statement, so a GET request may call this in a
    fresh transaction (SQLite cannot safely turn a read transaction into a write one).
    ``submitted_at`` becomes the deadline.

    :param attempt_id: the attempt's id
    :param now: the current time
    :returns: whether this call closed it (``False``: not open, or not overdue)
    """
    stmt = update(Attempt).where(Attempt.id == attempt_id, Attempt.state == "open", Attempt.deadline < now - grace())
    result = db.session.execute(stmt.values(state="submitted", submitted_at=Attempt.deadline),
                                execution_options=_NO_SYNC)
    if result.rowcount != 1:
        return False
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    grade_attempt(attempt, answer_sheet(attempt))
    return True


def close_overdue_attempts(now: datetime | None = None) -> int:
    """Close and grade every attempt open past its deadline plus grace (flush only).

    :param now: the current time (for tests)
    :returns: how many attempts this call closed
    """
    now = now or utcnow()
    stmt = select(Attempt.id).where(Attempt.state == "open", Attempt.deadline < now - grace())
    return sum(close_overdue(attempt_id, now) for attempt_id in db.session.scalars(stmt).all())


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load an attempt with its row locked until the transaction ends (PostgreSQL).

    :param attempt_id: the attempt's id
    """
    stmt = select(Attempt).where(Attempt.id == attempt_id).with_for_update()
    return db.session.scalars(stmt.execution_options(populate_existing=True)).first()
