"""Grading an attempt: machine grades at submission, a trainer's grade for essays.

An attempt's score is the mean of its gradable questions' fractions (descriptions do not
count). While an answered essay waits for a trainer the score stays ``None``; the moment
the last one is graded the attempt gets its final grade and ``attempt_graded`` is sent.
"""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from lms.extensions import db
from lms.learning.events import attempt_graded
from lms.quizzes.models import Answer, Attempt, AttemptQuestion
from lms.quizzes.qtypes import QUESTION_TYPES

_attempts, _questions = Attempt.__table__, AttemptQuestion.__table__
_SET_SCORE = update(_attempts).where(_attempts.c.id == bindparam("b_id")).values(score=bindparam("new_score"))
_SET_GRADE = (
    update(_questions).where(_questions.c.id == bindparam("b_id"))
    .values(response=bindparam("new_response"), seq=bindparam("new_seq"), fraction=bindparam("new_fraction"))
)


def machine_fraction(item: Answer | AttemptQuestion) -> float | None:
    """The fraction a machine gives ``item``; ``None`` for an answered essay or a description.

    An essay left blank needs no trainer: it earns nothing.

    :param item: a question of a submitted attempt
    """
    qtype = QUESTION_TYPES[item.qtype]
    if not qtype.graded:
        return None
    if not qtype.auto_graded:
        return item.manual_fraction if item.response is not None else 0.0
    return qtype.grade(item.data, item.response)


def attempt_score(questions: list[Answer] | list[AttemptQuestion]) -> float | None:
    """The mean fraction over the gradable questions, ``None`` while one is ungraded.

    :param questions: the questions of a submitted attempt, their fractions set
    """
    gradable = [item for item in questions if QUESTION_TYPES[item.qtype].graded]
    if any(item.fraction is None for item in gradable):
        return None
    if not gradable:
        return 0.0
    return min(1.0, max(0.0, sum(item.fraction for item in gradable) / len(gradable)))


def grade_attempt(attempt: Attempt, sheet: list[Answer]) -> None:
    """Grade every question of a just-submitted attempt and record the score (flush only).

    The caller closed the attempt and gave its answer sheet the answers stored and the
    submission's newer ones. Answers and fractions go to the database in one executemany
    (the attempt's mapped questions, if loaded, are expired).

    :param attempt: the attempt, submitted by the caller's conditional UPDATE
    :param sheet: its :func:`lms.quizzes.operations.answer_sheet`
    """
    for item in sheet:
        item.fraction = machine_fraction(item)
    if sheet:
        db.session.execute(_SET_GRADE, [
            {"b_id": item.id, "new_response": item.response, "new_seq": item.seq, "new_fraction": item.fraction}
            for item in sheet
        ])
        expire_loaded_questions(attempt)
    _record_score(attempt, sheet)


def expire_loaded_questions(attempt: Attempt) -> None:
    """After writing answers or grades from an answer sheet: expire the attempt's mapped questions, if loaded.

    :param attempt: the attempt
    """
    for item in attempt.__dict__.get("questions", ()):
        db.session.expire(item, ["response", "seq", "fraction"])


def grade_essay(attempt: Attempt, item: AttemptQuestion, fraction: float, comment: str, grader) -> None:
    """Record a trainer's grade for an essay and re-score the attempt (flush only).

    The caller locks the attempt row first (``lock_attempt``) so that two trainers
    grading the last two essays at once still give the attempt its final grade.

    :param attempt: the submitted attempt, locked
    :param item: one of its essay questions
    :param fraction: the grade, 0..1
    :param comment: the trainer's comment for the learner
    :param grader: the trainer
    """
    item.manual_fraction = item.fraction = fraction
    item.comment = comment
    item.graded_by_id = grader.id
    _record_score(attempt, attempt.questions)


def _record_score(attempt: Attempt, questions: list[Answer] | list[AttemptQuestion]) -> None:
    score = attempt_score(questions)
    db.session.execute(_SET_SCORE, {"b_id": attempt.id, "new_score": score})
    set_committed_value(attempt, "score", score)
    if score is not None:
        attempt_graded.send(None, attempt=attempt)
