"""Reads for the learner's pages: progress through courses, the dashboard, resume points."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import load_only

from lms.certificates.models import Certificate
from lms.certificates.queries import programme_certificates, valid_course_certificate_ids
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress
from lms.targets.queries import required_for


@dataclass(frozen=True)
class LessonItem:
    """What lists and navigation need of a lesson (never its body)."""

    id: int
    course_id: int
    slug: str
    title: str
    minutes: int
    position: int


@dataclass
class CourseProgress:
    """One learner's progress through one course's active lessons."""

    course: Course | CourseRef
    lessons: list[LessonItem] = field(default_factory=list)
    read_ids: set[int] = field(default_factory=set)
    enrollment: Enrollment | None = None
    completion: CourseCompletion | None = None

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.id in self.read_ids)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> float:
        return 100 * self.done / self.total if self.total else 100.0

    @property
    def all_read(self) -> bool:
        return self.done == self.total

    @property
    def minutes_left(self) -> int:
        """Estimated reading time of the lessons not read yet."""
        return sum(lesson.minutes for lesson in self.lessons if lesson.id not in self.read_ids)

    def is_read(self, lesson) -> bool:
        return lesson.id in self.read_ids

    def resume_lesson(self) -> LessonItem | None:
        """Where "continue" goes: the last lesson worked on if still unread, else the first unread one."""
        last_id = self.enrollment.last_lesson_id if self.enrollment else None
        unread = [lesson for lesson in self.lessons if lesson.id not in self.read_ids]
        for lesson in unread:
            if lesson.id == last_id:
                return lesson
        return unread[0] if unread else None

    def number(self, lesson_id: int) -> int:
        """The place of ``lesson_id`` in course order, from 1."""
        return [lesson.id for lesson in self.lessons].index(lesson_id) + 1

    def neighbours(self, lesson_id: int) -> tuple[LessonItem | None, LessonItem | None]:
        """The lessons before and after ``lesson_id`` in course order."""
        index = self.number(lesson_id) - 1
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


_LESSON_COLUMNS = (Lesson.id, Lesson.course_id, Lesson.slug, Lesson.title, Lesson.minutes, Lesson.position)


def _read_by_user():
    return (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == bindparam("user_id"))


# Statements built once: building one costs about as much as running it.
_LESSONS_AND_READS = (
    select(*_LESSON_COLUMNS, LessonProgress.id)
    .outerjoin(LessonProgress, _read_by_user())
    .where(Lesson.course_id.in_(bindparam("course_ids", expanding=True)), Lesson.retired.is_(False))
    .order_by(Lesson.course_id, Lesson.position)
)


def lessons_and_reads(user, course_ids: list[int]) -> tuple[dict[int, list[LessonItem]], set[int]]:
    """Active lessons (without bodies) of each course in course order, and the ids of those ``user`` read."""
    rows = db.session.execute(_LESSONS_AND_READS, {"user_id": user.id, "course_ids": course_ids})
    lessons: dict[int, list[LessonItem]] = defaultdict(list)
    read_ids = set()
    for *columns, progress_id in rows:
        item = LessonItem(*columns)
        lessons[item.course_id].append(item)
        if progress_id is not None:
            read_ids.add(item.id)
    return lessons, read_ids


@dataclass(frozen=True)
class CourseRef:
    """What the lesson player needs of its course (and :func:`lms.core.access.can_view_course`)."""

    id: int
    code: str
    title: str
    status: str


@dataclass(frozen=True)
class LessonPage:
    """What the lesson player shows: the course, the lesson, its Markdown, the learner's progress."""

    course: CourseRef
    lesson: LessonItem
    body: str
    progress: CourseProgress


# The course, its active lessons with what the user read, and the body of the lesson ``slug``
# alone (the other rows match no slug and carry none).
_LESSON_PAGE = (
    select(Course.id, Course.code, Course.title, Course.status, *_LESSON_COLUMNS, LessonProgress.id,
           case((Lesson.slug == bindparam("slug"), Lesson.body)))
    .outerjoin(Lesson, (Lesson.course_id == Course.id) & Lesson.retired.is_(False))
    .outerjoin(LessonProgress, _read_by_user())
    .where(Course.code == bindparam("code"))
    .order_by(Lesson.position)
)


def lesson_page(user, code: str, slug: str) -> LessonPage | None:
    """The active lesson ``slug`` of the course ``code`` with ``user``'s progress, in one read (the
    player runs it on every page); ``None`` when there is no such course or active lesson. The
    caller checks that ``user`` may see the course.

    Plain columns read on the session's connection: no ORM entity, so none of the ORM's
    per-statement work (most of the cost of a statement this small).
    """
    rows = db.session.connection().execute(_LESSON_PAGE, {"code": code, "slug": slug, "user_id": user.id}).all()
    if not rows:
        return None
    course = CourseRef(*rows[0][:4])
    progress = CourseProgress(course, [], set())
    lesson, body = None, ""
    for *columns, progress_id, lesson_body in (row[4:] for row in rows):
        if columns[0] is None:  # a course without active lessons: one row, no lesson
            break
        item = LessonItem(*columns)
        progress.lessons.append(item)
        if progress_id is not None:
            progress.read_ids.add(item.id)
        if lesson_body is not None:
            lesson, body = item, lesson_body
    return LessonPage(course, lesson, body, progress) if lesson else None


_BY_COURSE = {
    model: select(model).where(model.user_id == bindparam("user_id"), model.course_id.in_(bindparam("course_ids", expanding=True)))
    for model in (Enrollment, CourseCompletion)
}


def _by_course(model, user, course_ids: list[int]) -> dict:
    rows = db.session.scalars(_BY_COURSE[model], {"user_id": user.id, "course_ids": course_ids})
    return {row.course_id: row for row in rows}


def progress_for(user, courses: list[Course]) -> dict[int, CourseProgress]:
    """Progress of ``user`` in each of ``courses`` (with their enrolments and completions), keyed by course id."""
    ids = [course.id for course in courses]
    return _progress(user, courses, _by_course(Enrollment, user, ids), _by_course(CourseCompletion, user, ids))


def _progress(user, courses: list, enrollments: dict, completions: dict) -> dict[int, CourseProgress]:
    if not courses:
        return {}
    lessons, read_ids = lessons_and_reads(user, [course.id for course in courses])
    return {
        course.id: CourseProgress(course, lessons[course.id], read_ids, enrollments.get(course.id), completions.get(course.id))
        for course in courses
    }


def course_progress(user, course: Course) -> CourseProgress:
    """Progress of ``user`` in one course (see :func:`progress_for`)."""
    return progress_for(user, [course])[course.id]


# What course cards show: the settings (JSON) and timestamps, half the cost of loading a course,
# are left unloaded (and would load on first use).
_PUBLISHED_COURSES = (
    select(Course)
    .options(load_only(Course.code, Course.title, Course.summary, Course.study_hours, Course.status))
    .where(Course.status == "published")
    .order_by(Course.code)
)


def published_courses() -> list[Course]:
    """The catalogue: every published course, by code."""
    return list(db.session.scalars(_PUBLISHED_COURSES))


# The dashboard's own reads, built once (it runs them on every visit).
_COMPLETED = (
    select(CourseCompletion).where(CourseCompletion.user_id == bindparam("user_id"))
    .order_by(CourseCompletion.completed_at.desc())
)
_ENROLLED = (
    select(Course, Enrollment)
    .options(load_only(Course.code, Course.title, Course.status))
    .join(Enrollment, Enrollment.course_id == Course.id)
    .where(Enrollment.user_id == bindparam("user_id"), Course.status == "published")
    .order_by(Enrollment.enrolled_at.desc())
)


@dataclass(frozen=True)
class RequiredTraining:
    """A course that a training target requires of the learner, by ``deadline``."""

    course: Course
    deadline: date | None
    progress: CourseProgress


@dataclass
class Dashboard:
    required: list[RequiredTraining]
    in_progress: list[CourseProgress]
    completed: list[CourseCompletion]
    others: list[Course]
    programmes: list[Certificate]
    certificate_ids: dict[int, int]  # the valid certificate of each completed course that has one


def dashboard(user) -> Dashboard:
    """What the learner's dashboard shows: required, in progress, completed (with their valid
    certificates and the valid programme certificates), and the rest of the catalogue.

    A required course shows in the first section only (with its progress), not again
    among the courses in progress or the catalogue. At most seven queries, whatever the
    number of courses: the progress of every listed course is read at once.
    """
    required = [(course, deadline) for course, deadline in required_for(user) if course.status == "published"]
    completed = list(db.session.scalars(_COMPLETED, {"user_id": user.id}))
    enrolled = db.session.execute(_ENROLLED, {"user_id": user.id}).all()
    completions = {completion.course_id: completion for completion in completed}
    enrollments = {enrollment.course_id: enrollment for _course, enrollment in enrolled}
    shown = {course.id for course, _deadline in required} | completions.keys()
    in_progress = [course for course, _enrollment in enrolled if course.id not in shown]
    progress = _progress(user, [course for course, _deadline in required] + in_progress, enrollments, completions)
    shown |= enrollments.keys()
    return Dashboard(
        [RequiredTraining(course, deadline, progress[course.id]) for course, deadline in required],
        [progress[course.id] for course in in_progress],
        completed,
        [course for course in published_courses() if course.id not in shown],
        programme_certificates(user.id),
        valid_course_certificate_ids(user.id, list(completions)),
    )
