"""Demo learning history: some staff of a few units have worked through courses.

Written straight into the tables (enrolments, lessons read, completions) with dates spread
over the past weeks, so that HR dashboards have a history to draw; certificates are then
issued for those completions through the ordinary operation, as `issue-pending` would.
Only for the demo: real completions always come from learners' own work.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.operations import issue_certificate
from lms.core.models import utcnow
from lms.courses.models import Course
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress
from lms.org.models import OrgUnit

# Units whose staff have a learning history in the demo (the demo HR ward among them).
DEMO_PROGRESS_UNITS = ("14797", "14758", "SNV", "SKHCN")
BASIC_COURSES = ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06")


def simulate_progress(rng: random.Random, weeks: int = 10) -> int:
    """Give the staff of :data:`DEMO_PROGRESS_UNITS` a plausible history; returns completions made.

    :param rng: the random source (seeded by the demo, so every machine gets the same history)
    :param weeks: how far back the history goes
    """
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(BASIC_COURSES)))}
    if db.session.scalar(select(CourseCompletion.id).limit(1)) is not None or len(courses) < len(BASIC_COURSES):
        return 0
    people = db.session.scalars(
        select(User).join(OrgUnit, User.unit_id == OrgUnit.id)
        .where(OrgUnit.code.in_(DEMO_PROGRESS_UNITS), OrgUnit.valid_to.is_(None), User.staff_code.like("TH%"))
    ).all()
    completions = []
    for person in people:
        done = rng.choices([6, 3, 1, 0], weights=[3, 2, 2, 3])[0]
        for index, code in enumerate(BASIC_COURSES[: done + 1]):
            finished = index < done
            completions += _history(person, courses[code], finished, rng, weeks)
    db.session.flush()
    for completion in completions:
        issue_certificate(completion, now=completion.completed_at)
    return len(completions)


def _history(person: User, course: Course, finished: bool, rng: random.Random, weeks: int) -> list[CourseCompletion]:
    started = utcnow() - timedelta(days=rng.randint(7, weeks * 7))
    lessons = course.active_lessons if finished else course.active_lessons[: rng.randint(1, 2)]
    db.session.add(Enrollment(user=person, course=course, enrolled_at=started, last_lesson_id=lessons[-1].id))
    db.session.add_all(LessonProgress(user_id=person.id, lesson=lesson, read_at=started) for lesson in lessons)
    if not finished:
        return []
    completion = CourseCompletion(
        user=person, course=course, completed_at=started + timedelta(days=rng.randint(1, 6)),
        score=round(rng.uniform(0.7, 1.0), 2),
    )
    db.session.add(completion)
    return [completion]
