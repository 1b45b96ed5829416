"""The draft of a course: opened from the published course, edited as JSON, built into a spec.

A draft's ``content`` has the shape of :class:`lms.courses.spec.CourseSpec`, so publishing
is :func:`build_spec` followed by the course-folder import, the one code path that
writes courses (see :func:`lms.authoring.operations.publish`).
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from lms.authoring.models import CourseDraft, DraftMedia
from lms.courses.export import parsed_question
from lms.courses.models import Course
from lms.courses.spec import CourseSpec, spec_from_content
from lms.extensions import db
from lms.quizzes.qtypes import ParsedQuestion

QUESTION_FIELDS = ("type", "name", "text", "format", "category", "general_feedback", "data")


def new_key() -> str:
    """A short random key naming a draft question in URLs."""
    return secrets.token_hex(4)


def question_dict(question: ParsedQuestion, key: str | None = None) -> dict:
    """A question as the draft stores it: the fields of ``ParsedQuestion`` and a ``key``."""
    values = {name: copy.deepcopy(getattr(question, name)) for name in QUESTION_FIELDS}
    values["category"] = values["category"] or ""
    return {"key": key or new_key(), **values}


def parsed(item: dict) -> ParsedQuestion:
    """A draft question as the question-type layer knows it."""
    values = {name: copy.deepcopy(item[name]) for name in QUESTION_FIELDS}
    values["category"] = values["category"] or None
    return ParsedQuestion(**values)


def course_settings(course: Course) -> dict:
    """The ``course.yaml`` mapping of a course's published settings."""
    return {
        "code": course.code, "title": course.title, "summary": course.summary, "audience": course.audience,
        "study_hours": course.study_hours, "passing_score": course.passing_score,
        "quiz": copy.deepcopy(course.quiz), "certificate": copy.deepcopy(course.certificate),
    }


def find_draft(course: Course, *, lock: bool = False) -> CourseDraft | None:
    """The course's draft, if one is open.

    :param course: the course
    :param lock: lock the row (PostgreSQL) so that two editors' changes are applied in turn
    """
    stmt = select(CourseDraft).where(CourseDraft.course_id == course.id)
    return db.session.scalar(stmt.with_for_update() if lock else stmt)


def open_draft(course: Course) -> CourseDraft:
    """The course's draft, opened from its published content when there is none (flush only).

    :param course: the course to edit
    """
    draft = find_draft(course, lock=True)
    if draft is not None:
        return draft
    content = {
        "settings": course_settings(course),
        "lessons": [{"slug": lesson.slug, "title": lesson.title, "minutes": lesson.minutes, "body": lesson.body}
                    for lesson in course.active_lessons],
        "questions": [question_dict(parsed_question(question)) for question in course.active_questions],
    }
    draft = CourseDraft(course=course, content=content)
    for item in course.media:
        draft.media.append(DraftMedia(filename=item.filename, content_type=item.content_type,
                                      sha256=item.sha256, size=item.size, data=item.data))
    db.session.add(draft)
    db.session.flush()
    return draft


@contextmanager
def editing(draft: CourseDraft) -> Iterator[dict]:
    """Edit a copy of the draft's content; it replaces the stored content on success.

    JSON columns do not see changes made in place, so the whole content is reassigned.
    """
    content = copy.deepcopy(draft.content)
    yield content
    draft.content = content
    db.session.flush()


def draft_media(draft: CourseDraft) -> dict[str, tuple[str, bytes]]:
    """The draft's media files, as a spec holds them."""
    return {item.filename: (item.content_type, item.data) for item in draft.media}


def build_spec(draft: CourseDraft) -> tuple[CourseSpec | None, list[str]]:
    """The draft as a course spec, checked exactly as a course folder is.

    :param draft: the draft
    :returns: the spec and the problems (publishing needs none)
    """
    settings = {**draft.settings, "code": draft.course.code}
    questions = [parsed(item) for item in draft.questions]
    return spec_from_content(settings, draft.course.slug, draft.lessons, questions, draft_media(draft))
