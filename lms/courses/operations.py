"""Writes on courses: applying a course-folder spec to the database (import)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from lms.core.models import utcnow
from lms.courses.models import Course, CourseMedia, Lesson, Question
from lms.courses.spec import CourseSpec, LessonSpec
from lms.extensions import db
from lms.quizzes.qtypes import ParsedQuestion

# The slug (the folder name) is set once: exporting to another folder name changes nothing.
_COURSE_FIELDS = ("title", "summary", "audience", "study_hours", "passing_score", "quiz", "certificate")


@dataclass
class ImportReport:
    code: str
    created: bool = False
    changes: list[str] = field(default_factory=list)


def import_course(spec: CourseSpec) -> ImportReport:
    """Create or update the course described by ``spec`` (flush only).

    Lessons are matched by slug and questions by name, so learners' progress and past
    attempts keep pointing at the same rows; what the folder no longer holds is retired.

    :param spec: a spec without problems, from :func:`lms.courses.spec.read_course_folder`
    """
    report = ImportReport(spec.code)
    course = db.session.scalar(select(Course).where(Course.code == spec.code))
    if course is None:
        course = Course(code=spec.code, slug=spec.slug, status="published", published_at=utcnow())
        db.session.add(course)
        report.created = True
    for name in _COURSE_FIELDS:
        if getattr(course, name) != getattr(spec, name):
            setattr(course, name, getattr(spec, name))
            report.changes.append(f"course.{name}")
    _sync_lessons(course, spec.lessons, report)
    _sync_questions(course, spec.questions, report)
    _sync_media(course, spec.media, report)
    db.session.flush()
    return report


def _sync_lessons(course: Course, lessons: list[LessonSpec], report: ImportReport) -> None:
    existing = {lesson.slug: lesson for lesson in course.lessons}
    for index, item in enumerate(lessons, start=1):
        lesson = existing.pop(item.slug, None)
        if lesson is None:
            lesson = Lesson(slug=item.slug)
            course.lessons.append(lesson)
        values = {"position": index, "title": item.title, "minutes": item.minutes, "body": item.body, "retired": False}
        if _assign(lesson, values):
            report.changes.append(f"lesson {item.slug}")
    for lesson in existing.values():
        if not lesson.retired:
            lesson.retired = True
            report.changes.append(f"lesson {lesson.slug} retired")


def question_values(question: ParsedQuestion) -> dict:
    """The :class:`Question` columns holding a parsed question's content."""
    return {
        "category": question.category or "",
        "qtype": question.type,
        "text": question.text,
        "text_format": question.format,
        "general_feedback": question.general_feedback,
        "data": question.data,
    }


def _sync_questions(course: Course, questions: list[ParsedQuestion], report: ImportReport) -> None:
    existing = {question.name: question for question in course.questions}
    for index, item in enumerate(questions, start=1):
        row = existing.pop(item.name, None)
        if row is None:
            row = Question(name=item.name, version=0)
            course.questions.append(row)
        content_changed = _assign(row, question_values(item))
        if content_changed:
            row.version = (row.version or 0) + 1
        if _assign(row, {"position": index, "retired": False}) or content_changed:
            report.changes.append(f"question {item.name}")
    for row in existing.values():
        if not row.retired:
            row.retired = True
            report.changes.append(f"question {row.name} retired")


def _sync_media(course: Course, media: dict[str, tuple[str, bytes]], report: ImportReport) -> None:
    existing = {item.filename: item for item in course.media}
    for filename, (content_type, data) in media.items():
        digest = hashlib.sha256(data).hexdigest()
        item = existing.pop(filename, None)
        if item is None:
            item = CourseMedia(filename=filename)
            course.media.append(item)
        if _assign(item, {"content_type": content_type, "sha256": digest, "size": len(data)}):
            item.data = data
            report.changes.append(f"media {filename}")
    for item in existing.values():
        course.media.remove(item)
        report.changes.append(f"media {item.filename} removed")


def _assign(row, values: dict) -> bool:
    """Set the attributes that differ; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed
