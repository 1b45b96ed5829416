"""An invented province for benchmarks: N staff in about 600 units, 10 courses, realistic progress.

People, enrolments and completions are made in one pass as plain tuples and go to the driver's
``executemany`` in batches (:func:`lms.org.bulk.insert_rows`), the postings with one
``INSERT … SELECT``: memory stays flat whatever N, and a million staff take about a minute and a
half on SQLite. Then one training target over the whole province is created through the normal
operation (its rollups are built by the same rebuild as ``flask lms targets rebuild``).
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, literal, select, update

from lms.auth.models import User, new_session_token
from lms.core.models import utcnow
from lms.core.text import name_sort_string, search_key
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.org.bulk import bulk_write_cache, insert_name_words, insert_rows
from lms.org.models import OrgUnit, Posting
from lms.targets.operations import TargetData, create_target

DISTRICTS, COMMUNES_PER_DISTRICT, DEPARTMENTS = 26, 21, 27
COURSES = 10
START = date(2026, 1, 5)
CHUNK = 20_000
NAMES = (["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Đỗ", "Vũ", "Trịnh", "Mai"], ["Văn", "Thị", "Đức", "Ngọc", "Minh"],
         ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thảo", "Trang", "Yến"])


def build_bench_data(staff: int, seed: int = 7, today: date | None = None) -> dict[str, int]:
    """Create the province, its staff, courses, enrolments, completions and one target (flush only).

    :param staff: how many people
    :param seed: random seed (the same data on every machine)
    :param today: the last day completions may fall on
    """
    rng = random.Random(seed)
    today = today or date.today()
    units = _units()
    courses = _courses()
    with bulk_write_cache():
        _people(staff, units, rng)
        completions = _progress(courses, rng, today)
    target = create_target(TargetData(
        name="Bồi dưỡng kỹ năng CNTT năm 2026 (dữ liệu đo hiệu năng)", year=2026, start_date=START,
        deadline=date(2026, 12, 31), courses=courses[:6], units=[db.session.get(OrgUnit, units[0][0])],
    ))
    return {"units": len(units), "staff": staff, "courses": len(courses), "completions": completions, "target": target.id}


def _units() -> list[tuple[int, str, str]]:
    """The tree: a province, departments, districts and their communes; returns (id, path, level)."""
    province = OrgUnit(code="B38", name="Tỉnh Đo Hiệu Năng", name_key="tinh do hieu nang", kind="province",
                       level="province", path="", depth=0)
    db.session.add(province)
    db.session.flush()
    province.path = f"/{province.id}/"
    units = [(province.id, province.path, "province")]
    for index in range(DEPARTMENTS):
        units.append(_child(province.id, province.path, f"BS{index:02d}", f"Sở số {index + 1}", "department", "province"))
    for index in range(DISTRICTS):
        district = _child(province.id, province.path, f"BH{index:02d}", f"Huyện số {index + 1}", "district", "district")
        units.append(district)
        for commune in range(COMMUNES_PER_DISTRICT):
            units.append(_child(district[0], district[1], f"BX{index:02d}{commune:02d}",
                                f"Xã {commune + 1} huyện {index + 1}", "commune", "commune"))
    return units


def _child(parent_id: int, parent_path: str, code: str, name: str, kind: str, level: str) -> tuple[int, str, str]:
    result = db.session.execute(insert(OrgUnit).values(
        code=code, name=name, name_key=search_key(name), kind=kind, level=level, parent_id=parent_id,
        depth=parent_path.count("/") - 1, path="",
    ))
    unit_id = result.inserted_primary_key[0]
    path = f"{parent_path}{unit_id}/"
    db.session.execute(update(OrgUnit).where(OrgUnit.id == unit_id).values(path=path))
    return unit_id, path, level


def _people(staff: int, units: list[tuple[int, str, str]], rng: random.Random) -> None:
    """Insert ``staff`` people in random units, then everyone's first posting in one statement."""
    categories = ["cong_chuc"] * 5 + ["vien_chuc"] * 3 + ["can_bo", "hop_dong"]
    names = {parts: _name_columns(*parts) for parts in itertools.product(*NAMES)}  # 540 names, keyed once
    now = utcnow()

    def rows():
        for number in range(staff):
            name = names[tuple(rng.choice(part) for part in NAMES)]
            yield (f"B{number:07d}", *name, rng.choice(categories), rng.choice(units)[0], f"b{number:07d}@bench.invalid",
                   new_session_token())

    columns = ["staff_code", "ho", "ten_dem", "ten", "full_name", "name_key", "sort_key", "category", "unit_id", "email",
               "session_token"]
    constants = {"position": "Chuyên viên", "active": True, "must_change_password": False, "failed_logins": 0,
                 "created_at": now, "updated_at": now}
    insert_rows(User.__table__, columns, rows(), constants, batch=CHUNK)
    insert_name_words(db.session.execute(select(User.id, User.name_key).where(User.staff_code.like("B%"))).all())
    values = {"start_date": date(2020, 1, 1), "reason": "initial", "created_at": now, "updated_at": now}
    db.session.execute(insert(Posting).from_select(
        ["user_id", "unit_id", *values],
        select(User.id, User.unit_id, *(literal(value, Posting.__table__.c[name].type) for name, value in values.items()))
        .where(User.staff_code.like("B%")),
    ))


def _name_columns(ho: str, dem: str, ten: str) -> tuple[str, ...]:
    full = f"{ho} {dem} {ten}"
    return ho, dem, ten, full, search_key(full), name_sort_string(ho, dem, ten)


def _courses() -> list[Course]:
    courses = []
    for number in range(1, COURSES + 1):
        course = Course(code=f"BIU{number:02d}", slug=f"bench-iu{number:02d}", title=f"Khóa đo hiệu năng {number}")
        course.lessons.append(Lesson(slug="bai-1", title="Bài 1", position=1))
        db.session.add(course)
        courses.append(course)
    db.session.flush()
    return courses


def _progress(courses: list[Course], rng: random.Random, today: date) -> int:
    """About 45 % finished all six required courses, 25 % part-way, the rest not started."""
    span = max(1, (today - START).days)
    moments = [datetime.combine(START + timedelta(days=day), time(9), tzinfo=timezone.utc) for day in range(span + 1)]
    started_today = datetime.combine(today, time(9), tzinfo=timezone.utc)
    completions = 0
    user_ids = list(db.session.scalars(select(User.id).where(User.staff_code.like("B%")).order_by(User.id)))
    for first in range(0, len(user_ids), CHUNK):
        enrolments, done = [], []
        for user_id in user_ids[first:first + CHUNK]:
            roll = rng.random()
            taken = 6 if roll < 0.45 else rng.randint(0, 5) if roll < 0.70 else 0
            for course in courses[:taken]:
                moment = moments[int(span * rng.random() ** 0.7)]
                enrolments.append((user_id, course.id, moment))
                done.append((user_id, course.id, moment))
            if 0.45 <= roll < 0.70:
                enrolments.append((user_id, courses[taken].id, started_today))
        insert_rows(Enrollment.__table__, ["user_id", "course_id", "enrolled_at"], enrolments, batch=CHUNK)
        insert_rows(CourseCompletion.__table__, ["user_id", "course_id", "completed_at"], done, batch=CHUNK)
        completions += len(done)
    return completions
