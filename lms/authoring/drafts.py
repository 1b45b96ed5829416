"""The draft of a course: opened from the published course, edited as JSON, built into a spec.

A draft's ``content`` has the shape of :class:`lms.courses.spec.CourseSpec`, so publishing
is :func:`build_spec` followed by the course-folder import, the one code path that
writes courses (see :func:`lms.authoring.operations.publish`).

Two trainers may edit one draft at once. Each object an edit form writes (the settings, a
lesson, a question) has a version in ``content["versions"]``, raised by :func:`editing`
whenever the object changes, with when and by whom; a removed object keeps its entry and
its last content. An edit form carries the version it was loaded with, and
:func:`check_version` refuses a save made on an older one (optimistic concurrency): the
second of two saves never silently replaces the first. Writers lock the draft's row
(:func:`find_draft` with ``lock``) so that checks and saves happen in turn.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from lms.authoring.models import CourseDraft, DraftMedia
from lms.core.models import utcnow
from lms.courses.export import course_settings, parsed_question
from lms.courses.models import Course
from lms.courses.spec import CourseSpec, spec_from_content
from lms.extensions import db
from lms.quizzes.qtypes import ParsedQuestion

QUESTION_FIELDS = ("type", "name", "text", "format", "category", "general_feedback", "data")
SETTINGS = "settings"


def lesson_ref(slug: str) -> str:
    """How ``content["versions"]`` names a lesson."""
    return f"lesson:{slug}"


def question_ref(key: str) -> str:
    """How ``content["versions"]`` names a question."""
    return f"question:{key}"


@dataclass
class EditConflict(Exception):
    """The object was saved or removed by someone else since the form was loaded.

    ``at`` and ``by_id`` say when and by whom (``None`` when unknown); ``removed`` holds
    the object's last content when it was removed.
    """

    at: datetime | None = None
    by_id: int | None = None
    removed: dict | None = None


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
    The version of every object that changed is raised (see :func:`check_version`).
    """
    content = copy.deepcopy(draft.content)
    yield content
    _stamp_changes(draft.content, content)
    draft.content = content
    db.session.flush()


def _objects(content: dict) -> dict[str, dict]:
    """The objects edit forms write, by their name in ``content["versions"]``."""
    return {SETTINGS: content["settings"],
            **{lesson_ref(lesson["slug"]): lesson for lesson in content["lessons"]},
            **{question_ref(item["key"]): item for item in content["questions"]}}


def _stamp_changes(before: dict, after: dict) -> None:
    """Raise the version of each object that differs between ``before`` and ``after``.

    An object never stamped is at version 1; a new one starts at 1, or after the version
    its name had when it was removed, so that forms loaded before the removal stay stale.
    """
    old, new = _objects(before), _objects(after)
    versions = after.setdefault("versions", {})
    actor = current_user.id if has_request_context() and current_user.is_authenticated else None
    now = utcnow().isoformat()
    for ref in old.keys() | new.keys():
        if old.get(ref) != new.get(ref):
            version = versions[ref]["version"] if ref in versions else int(ref in old)
            versions[ref] = {"version": version + 1, "at": now, "by": actor,
                             "removed": old[ref] if ref not in new else None}


def removed_object(draft: CourseDraft, ref: str) -> dict | None:
    """The last content of an object removed from the draft, or ``None``."""
    return draft.content.get("versions", {}).get(ref, {}).get("removed")


def edit_version(draft: CourseDraft, ref: str) -> str:
    """The version an edit form of the object carries: ``<version>@<draft opened at>``.

    A draft opened again after publishing starts its versions again, so the time the
    draft was opened is part of what the form must match.
    """
    version = draft.content.get("versions", {}).get(ref, {}).get("version", 1)
    return f"{version}@{draft.created_at.astimezone(timezone.utc):%Y%m%d%H%M%S%f}"


def check_version(draft: CourseDraft, ref: str, loaded: str | None) -> None:
    """Refuse a save made on a form loaded from another version of the object.

    Call it with the draft's row locked (:func:`find_draft` with ``lock``), before writing.

    :param draft: the draft
    :param ref: the object (:data:`SETTINGS`, :func:`lesson_ref`, :func:`question_ref`)
    :param loaded: the version the form was loaded with (:func:`edit_version`)
    :raises EditConflict: when the object was saved or removed since
    """
    if loaded == edit_version(draft, ref):
        return
    stamp = draft.content.get("versions", {}).get(ref, {})
    raise EditConflict(at=datetime.fromisoformat(stamp["at"]) if "at" in stamp else None,
                       by_id=stamp.get("by"), removed=stamp.get("removed"))


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
