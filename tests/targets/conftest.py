"""Fixtures for targets and reports: courses of one lesson, a small province, a target on it."""

from __future__ import annotations

from datetime import date

import pytest

from lms.extensions import db


@pytest.fixture
def make_course(app_ctx):
    """Factory: ``make_course("IU01")``, a published course of one lesson and no quiz."""
    from lms.courses.models import Course, Lesson

    def make(code: str):
        course = Course(code=code, slug=code.lower(), title=f"Khóa {code}", status="published")
        course.lessons.append(Lesson(slug="bai-1", title="Bài 1", position=1))
        db.session.add(course)
        db.session.commit()
        return course

    return make


@pytest.fixture
def complete(app_ctx):
    """``complete(person, course)``: the person reads the course's lesson, which completes it."""
    from lms.learning.operations import mark_lesson_read

    def do(person, course):
        mark_lesson_read(person, course.lessons[0])
        db.session.commit()

    return do


@pytest.fixture
def start(app_ctx):
    """``start(person, course)``: the person opens the course's lesson (enrolled, not finished)."""
    from lms.learning.operations import record_visit

    def do(person, course):
        record_visit(person, course.lessons[0])
        db.session.commit()

    return do


@pytest.fixture
def tree(province, make_unit):
    """The province, a district-level department and two communes."""
    department = make_unit("SNV", "Sở Nội vụ", "department", province)
    commune_a = make_unit("14797", "Phường Hạc Thành", "commune", province)
    commune_b = make_unit("14758", "Phường Hàm Rồng", "commune", province)
    return province, department, commune_a, commune_b


@pytest.fixture
def make_target(app_ctx):
    """Factory: ``make_target(units, courses, **fields)`` through the operation, committed."""
    from lms.targets.operations import TargetData, create_target

    def make(units, courses, **fields):
        data = TargetData(
            name=fields.pop("name", "Bồi dưỡng kỹ năng CNTT 2026"), year=fields.pop("year", 2026),
            start_date=fields.pop("start_date", date(2026, 1, 1)), deadline=fields.pop("deadline", date(2026, 12, 31)),
            courses=list(courses), units=list(units), **fields,
        )
        target = create_target(data)
        db.session.commit()
        return target

    return make
