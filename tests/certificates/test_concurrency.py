"""Serial numbers stay gapless and unique when many people complete at the same moment,
and a programme completed by two courses at once gets one certificate.

Each thread is a separate process would be: its own application context, session and
connection, on the test database (a SQLite file, or PostgreSQL in CI).
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning.operations import refresh_completion
from lms.targets.operations import TargetData, create_target

THREADS = 12


def _complete_at_once(app, pairs: list[tuple[int, int]]) -> None:
    """Each (user id, course id) completed by its own thread, all starting together."""
    start, errors = threading.Barrier(len(pairs)), []

    def complete(user_id: int, course_id: int) -> None:
        with app.app_context():
            try:
                from lms.auth.models import User
                from lms.courses.models import Course

                start.wait()
                refresh_completion(db.session.get(User, user_id), db.session.get(Course, course_id))
                db.session.commit()
            except Exception as error:  # reported below, with the thread's failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_completions_get_consecutive_serials(app, commune, make_person, make_course):
    course = make_course()
    ids = [make_person(commune, f"Nguyễn Văn Người{n}").id for n in range(THREADS)]
    course_id = course.id
    db.session.commit()
    _complete_at_once(app, [(user_id, course_id) for user_id in ids])
    certificates = db.session.scalars(select(Certificate)).all()
    assert sorted(c.number for c in certificates) == list(range(1, THREADS + 1))
    assert len({c.serial for c in certificates}) == THREADS
    assert sorted(c.user_id for c in certificates) == sorted(ids)


def test_the_last_two_courses_of_a_programme_completed_at_once_give_one_programme_certificate(
        app, commune, make_person, make_course):
    # No course certificates: the programme's own issuing lock is all that orders the two.
    courses = [make_course(code, enabled=False) for code in ("IU01", "IU02", "IU03")]
    create_target(TargetData(name="Chuẩn kỹ năng CNTT", year=2026, start_date=date(2026, 1, 1),
                             deadline=date(2026, 12, 31), courses=courses, units=[commune], programme_certificate=True))
    people = [make_person(commune, f"Nguyễn Văn Người{n}") for n in range(THREADS // 2)]
    for person in people:
        refresh_completion(person, courses[0])
    # Each person completes IU02 and IU03 in two transactions at the same moment.
    pairs = [(person.id, course.id) for person in people for course in courses[1:]]
    db.session.commit()  # ends the test's own write transaction (SQLite)
    _complete_at_once(app, pairs)
    certificates = db.session.scalars(select(Certificate)).all()
    programme = [c for c in certificates if c.programme_code]
    assert sorted(c.user_id for c in programme) == sorted({user_id for user_id, _ in pairs})
    assert sorted(c.number for c in certificates) == list(range(1, len(people) + 1))
