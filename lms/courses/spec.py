"""Reading a course folder (``course.yaml``, ``lessons/``, ``questions.gift``, ``media/``).

Nothing here touches the database: :func:`read_course_folder` returns a
:class:`CourseSpec` and the list of every problem found, each as ``FILE:LINE: message``.
The format is documented in ``docs/course-format.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lms.core.text import nfc
from lms.core.uploads import sniff_content_type
from lms.courses.settings import QuizSettingsError, normalise_certificate, normalise_quiz
from lms.quizzes.qtypes import ParsedQuestion, QuestionFormatError
from lms.quizzes.gift import parse_gift

LESSON_NAME_RE = re.compile(r"^(\d{2,3})-([a-z0-9][a-z0-9-]*)\.md$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
MEDIA_REF_RE = re.compile(r"\]\(\s*<?media/([^)\s>]+)>?")
MAX_MEDIA_BYTES = 25 * 1024 * 1024


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
    def add(self, path: Path, line: int, message: str) -> None:
        self.append(f"{path}:{line}: {message}")


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
        _check_quiz(folder, spec, problems)
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
    for key in ("code", "title"):
        if not isinstance(data.get(key), (str, int)) or not str(data.get(key)).strip():
            problems.add(path, _line_of(text, key), f"'{key}' is required")
    if problems:
        return None
    return _course_spec(folder, path, text, data, problems)


def _course_spec(folder: Path, path: Path, text: str, data: dict, problems: _Problems) -> CourseSpec:
    code = str(data["code"]).strip()
    if not CODE_RE.match(code):
        problems.add(path, _line_of(text, "code"), "code may only hold letters, digits and '-'")
    spec = CourseSpec(code=code.upper(), slug=folder.name, title=nfc(str(data["title"])) or "")
    spec.summary = nfc(str(data.get("summary") or "")) or ""
    spec.audience = nfc(str(data.get("audience") or "")) or ""
    for key, kind, low, high in (("study_hours", float, 0, 1000), ("passing_score", int, 0, 100)):
        value = data.get(key, getattr(spec, key))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            problems.add(path, _line_of(text, key), f"'{key}' must be a number from {low} to {high}")
        else:
            setattr(spec, key, kind(value))
    try:
        spec.quiz = normalise_quiz(data.get("quiz") or {})
    except QuizSettingsError as error:
        problems.add(path, _line_of(text, error.key), str(error))
    spec.certificate = normalise_certificate(data.get("certificate") or {})
    return spec


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
    meta = _load_yaml(path, parts.group(1), problems, offset=1)
    if not isinstance(meta, dict) or not str(meta.get("title") or "").strip():
        problems.add(path, 2, "front matter needs a 'title'")
        return None
    minutes = meta.get("minutes", 10)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
        problems.add(path, 1 + _line_of(parts.group(1), "minutes"), "'minutes' must be a whole number from 1 to 600")
        return None
    body = parts.group(2)
    skipped = body[: len(body) - len(body.lstrip())].count("\n")
    body_line = parts.group(1).count("\n") + 4 + skipped
    title = nfc(str(meta["title"])).strip()
    return LessonSpec(match.group(2), int(match.group(1)), title, minutes, body.strip() + "\n", body_line)


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
    seen: dict[str, int] = {}
    for question in questions:
        if question.name in seen:
            problems.add(path, question.line, f"question name '{question.name}' already used on line {seen[question.name]}")
        seen.setdefault(question.name, question.line)
    return questions


def _check_media_references(folder: Path, spec: CourseSpec, problems: _Problems) -> None:
    for lesson in spec.lessons:
        path = folder / "lessons" / f"{lesson.position:02d}-{lesson.slug}.md"
        for line_number, line in enumerate(lesson.body.splitlines(), start=lesson.body_line):
            for name in MEDIA_REF_RE.findall(line):
                if name not in spec.media:
                    problems.add(path, line_number, f"missing media file media/{name}")


def _check_quiz(folder: Path, spec: CourseSpec, problems: _Problems) -> None:
    path = folder / "course.yaml"
    available: dict[str, int] = {}
    for question in spec.questions:
        if question.type != "description":
            available[question.category or ""] = available.get(question.category or "", 0) + 1
    for category, count in spec.quiz.get("draw", {}).items():
        if available.get(category, 0) < count:
            problems.add(path, 1, f"quiz draws {count} questions from category '{category}' which has {available.get(category, 0)}")
