"""Serial numbers stay gapless and unique when many people complete at the same moment.

Each thread is a separate process would be: its own application context, session and
connection, on the test database (a SQLite file, or PostgreSQL in CI).
"""

from __future__ import annotations

import threading

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning.operations import refresh_completion

THREADS = 12


def test_concurrent_completions_get_consecutive_serials(app, commune, make_person, make_course):
    course = make_course()
    ids = [make_person(commune, f"Nguyễn Văn Người{n}").id for n in range(THREADS)]
    course_id = course.id
    db.session.commit()
    start, errors = threading.Barrier(THREADS), []

    def complete(user_id: int) -> None:
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

    threads = [threading.Thread(target=complete, args=(user_id,)) for user_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    certificates = db.session.scalars(select(Certificate)).all()
    assert sorted(c.number for c in certificates) == list(range(1, THREADS + 1))
    assert len({c.serial for c in certificates}) == THREADS
    assert sorted(c.user_id for c in certificates) == sorted(ids)
