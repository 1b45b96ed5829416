"""Writes of the authoring area: courses, their settings, lessons, media, publishing, staff.

Every function edits the course's draft (see :mod:`lms.authoring.drafts`), flushes, and
appends an audit event in the caller's transaction. The question bank's writes are in
:mod:`lms.authoring.bank`.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from lms.admin.operations import audit
from lms.auth.models import User
from lms.authoring.drafts import SETTINGS, build_spec, check_version, editing, find_draft, lesson_ref
from lms.authoring.models import CourseDraft, CourseStaff, DraftMedia
from lms.core.models import utcnow
from lms.core.text import search_key
from lms.core.uploads import sniff_content_type
from lms.courses.models import Course
from lms.courses.operations import ImportReport, import_course
from lms.courses.settings import normalise_certificate, normalise_quiz
from lms.courses.spec import CODE_RE, MAX_MEDIA_BYTES, settings_spec
from lms.extensions import db

MEDIA_EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
    "image/svg+xml": "svg", "application/pdf": "pdf", "video/mp4": "mp4",
}


class AuthoringError(ValueError):
    """A change that cannot be made; ``problems`` lists why."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def slugify(text: str, fallback: str = "bai") -> str:
    """Lower-case ASCII words joined by ``-`` (``"Máy tính là gì?"`` → ``may-tinh-la-gi``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-")[:60].strip("-")
    return slug or fallback


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def create_course(owner: User, code: str, title: str) -> Course:
    """A new course, invisible to learners, with an empty draft; ``owner`` owns it.

    :param owner: the trainer creating it
    :param code: the course code (letters, digits, ``-``), unique
    :param title: the course title
    :raises AuthoringError: for a bad or taken code
    """
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise AuthoringError("Mã khóa học chỉ gồm chữ cái, chữ số và dấu '-'.")
    if db.session.scalar(select(Course.id).where(Course.code == code)) is not None:
        raise AuthoringError("Mã khóa học này đã có.")
    course = Course(code=code, slug=f"{code.lower()}-{slugify(title, 'khoa-hoc')}", title=title.strip(),
                    status="draft", quiz=normalise_quiz({}), certificate=normalise_certificate({}))
    db.session.add(course)
    db.session.add(CourseStaff(course=course, user_id=owner.id, role="owner"))
    settings = {"code": code, "title": course.title, "summary": "", "audience": "", "study_hours": 0,
                "passing_score": 50, "quiz": course.quiz, "certificate": course.certificate}
    db.session.add(CourseDraft(course=course, content={"settings": settings, "lessons": [], "questions": []}))
    db.session.flush()
    audit("authoring.course_create", course, code=code)
    return course


def save_settings(draft: CourseDraft, settings: dict, *, version: str | None) -> None:
    """Replace the draft's settings (everything in ``course.yaml`` but the code).

    :param draft: the draft, its row locked
    :param settings: title, summary, audience, study_hours, passing_score, quiz, certificate
    :param version: the settings' version the form was loaded with
    :raises EditConflict: when someone else saved the settings since
    :raises AuthoringError: with the problems the course-folder checks find
    """
    check_version(draft, SETTINGS, version)
    problems: list[str] = []
    settings = {**settings, "code": draft.course.code}
    spec = settings_spec(settings, draft.course.slug, lambda key, message: problems.append(f"{key}: {message}"))
    if problems or spec is None:
        raise AuthoringError(problems)
    with editing(draft) as content:
        content["settings"] = {
            "code": spec.code, "title": spec.title, "summary": spec.summary, "audience": spec.audience,
            "study_hours": spec.study_hours, "passing_score": spec.passing_score,
            "quiz": spec.quiz, "certificate": spec.certificate,
        }
    audit("authoring.settings", draft.course)


def _lesson_index(content: dict, slug: str) -> int:
    for index, lesson in enumerate(content["lessons"]):
        if lesson["slug"] == slug:
            return index
    raise LookupError(slug)


def save_lesson(draft: CourseDraft, slug: str | None, title: str, minutes: int, body: str, *,
                version: str | None) -> str:
    """Add a lesson (``slug`` ``None``) or change one; returns its slug.

    The slug is made once from the title and never changes, so that publishing keeps
    learners' progress on the lesson.

    :param draft: the draft, its row locked
    :param slug: the lesson to change, or ``None`` for a new lesson at the end
    :param title: the lesson title
    :param minutes: the time to study it (1..600)
    :param body: the Markdown text
    :param version: the lesson's version the form was loaded with (ignored for a new lesson)
    :raises EditConflict: when someone else saved or removed the lesson since
    :raises LookupError: for an unknown slug
    """
    if slug is not None:
        check_version(draft, lesson_ref(slug), version)
    values = {"title": title.strip(), "minutes": minutes, "body": body.replace("\r\n", "\n")}
    with editing(draft) as content:
        if slug is None:
            slug = _unique(slugify(title), {lesson["slug"] for lesson in content["lessons"]})
            content["lessons"].append({"slug": slug, **values})
        else:
            content["lessons"][_lesson_index(content, slug)].update(values)
    audit("authoring.lesson_save", draft.course, lesson=slug)
    return slug


def move_lesson(draft: CourseDraft, slug: str, step: int) -> None:
    """Move a lesson up (``step`` -1) or down (+1); nothing happens at either end.

    :raises LookupError: for an unknown slug
    """
    with editing(draft) as content:
        lessons = content["lessons"]
        index = _lesson_index(content, slug)
        target = index + step
        if 0 <= target < len(lessons):
            lessons[index], lessons[target] = lessons[target], lessons[index]
    audit("authoring.lesson_move", draft.course, lesson=slug, step=step)


def remove_lesson(draft: CourseDraft, slug: str) -> None:
    """Take a lesson out of the draft (publishing retires it; learners' progress stays).

    :raises LookupError: for an unknown slug
    """
    with editing(draft) as content:
        del content["lessons"][_lesson_index(content, slug)]
    audit("authoring.lesson_remove", draft.course, lesson=slug)


def media_filename(filename: str, content_type: str) -> str:
    """A safe name for an uploaded file: ASCII words and the extension of its real type."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{slugify(stem, 'tep')}.{MEDIA_EXTENSIONS[content_type]}"


def add_media(draft: CourseDraft, filename: str, data: bytes) -> DraftMedia:
    """Store a media file in the draft (a file of the same name is replaced).

    :param draft: the draft
    :param filename: the name the browser sent; the stored name is made safe
    :param data: the file content, whose type is judged by its bytes
    :raises AuthoringError: for a file too large or of a type not accepted
    """
    if len(data) > MAX_MEDIA_BYTES:
        raise AuthoringError(f"Tệp lớn hơn {MAX_MEDIA_BYTES // (1024 * 1024)} MB.")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise AuthoringError("Chỉ nhận ảnh (PNG, JPEG, GIF, WebP, SVG), PDF hoặc MP4.")
    name = media_filename(filename, content_type)
    item = next((m for m in draft.media if m.filename == name), None)
    if item is None:
        item = DraftMedia(filename=name)
        draft.media.append(item)
    item.content_type, item.data, item.size = content_type, data, len(data)
    item.sha256 = hashlib.sha256(data).hexdigest()
    db.session.flush()
    audit("authoring.media_add", draft.course, filename=name, size=len(data))
    return item


def remove_media(draft: CourseDraft, filename: str) -> None:
    """Delete a media file from the draft.

    :raises LookupError: for an unknown file
    """
    item = next((m for m in draft.media if m.filename == filename), None)
    if item is None:
        raise LookupError(filename)
    draft.media.remove(item)
    db.session.flush()
    audit("authoring.media_remove", draft.course, filename=filename)


def publish(draft: CourseDraft) -> ImportReport:
    """Apply the draft to the course, as a course-folder import would, and close the draft.

    Lessons are matched by slug and questions by name: learners keep their progress and
    completions stay valid. The course becomes visible to learners.

    :param draft: the draft
    :raises AuthoringError: with the course-folder checks' problems; nothing is written
    """
    spec, problems = build_spec(draft)
    if problems or spec is None:
        raise AuthoringError(problems)
    course = draft.course
    report = import_course(spec)
    if course.status != "published":
        course.status, course.published_at = "published", course.published_at or utcnow()
    db.session.delete(draft)
    db.session.flush()
    audit("authoring.publish", course, changes=len(report.changes))
    return report


def unpublish(course: Course) -> None:
    """Hide the course from learners (they get 404); their completions stay."""
    course.status = "draft"
    db.session.flush()
    audit("authoring.unpublish", course)


def discard_draft(course: Course) -> None:
    """Throw the draft away; the published course is unchanged."""
    draft = find_draft(course, lock=True)
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()
        audit("authoring.draft_discard", course)


def assign_staff(course: Course, user: User, role: str) -> CourseStaff:
    """Let ``user`` edit the course as ``owner`` or ``editor`` (an existing role is changed)."""
    staff = db.session.scalar(select(CourseStaff).where(CourseStaff.course_id == course.id,
                                                        CourseStaff.user_id == user.id))
    if staff is None:
        staff = CourseStaff(course=course, user=user)
        db.session.add(staff)
    staff.role = role
    db.session.flush()
    audit("authoring.staff_assign", course, user_id=user.id, role=role)
    return staff


def remove_staff(course: Course, user: User) -> None:
    """Take ``user`` off the course's staff."""
    staff = db.session.scalar(select(CourseStaff).where(CourseStaff.course_id == course.id,
                                                        CourseStaff.user_id == user.id))
    if staff is not None:
        db.session.delete(staff)
        db.session.flush()
        audit("authoring.staff_remove", course, user_id=user.id)
