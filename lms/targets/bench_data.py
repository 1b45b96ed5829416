"""An invented province for benchmarks: N staff in about 600 units, 10 courses, realistic progress.

Rows go in with bulk Core inserts (no ORM objects), so a million staff take a minute or two,
then one training target over the whole province is created through the normal operation.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, select, update

from lms.auth.models import User
from lms.core.text import name_sort_string, search_key
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
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
    categories = ["cong_chuc"] * 5 + ["vien_chuc"] * 3 + ["can_bo", "hop_dong"]
    for first in range(0, staff, CHUNK):
        rows = []
        for number in range(first, min(staff, first + CHUNK)):
            ho, dem, ten = (rng.choice(part) for part in NAMES)
            full = f"{ho} {dem} {ten}"
            rows.append({"staff_code": f"B{number:07d}", "ho": ho, "ten_dem": dem, "ten": ten, "full_name": full,
                         "name_key": search_key(full), "sort_key": name_sort_string(ho, dem, ten),
                         "category": rng.choice(categories), "position": "Chuyên viên",
                         "unit_id": rng.choice(units)[0], "email": f"b{number:07d}@bench.invalid"})
        db.session.execute(insert(User), rows)
    postings = select(User.id, User.unit_id).where(User.staff_code.like("B%"))
    rows = [{"user_id": uid, "unit_id": unit_id, "start_date": date(2020, 1, 1), "reason": "initial"}
            for uid, unit_id in db.session.execute(postings)]
    for first in range(0, len(rows), CHUNK):
        db.session.execute(insert(Posting), rows[first:first + CHUNK])


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
    enrolments, completions = [], []
    for user_id in db.session.scalars(select(User.id).where(User.staff_code.like("B%"))):
        roll = rng.random()
        taken = 6 if roll < 0.45 else rng.randint(0, 5) if roll < 0.70 else 0
        for course in courses[:taken]:
            day = START + timedelta(days=int(span * rng.random() ** 0.7))
            moment = datetime.combine(day, time(9), tzinfo=timezone.utc)
            enrolments.append({"user_id": user_id, "course_id": course.id, "enrolled_at": moment})
            completions.append({"user_id": user_id, "course_id": course.id, "completed_at": moment})
        if 0.45 <= roll < 0.70:
            enrolments.append({"user_id": user_id, "course_id": courses[taken].id,
                               "enrolled_at": datetime.combine(today, time(9), tzinfo=timezone.utc)})
    for first in range(0, len(enrolments), CHUNK):
        db.session.execute(insert(Enrollment), enrolments[first:first + CHUNK])
    for first in range(0, len(completions), CHUNK):
        db.session.execute(insert(CourseCompletion), completions[first:first + CHUNK])
    return len(completions)
