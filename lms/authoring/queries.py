"""Reads of the authoring pages: the trainer's courses, the bank with its filters, warnings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.auth.models import User
from lms.authoring.models import CourseDraft, CourseStaff
from lms.core.access import authored_courses_condition
from lms.core.text import search_key
from lms.courses.models import Course
from lms.courses.spec import missing_media
from lms.extensions import db


def authored_courses(user) -> list[tuple[Course, bool]]:
    """``(course, has a draft)`` for every course ``user`` may edit, by code."""
    stmt = (select(Course, CourseDraft.id).outerjoin(CourseDraft, CourseDraft.course_id == Course.id)
            .where(authored_courses_condition(user)).order_by(Course.code))
    return [(course, draft_id is not None) for course, draft_id in db.session.execute(stmt)]


def course_staff(course: Course) -> list[CourseStaff]:
    """The course's owners and editors, in Vietnamese name order."""
    stmt = (select(CourseStaff).join(User, CourseStaff.user_id == User.id)
            .where(CourseStaff.course_id == course.id).order_by(CourseStaff.role.desc(), User.sort_key))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class BankFilter:
    qtype: str = ""
    category: str | None = None
    text: str = ""

    def matches(self, item: dict) -> bool:
        if self.qtype and item["type"] != self.qtype:
            return False
        if self.category is not None and item["category"] != self.category:
            return False
        needle = search_key(self.text)
        return not needle or needle in search_key(f"{item['name']} {item['text']}")


def categories(questions: list[dict]) -> list[str]:
    """The bank's categories, in the order they first appear."""
    return list(dict.fromkeys(item["category"] for item in questions))


def bank_by_category(questions: list[dict], wanted: BankFilter) -> list[tuple[str, list[dict]]]:
    """The questions that pass the filter, grouped by category (bank order)."""
    groups: dict[str, list[dict]] = {}
    for item in questions:
        if wanted.matches(item):
            groups.setdefault(item["category"], []).append(item)
    return list(groups.items())


def missing_media_names(body: str, media_names: set[str]) -> list[str]:
    """The ``media/…`` files a lesson links to that the draft does not hold."""
    return sorted({name for _line, name in missing_media(body, media_names)})
