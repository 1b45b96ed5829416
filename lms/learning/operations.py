"""Writes on the learner's record: enrolment, lessons read, course completion."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.core.models import utcnow
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.events import attempt_graded, course_completed
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress
from lms.quizzes.queries import course_has_quiz, is_pass, quiz_state


def _insert_once(model, values: dict, **keys):
    """The row of ``model`` matching ``keys``, inserted with ``values`` if missing.

    Two requests may insert the same row at once (two tabs, a retried POST): the unique
    constraint decides, and the loser reads the winner's row after its savepoint rolls back.

    :return: ``(row, created)``
    """
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is not None:
        return row, False
    row = model(**keys, **values)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.scalar(select(model).filter_by(**keys)), False
    return row, True


def enrol(user, course: Course) -> Enrollment:
    """Enrol ``user`` in ``course`` unless already enrolled (flush only).

    :param user: the learner
    :param course: a course the learner may see
    """
    enrollment, _created = _insert_once(Enrollment, {"enrolled_at": utcnow()}, user_id=user.id, course_id=course.id)
    return enrollment


def record_visit(user, lesson: Lesson) -> Enrollment:
    """Note ``lesson`` as the learner's place in its course, enrolling them on their first visit.

    :param user: the learner
    :param lesson: an active lesson of a course the learner may see
    """
    enrollment = enrol(user, lesson.course)
    enrollment.last_lesson_id = lesson.id
    db.session.flush()
    return enrollment


def mark_lesson_read(user, lesson: Lesson) -> CourseCompletion | None:
    """Record that ``user`` read ``lesson`` (once), then re-check the course's completion.

    :param user: the learner
    :param lesson: an active lesson of a course the learner may see
    :return: the course's completion if the course is (now or already) complete
    """
    record_visit(user, lesson)
    _insert_once(LessonProgress, {"read_at": utcnow()}, user_id=user.id, lesson_id=lesson.id)
    return refresh_completion(user, lesson.course)


def _all_lessons_read(user, course: Course) -> bool:
    unread = db.session.scalar(
        select(func.count(Lesson.id))
        .outerjoin(LessonProgress, (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user.id))
        .where(Lesson.course_id == course.id, Lesson.retired.is_(False), LessonProgress.id.is_(None))
    )
    return unread == 0


def refresh_completion(user, course: Course) -> CourseCompletion | None:
    """Record the completion of ``course`` by ``user`` once the completion rule holds (flush only).

    The rule: every active lesson read and, when the course has a quiz, the quiz passed at
    the course's passing score. A completion is recorded once, with its date, and never
    changed; recording it sends :data:`lms.learning.events.course_completed`.

    :param user: the learner
    :param course: the course to check
    :return: the completion (new or earlier), or ``None`` while the rule does not hold
    """
    existing = db.session.scalar(select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id))
    if existing is not None or not _all_lessons_read(user, course):
        return existing
    score = None
    if course_has_quiz(course):
        quiz = quiz_state(user, course)
        if not quiz.passed:
            return None
        score = quiz.best_score
    completion, created = _insert_once(
        CourseCompletion, {"completed_at": utcnow(), "score": score}, user_id=user.id, course_id=course.id
    )
    if created:
        course_completed.send(None, completion=completion)
    return completion


@attempt_graded.connect
def _on_attempt_graded(_sender, attempt, **_extra) -> None:
    """A passing attempt may be the last step of a course: re-check its completion.

    A failing one cannot be: under every grading method, a score below the pass mark never
    turns the course's counted score from failing to passing.
    """
    if is_pass(attempt.score, attempt.course):
        refresh_completion(attempt.user, attempt.course)
