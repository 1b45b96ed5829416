"""Reads on quizzes that the learning pages, the trainer pages and reports share."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, bindparam, case, select
from sqlalchemy.orm import joinedload

from lms.courses.models import Course, Question
from lms.extensions import db
from lms.quizzes.models import Attempt
from lms.quizzes.qtypes import QUESTION_TYPES

# A score is a float fraction; 0.7 * 100 is 70.00000000000001, so compare rounded.
_PERCENT_DIGITS = 6


@dataclass(frozen=True)
class QuizState:
    """Where a learner stands with a course's quiz.

    ``can_start``: a POST to ``quizzes.start`` would start a new attempt or resume the
    open one (``open_attempt_id``). ``best_score`` is the fraction that counts under the
    course's grading method (``None`` before any graded attempt).
    """

    attempts_used: int
    attempts_allowed: int
    can_start: bool
    open_attempt_id: int | None
    best_score: float | None
    passed: bool


def gradable_types() -> list[str]:
    """The question types an attempt draws (every type but descriptions)."""
    return [name for name, qtype in QUESTION_TYPES.items() if qtype.graded]


# The course page runs these on every visit: built once (building a statement costs about as
# much as running one this small). The question types are bound per call: the registry may grow.
_HAS_QUIZ = (
    select(Question.id)
    .where(Question.course_id == bindparam("course_id"), Question.retired.is_(False),
           Question.qtype.in_(bindparam("qtypes", expanding=True)))
    .limit(1)
)
_USER_ATTEMPTS = (
    select(Attempt).where(Attempt.user_id == bindparam("user_id"), Attempt.course_id == bindparam("course_id"))
    .order_by(Attempt.number)
)


def course_has_quiz(course: Course) -> bool:
    """Whether the course has a final quiz: at least one active gradable question.

    :param course: the course
    """
    return db.session.scalar(_HAS_QUIZ, {"course_id": course.id, "qtypes": gradable_types()}) is not None


def user_attempts(user, course: Course) -> list[Attempt]:
    """The learner's attempts at the course's quiz, first first.

    :param user: the learner
    :param course: the course
    """
    return list(db.session.scalars(_USER_ATTEMPTS, {"user_id": user.id, "course_id": course.id}))


def counted_score(attempts: list[Attempt], grading: str) -> float | None:
    """The score that counts under ``grading`` (highest, average, first or last).

    First and last look at submitted attempts, so a first attempt whose essay is not yet
    graded counts as ``None``; highest and average use the graded ones.

    :param attempts: one learner's attempts, in order
    :param grading: the course's grading method
    """
    submitted = [attempt for attempt in attempts if attempt.state == "submitted"]
    graded = [attempt.score for attempt in submitted if attempt.score is not None]
    if grading == "first":
        return submitted[0].score if submitted else None
    if grading == "last":
        return submitted[-1].score if submitted else None
    if not graded:
        return None
    if grading == "average":
        return sum(graded) / len(graded)
    return max(graded)


def is_pass(score: float | None, course: Course) -> bool:
    """Whether ``score`` (a fraction) reaches the course's passing score (a percent).

    :param score: a fraction or ``None``
    :param course: the course
    """
    return score is not None and round(score * 100, _PERCENT_DIGITS) >= course.passing_score


def quiz_state(user, course: Course) -> QuizState:
    """The learner's attempts used and allowed, the open attempt, the score and the verdict.

    :param user: the learner
    :param course: the course
    """
    attempts = user_attempts(user, course)
    allowed = int(course.quiz.get("attempts_allowed") or 0)
    open_attempt = next((attempt for attempt in attempts if attempt.is_open), None)
    left = allowed == 0 or len(attempts) < allowed
    best = counted_score(attempts, course.quiz.get("grading", "highest"))
    return QuizState(
        attempts_used=len(attempts),
        attempts_allowed=allowed,
        can_start=open_attempt is not None or (left and course_has_quiz(course)),
        open_attempt_id=open_attempt.id if open_attempt else None,
        best_score=best,
        passed=is_pass(best, course),
    )


def course_attempts_query(course: Course, awaiting_only: bool = False) -> Select:
    """``SELECT Attempt`` of a course for trainers: awaiting a grade first, then the latest.

    :param course: the course
    :param awaiting_only: keep only submitted attempts whose essays wait for a grade
    """
    awaiting = (Attempt.state == "submitted") & Attempt.score.is_(None)
    stmt = select(Attempt).options(joinedload(Attempt.user)).where(Attempt.course_id == course.id)
    if awaiting_only:
        stmt = stmt.where(awaiting)
    return stmt.order_by(case((awaiting, 0), else_=1), Attempt.started_at.desc(), Attempt.id.desc())
