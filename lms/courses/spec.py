"""Reading and checking a course (``course.yaml``, ``lessons/``, ``questions.gift``, ``media/``).

Nothing here touches the database. :func:`read_course_folder` reads a folder and
:func:`spec_from_content` builds a course held in memory (the authoring draft); both
return a :class:`CourseSpec` and the list of every problem found, through the same
checks. Folder problems read ``FILE:LINE: message``; in-memory ones name the file the
export would write (``lessons/01-slug.md: message``). The format is documented in
``docs/course-format.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lms.core.text import nfc
from lms.core.uploads import sniff_content_type
from lms.courses.settings import QuizSettingsError, normalise_certificate, normalise_quiz
from lms.quizzes.gift import parse_gift
from lms.quizzes.qtypes import QUESTION_TYPES, ParsedQuestion, QuestionFormatError

LESSON_NAME_RE = re.compile(r"^(\d{2,3})-([a-z0-9][a-z0-9-]*)\.md$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
MEDIA_REF_RE = re.compile(r"\]\(\s*<?media/([^)\s>]+)>?")
MAX_MEDIA_BYTES = 25 * 1024 * 1024

#: ``report(key, message)``: a problem with the setting or front-matter key ``key``.
Report = Callable[[str, str], None]


@dataclass
class LessonSpec:
    slug: str
    position: int
    title: str
    minutes: int
    body: str
    body_line: int = 1  # the file line on which the body starts (for error messages)


@dataclass
class CourseSpec:
    code: str
    slug: str
    title: str
    summary: str = ""
    audience: str = ""
    study_hours: float = 0
    passing_score: int = 50
    quiz: dict = field(default_factory=dict)
    certificate: dict = field(default_factory=dict)
    lessons: list[LessonSpec] = field(default_factory=list)
    questions: list[ParsedQuestion] = field(default_factory=list)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class _Problems(list):
    def add(self, path: Path | str, line: int | None, message: str) -> None:
        self.append(f"{path}:{line}: {message}" if line is not None else f"{path}: {message}")


def lesson_file_name(position: int, slug: str) -> str:
    """The lesson's file name in the course folder (``01-mo-dau.md``)."""
    return f"{position:02d}-{slug}.md"


# -- checks shared by the folder reader and the in-memory spec ---------------------------------


def settings_spec(data: dict, slug: str, report: Report) -> CourseSpec | None:
    """The course's settings (the ``course.yaml`` mapping) as a spec without lessons.

    :param data: the settings mapping
    :param slug: the course folder's name
    :param report: called for each problem; ``None`` is returned when code or title is missing
    """
    missing = [key for key in ("code", "title")
               if not isinstance(data.get(key), (str, int)) or not str(data.get(key)).strip()]
    for key in missing:
        report(key, f"'{key}' is required")
    if missing:
        return None
    code = str(data["code"]).strip()
    if not CODE_RE.match(code):
        report("code", "code may only hold letters, digits and '-'")
    spec = CourseSpec(code=code.upper(), slug=slug, title=nfc(str(data["title"])) or "")
    spec.summary = nfc(str(data.get("summary") or "")) or ""
    spec.audience = nfc(str(data.get("audience") or "")) or ""
    for key, kind, low, high in (("study_hours", float, 0, 1000), ("passing_score", int, 0, 100)):
        value = data.get(key, getattr(spec, key))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            report(key, f"'{key}' must be a number from {low} to {high}")
        else:
            setattr(spec, key, kind(value))
    try:
        spec.quiz = normalise_quiz(data.get("quiz") or {})
    except QuizSettingsError as error:
        report(error.key, str(error))
    spec.certificate = normalise_certificate(data.get("certificate") or {})
    return spec


def lesson_meta(meta: dict, report: Report) -> tuple[str, int] | None:
    """A lesson's title and minutes from its front matter, or ``None`` after reporting.

    :param meta: the front matter (``title``, ``minutes``)
    :param report: called for each problem
    """
    if not str(meta.get("title") or "").strip():
        report("title", "front matter needs a 'title'")
        return None
    minutes = meta.get("minutes", 10)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
        report("minutes", "'minutes' must be a whole number from 1 to 600")
        return None
    return nfc(str(meta["title"])).strip(), minutes


def duplicate_names(questions: list[ParsedQuestion]) -> Iterator[tuple[ParsedQuestion, ParsedQuestion]]:
    """``(question, first)`` for each question whose name an earlier ``first`` already has."""
    seen: dict[str, ParsedQuestion] = {}
    for question in questions:
        if question.name in seen:
            yield question, seen[question.name]
        seen.setdefault(question.name, question)


def missing_media(body: str, media: dict) -> Iterator[tuple[int, str]]:
    """``(line index in body, file name)`` of each ``media/…`` link to a file not in ``media``."""
    for index, line in enumerate(body.splitlines()):
        for name in MEDIA_REF_RE.findall(line):
            if name not in media:
                yield index, name


def quiz_draw_problems(spec: CourseSpec) -> list[str]:
    """The quiz's draw asking more questions of a category than the bank holds."""
    available: dict[str, int] = {}
    for question in spec.questions:
        if question.type != "description":
            available[question.category or ""] = available.get(question.category or "", 0) + 1
    return [f"quiz draws {count} questions from category '{category}' which has {available.get(category, 0)}"
            for category, count in spec.quiz.get("draw", {}).items() if available.get(category, 0) < count]


# -- a course held in memory -------------------------------------------------------------------


def spec_from_content(settings: dict, slug: str, lessons: list[dict], questions: list[ParsedQuestion],
                      media: dict[str, tuple[str, bytes]]) -> tuple[CourseSpec | None, list[str]]:
    """Build and check a course held in memory, as the folder reader would read it.

    :param settings: the ``course.yaml`` mapping
    :param slug: the course folder's name
    :param lessons: ``{slug, title, minutes, body}`` in course order
    :param questions: the question bank
    :param media: file name → (content type, bytes)
    :returns: the spec (``None`` when code or title is missing) and the problems
    """
    problems = _Problems()
    spec = settings_spec(settings, slug, lambda key, message: problems.add("course.yaml", None, f"{key}: {message}"))
    if spec is None:
        return None, problems
    spec.lessons = [item for item in _memory_lessons(lessons, problems) if item]
    spec.questions, spec.media = list(questions), dict(media)
    _memory_questions(spec.questions, problems)
    for lesson in spec.lessons:
        for _index, name in missing_media(lesson.body, spec.media):
            problems.add(f"lessons/{lesson_file_name(lesson.position, lesson.slug)}", None, f"missing media file media/{name}")
    for message in quiz_draw_problems(spec):
        problems.add("course.yaml", None, message)
    return spec, problems


def _memory_lessons(lessons: list[dict], problems: _Problems) -> Iterator[LessonSpec | None]:
    if not lessons:
        problems.add("lessons/", None, "a course needs at least one lesson")
    slugs: set[str] = set()
    for position, item in enumerate(lessons, start=1):
        where = f"lessons/{lesson_file_name(position, item['slug'])}"
        if not SLUG_RE.match(item["slug"]) or item["slug"] in slugs:
            problems.add(where, None, "lesson slugs are unique lower-case ASCII words joined by '-'")
        slugs.add(item["slug"])
        meta = lesson_meta(item, lambda key, message, where=where: problems.add(where, None, message))
        yield LessonSpec(item["slug"], position, *meta, item["body"].strip() + "\n") if meta else None


def _memory_questions(questions: list[ParsedQuestion], problems: _Problems) -> None:
    for question, _first in duplicate_names(questions):
        problems.add("questions.gift", None, f"question name '{question.name}' is used twice")
    for question in questions:
        qtype = QUESTION_TYPES.get(question.type)
        for message in (qtype.validate(question.data) if qtype else [f"unknown question type {question.type}"]):
            problems.add("questions.gift", None, f"'{question.name}': {message}")


# -- the course folder -------------------------------------------------------------------------


def read_course_folder(folder: Path) -> tuple[CourseSpec | None, list[str]]:
    """Read and validate one course folder.

    :param folder: the folder holding ``course.yaml``
    :returns: the spec (``None`` when ``course.yaml`` itself is unusable) and the problems
    """
    problems = _Problems()
    spec = _read_course_yaml(folder, problems)
    if spec is None:
        return None, problems
    spec.lessons = _read_lessons(folder, problems)
    spec.media = _read_media(folder, problems)
    questions = _read_questions(folder, problems)
    _check_media_references(folder, spec, problems)
    if questions is not None:  # a bank that did not parse has already been reported
        spec.questions = questions
        for message in quiz_draw_problems(spec):
            problems.add(folder / "course.yaml", 1, message)
    return spec, problems


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _load_yaml(path: Path, text: str, problems: _Problems, offset: int = 0):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(path, (mark.line + 1 if mark else 1) + offset, f"invalid YAML: {getattr(error, 'problem', error)}")
        return None


def _read_course_yaml(folder: Path, problems: _Problems) -> CourseSpec | None:
    path = folder / "course.yaml"
    if not path.is_file():
        problems.add(path, 1, "course.yaml is missing")
        return None
    text = nfc(path.read_text(encoding="utf-8-sig")) or ""
    data = _load_yaml(path, text, problems)
    if not isinstance(data, dict):
        if data is not None or not problems:
            problems.add(path, 1, "course.yaml must be a mapping of settings")
        return None
    return settings_spec(data, folder.name, lambda key, message: problems.add(path, _line_of(text, key), message))


def _read_lessons(folder: Path, problems: _Problems) -> list[LessonSpec]:
    lesson_dir = folder / "lessons"
    if not lesson_dir.is_dir():
        problems.add(lesson_dir, 1, "lessons/ folder is missing")
        return []
    lessons = []
    for path in sorted(lesson_dir.iterdir()):
        match = LESSON_NAME_RE.match(path.name)
        if not match:
            problems.add(path, 1, "lesson files are named NN-slug.md (lower-case ASCII slug)")
            continue
        lesson = _read_lesson(path, match, problems)
        if lesson:
            lessons.append(lesson)
    if not lessons and not problems:
        problems.add(lesson_dir, 1, "a course needs at least one lesson")
    return lessons


def _read_lesson(path: Path, match: re.Match, problems: _Problems) -> LessonSpec | None:
    text = nfc(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")) or ""
    parts = re.match(r"^---\n(.*?)\n---\n?(.*)$", text, re.DOTALL)
    if not parts:
        problems.add(path, 1, "a lesson starts with YAML front matter between '---' lines")
        return None
    front = parts.group(1)
    meta = _load_yaml(path, front, problems, offset=1)
    if not isinstance(meta, dict):
        problems.add(path, 2, "front matter needs a 'title'")
        return None
    checked = lesson_meta(meta, lambda key, message: problems.add(path, 2 if key == "title" else 1 + _line_of(front, key), message))
    if checked is None:
        return None
    body = parts.group(2)
    skipped = body[: len(body) - len(body.lstrip())].count("\n")
    body_line = front.count("\n") + 4 + skipped
    return LessonSpec(match.group(2), int(match.group(1)), *checked, body.strip() + "\n", body_line)


def _read_media(folder: Path, problems: _Problems) -> dict[str, tuple[str, bytes]]:
    media_dir, media = folder / "media", {}
    if not media_dir.is_dir():
        return media
    for path in sorted(p for p in media_dir.iterdir() if p.is_file()):
        data = path.read_bytes()
        content_type = sniff_content_type(data)
        if content_type is None:
            problems.add(path, 1, "not an accepted media file (PNG, JPEG, GIF, WebP, SVG, PDF or MP4)")
        elif len(data) > MAX_MEDIA_BYTES:
            problems.add(path, 1, f"media file larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        else:
            media[nfc(path.name)] = (content_type, data)
    return media


def _read_questions(folder: Path, problems: _Problems) -> list[ParsedQuestion] | None:
    path = folder / "questions.gift"
    if not path.is_file():
        return []
    try:
        questions = parse_gift(path.read_text(encoding="utf-8-sig"), source=str(path))
    except QuestionFormatError as error:
        problems.add(path, error.line, error.message)
        return None
    for question, first in duplicate_names(questions):
        problems.add(path, question.line, f"question name '{question.name}' already used on line {first.line}")
    return questions


def _check_media_references(folder: Path, spec: CourseSpec, problems: _Problems) -> None:
    for lesson in spec.lessons:
        path = folder / "lessons" / lesson_file_name(lesson.position, lesson.slug)
        for index, name in missing_media(lesson.body, spec.media):
            problems.add(path, lesson.body_line + index, f"missing media file media/{name}")
