"""Writing a course back to the course-folder format (the inverse of the import)."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import yaml

from lms.courses.models import Course, Question
from lms.courses.spec import lesson_file_name
from lms.quizzes.gift import dump_gift
from lms.quizzes.qtypes import ParsedQuestion


def parsed_question(question: Question) -> ParsedQuestion:
    """The stored question as the question-type layer knows it."""
    return ParsedQuestion(
        type=question.qtype,
        name=question.name,
        text=question.text,
        format=question.text_format,
        category=question.category or None,
        general_feedback=question.general_feedback,
        data=question.data,
    )


def course_settings(course: Course) -> dict:
    """The ``course.yaml`` mapping of a course's settings (a copy: editing it changes nothing)."""
    return {
        "code": course.code, "title": course.title, "summary": course.summary, "audience": course.audience,
        "study_hours": course.study_hours, "passing_score": course.passing_score,
        "quiz": copy.deepcopy(course.quiz), "certificate": copy.deepcopy(course.certificate),
    }


def course_yaml(course: Course) -> str:
    """``course.yaml`` for ``course``."""
    settings = course_settings(course)
    return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=100)


def lesson_markdown(title: str, minutes: int, body: str) -> str:
    """A lesson file: YAML front matter, then the Markdown body."""
    meta = yaml.safe_dump({"title": title, "minutes": minutes}, allow_unicode=True, sort_keys=False)
    return f"---\n{meta}---\n\n{body}"


def course_files(course: Course, *, bank_only: bool = False) -> Iterator[tuple[str, bytes]]:
    """``(relative path, content)`` of every file of the course folder.

    :param course: the course to export
    :param bank_only: only ``course.yaml`` and ``questions.gift``
    """
    yield "course.yaml", course_yaml(course).encode()
    questions = [parsed_question(q) for q in course.active_questions]
    if questions:
        yield "questions.gift", dump_gift(questions).encode()
    if bank_only:
        return
    for number, lesson in enumerate(course.active_lessons, start=1):
        yield f"lessons/{lesson_file_name(number, lesson.slug)}", lesson_markdown(lesson.title, lesson.minutes, lesson.body).encode()
    for item in course.media:
        yield f"media/{item.filename}", item.data


def export_course_folder(course: Course, folder: Path) -> int:
    """Write the course folder into ``folder`` (created); returns the number of files.

    :param course: the course to export
    :param folder: the course folder to write (must be empty or absent)
    """
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    count = 0
    for relative, content in course_files(course):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        count += 1
    return count


def course_zip(course: Course, *, bank_only: bool = False) -> bytes:
    """The course folder as a ZIP, under a top folder named after the course slug."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, content in course_files(course, bank_only=bank_only):
            archive.writestr(f"{course.slug}/{relative}", content)
    return buffer.getvalue()
