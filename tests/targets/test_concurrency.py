"""Two completions of one person in one target, committed at the same moment, both count.

Each thread is what a separate worker process would be: its own application context,
session and connection, on the test database (SQLite, or PostgreSQL in CI). On PostgreSQL
the threads are held until both have written their completion and are about to recompute
the person's row, the interleaving in which a stale read would lose one of them.
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from lms.extensions import db
from lms.targets import rollups
from lms.targets.models import TargetCount, TargetMember
from lms.targets.operations import TargetData, create_target


def test_a_person_completing_the_last_two_courses_at_once_counts_as_completed(app, province, make_person, make_course,
                                                                             start, monkeypatch):
    from lms.auth.models import User
    from lms.courses.models import Course
    from lms.learning.operations import mark_lesson_read

    courses = [make_course(code) for code in ("IU01", "IU02")]
    target = create_target(TargetData(name="Kỹ năng CNTT", year=2026, start_date=date(2026, 1, 1),
                                      deadline=date(2026, 12, 31), courses=courses, units=[province]))
    learner = make_person(province, "Lê Thị Hoa")
    for course in courses:
        start(learner, course)  # enrolled in both: each completion below recomputes the person once
    learner_id, course_ids = learner.id, [course.id for course in courses]
    db.session.commit()  # ends the test's own write transaction (SQLite)

    together, real_load_facts, errors = threading.Barrier(2), rollups.load_facts, []

    def held_load_facts(user_ids=None):
        if db.engine.dialect.name == "postgresql":  # on SQLite the second waits for the write lock instead
            together.wait(timeout=30)
        return real_load_facts(user_ids)

    monkeypatch.setattr("lms.targets.operations.load_facts", held_load_facts)

    def complete(course_id: int) -> None:
        with app.app_context():
            try:
                course = db.session.get(Course, course_id)
                mark_lesson_read(db.session.get(User, learner_id), course.lessons[0])
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete, args=(course_id,)) for course_id in course_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []

    db.session.expire_all()
    member = db.session.scalars(select(TargetMember).where(TargetMember.user_id == learner_id)).one()
    assert (member.status, member.done_courses) == ("completed", 2)
    counts = db.session.scalars(select(TargetCount).where(TargetCount.target_id == target.id)).all()
    assert [(c.audience, c.completed) for c in counts] == [(1, 1)]
