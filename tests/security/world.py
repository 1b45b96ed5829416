"""A small province in which every kind of user and every kind of object exists.

Every object that a route names belongs to unit A or to the learner of unit A, so the
HR officer of unit B, a sibling unit, must find none of them. :func:`build_world`
commits through the same operations the application uses and returns the ids the
access matrix puts in URLs; :func:`empty_database` throws it all away again.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text

from lms.extensions import db, limiter
from tests.database import empty_database

PASSWORD = "mat-khau-thu-nghiem"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ROSTER = ("Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Mã đơn vị,Email\n"
          "A0900,Phạm Văn Mới,05/03/1985,Nam,Chuyên viên,UA,\n").encode("utf-8-sig")
QUESTIONS = """\
::tuluan::Trình bày cách đặt mật khẩu an toàn. {}

::mc::Trụ sở UBND tỉnh đặt ở đâu? {=Thành phố Thanh Hóa ~Thành phố Sầm Sơn}
"""
KINDS = ("anonymous", "deactivated", "learner", "trainer", "hr_a", "hr_b", "admin")


@dataclass
class World:
    """What the matrix needs: the people by kind and the ids and names that go in URLs."""

    people: dict  # kind -> the session id (``User.get_id()``) that logs that kind in
    ids: dict  # name -> value put in URLs and forms


def build_world() -> World:
    """Units A and B under a province, the seven kinds of user, and one of every object, committed."""
    from lms.auth.operations import deactivate_account, grant_role, set_password
    from lms.org.operations import create_person, create_unit

    province = create_unit("38", "Tỉnh Thanh Hóa", "province", None)
    unit_a = create_unit("UA", "Phường Hạc Thành", "commune", province)
    unit_b = create_unit("UB", "Phường Hàm Rồng", "commune", province)
    counter = iter(range(1, 1000))

    def person(unit, ho, ten, *roles):
        user = create_person(f"S{next(counter):04d}", ho, "Văn", ten, unit, start=date(2025, 7, 1))
        set_password(user, PASSWORD)
        for role, role_unit in roles:
            grant_role(user, role, role_unit)
        return user

    people = {
        "learner": person(unit_a, "Lê", "Học"),
        "trainer": person(province, "Trần", "Giảng", ("trainer", None)),
        "hr_a": person(unit_a, "Ngô", "Tổ", ("hr", unit_a)),
        "hr_b": person(unit_b, "Đỗ", "Chức", ("hr", unit_b)),
        "admin": person(province, "Vũ", "Trị", ("admin", None)),
        "deactivated": person(unit_a, "Hồ", "Nghỉ"),
    }
    colleague = person(unit_a, "Mai", "Đồng")
    db.session.flush()
    deactivate_account(people["deactivated"])
    ids = {"unit_a": unit_a.id, "unit_b": unit_b.id, "learner": people["learner"].id,
           "trainer": people["trainer"].id, "colleague": colleague.id, "learner_code": people["learner"].staff_code}
    ids.update(_courses(people))
    ids.update(_certificate_and_job(people, unit_a))
    ids.update(_target(unit_a, colleague, ids["course_id"]))
    ids.update(_placement_and_upload(province, unit_a, people["hr_a"], counter))
    sessions = {kind: user.get_id() for kind, user in people.items()}
    db.session.commit()
    return World(sessions, ids)


def _courses(people) -> dict:
    """Course AC01: published, a lesson, media, a quiz (essay first), the trainer on its staff,
    an open draft; the learner's submitted attempt (essay to grade) and open attempt."""
    from lms.authoring.drafts import open_draft
    from lms.authoring.operations import assign_staff
    from lms.courses.models import Course
    from lms.courses.operations import import_course
    from lms.courses.settings import normalise_certificate, normalise_quiz
    from lms.courses.spec import CourseSpec, LessonSpec
    from lms.quizzes.gift import parse_gift
    from lms.quizzes.operations import start_attempt, submit_attempt
    from lms.core.models import utcnow

    spec = CourseSpec(code="AC01", slug="ac01", title="Khóa học truy cập", passing_score=50,
                      quiz=normalise_quiz({"shuffle_questions": False, "attempts_allowed": 0}),
                      certificate=normalise_certificate({"enabled": False}),
                      lessons=[LessonSpec("bai-1", 1, "Bài 1", 5, "Nội dung ![ảnh](media/anh.png)")],
                      questions=parse_gift(QUESTIONS), media={"anh.png": ("image/png", PNG)})
    import_course(spec)
    course = db.session.scalar(select(Course).where(Course.code == "AC01"))
    assign_staff(course, people["trainer"], "owner")
    learner, now = people["learner"], utcnow()
    submitted = start_attempt(learner, course, now)
    submit_attempt(submitted, now)
    db.session.flush()
    open_attempt = start_attempt(learner, course, now)
    draft = open_draft(course)
    db.session.flush()
    return {"course": course.code, "course_id": course.id, "slug": "bai-1", "media": "anh.png",
            "question_key": draft.content["questions"][0]["key"], "open_attempt": open_attempt.id,
            "submitted_attempt": submitted.id}


def _certificate_and_job(people, unit_a) -> dict:
    """The learner's certificate of course CT01 and HR A's finished bundle job."""
    from lms.certificates.jobs import create_bundle_job, run_job
    from lms.certificates.models import Certificate
    from lms.courses.models import Course
    from lms.courses.settings import normalise_certificate, normalise_quiz
    from lms.learning.operations import refresh_completion

    course = Course(code="CT01", slug="ct01", title="Khóa học có chứng nhận", study_hours=8, status="published",
                    quiz=normalise_quiz({}), certificate=normalise_certificate({"enabled": True}))
    db.session.add(course)
    db.session.flush()
    refresh_completion(people["learner"], course)
    certificate = db.session.scalar(select(Certificate))
    job = create_bundle_job(people["hr_a"], unit_a, subtree=True, merged=False)
    ids = {"certificate": certificate.id, "serial": certificate.serial,
           "verification_code": certificate.verification_code, "job": job.id}
    db.session.commit()
    run_job(ids["job"])  # reading nothing between the commit and here: SQLite's write lock stays free
    return ids


def _target(unit_a, colleague, course_id) -> dict:
    """A training target on unit A, with the colleague excluded from it."""
    from lms.courses.models import Course
    from lms.targets.operations import TargetData, create_target, exclude_person

    data = TargetData(name="Kế hoạch 2026", year=2026, start_date=date(2026, 1, 1), deadline=date(2026, 12, 31),
                      courses=[db.session.get(Course, course_id)], units=[unit_a])
    target = create_target(data)
    exclusion = exclude_person(target, colleague, "nghỉ thai sản")
    db.session.flush()
    return {"target": target.id, "exclusion": exclusion.id}


def _placement_and_upload(province, unit_a, hr_a, counter) -> dict:
    """A person of a split unit below A waiting to be placed, and HR A's stored roster upload."""
    from lms.org.models import PendingPlacement
    from lms.org.operations import create_person, create_unit
    from lms.org.reorganisation import split_unit
    from lms.org.uploads import save_upload

    old = create_unit("UA1", "Tổ cũ", "commune", unit_a, valid_from=date(2025, 1, 1))
    new_units = [create_unit(f"UA{n}", f"Tổ mới {n}", "commune", unit_a, valid_from=date(2025, 1, 1)) for n in (2, 3)]
    create_person(f"S{next(counter):04d}", "Lý", "Thị", "Chờ", old, start=date(2025, 2, 1))
    db.session.flush()
    split_unit(old, new_units, date(2026, 1, 1))
    db.session.flush()
    placement = db.session.scalar(select(PendingPlacement))
    upload = save_upload(io.BytesIO(ROSTER), "ds.csv", user_id=hr_a.id, unit_id=unit_a.id, deactivate_missing=False)
    return {"placement": placement.id, "placement_unit": new_units[0].id, "token": upload.token}


def fingerprint() -> tuple:
    """Every row of every table, to tell whether a request changed anything."""
    from lms.core.database import read_only_transactions

    rows = []
    with read_only_transactions(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows.append((table.name, sorted(map(repr, conn.execute(table.select()).all()))))
    return tuple(rows)


class Snapshot:
    """The world as first built, put back before each test (with the storage folder): SQLite's
    backup API copies the database back; on PostgreSQL every table is emptied and its saved
    rows are inserted again, with the id sequences moved past them."""

    def __init__(self, world: World):
        self.world = world
        self.storage = Path(current_app.config["STORAGE_DIR"])
        self.saved_storage = Path(tempfile.mkdtemp(prefix="world-storage-")) / "storage"
        shutil.copytree(self.storage, self.saved_storage)
        self.database = None
        self.rows: dict = {}
        if db.engine.dialect.name == "sqlite":
            self.database = sqlite3.connect(":memory:")
            self._copy(into_live=False)
        else:
            db.session.remove()
            with db.engine.connect() as conn:
                self.rows = {t: [dict(r) for r in conn.execute(t.select()).mappings()] for t in db.metadata.sorted_tables}

    def _insert_saved_rows(self) -> None:
        empty_database()
        with db.engine.begin() as conn:
            for table, rows in self.rows.items():
                if rows:
                    conn.execute(table.insert(), rows)
                if "id" in table.c and rows:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT max(id) FROM {table.name}))"))

    def _copy(self, *, into_live: bool) -> None:
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            live = raw.driver_connection
            (self.database.backup(live) if into_live else live.backup(self.database))
        finally:
            raw.close()

    def restore(self) -> World:
        """The world again, exactly as built."""
        shutil.rmtree(self.storage, ignore_errors=True)
        shutil.copytree(self.saved_storage, self.storage)
        limiter.reset()
        if self.database is None:
            self._insert_saved_rows()
            return self.world
        self._copy(into_live=True)
        return self.world
