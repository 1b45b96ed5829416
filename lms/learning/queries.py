"""Reads for the learner's pages: progress through courses, the dashboard, resume points."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lms.certificates.views import completion_certificate_url
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress


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

    course: Course
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

    def neighbours(self, lesson_id: int) -> tuple[LessonItem | None, LessonItem | None]:
        """The lessons before and after ``lesson_id`` in course order."""
        ids = [lesson.id for lesson in self.lessons]
        index = ids.index(lesson_id)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(ids) else None
        return previous, following


def active_lessons(course_ids: list[int]) -> dict[int, list[LessonItem]]:
    """Active lessons (without bodies) of each course, in course order."""
    rows = db.session.execute(
        select(Lesson.id, Lesson.course_id, Lesson.slug, Lesson.title, Lesson.minutes, Lesson.position)
        .where(Lesson.course_id.in_(course_ids), Lesson.retired.is_(False))
        .order_by(Lesson.course_id, Lesson.position)
    )
    lessons: dict[int, list[LessonItem]] = defaultdict(list)
    for row in rows:
        lessons[row.course_id].append(LessonItem(*row))
    return lessons


def read_lesson_ids(user, course_ids: list[int]) -> set[int]:
    """Ids of the lessons of these courses that ``user`` has read."""
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.user_id == user.id, Lesson.course_id.in_(course_ids))
        )
    )


def _by_course(model, user, course_ids: list[int]) -> dict:
    rows = db.session.scalars(select(model).where(model.user_id == user.id, model.course_id.in_(course_ids)))
    return {row.course_id: row for row in rows}


def progress_for(user, courses: list[Course]) -> dict[int, CourseProgress]:
    """Progress of ``user`` in each of ``courses``, keyed by course id (four queries in all)."""
    ids = [course.id for course in courses]
    lessons = active_lessons(ids)
    read_ids = read_lesson_ids(user, ids)
    enrollments = _by_course(Enrollment, user, ids)
    completions = _by_course(CourseCompletion, user, ids)
    return {
        course.id: CourseProgress(course, lessons[course.id], read_ids, enrollments.get(course.id), completions.get(course.id))
        for course in courses
    }


def course_progress(user, course: Course) -> CourseProgress:
    """Progress of ``user`` in one course."""
    return progress_for(user, [course])[course.id]


def published_courses() -> list[Course]:
    """The catalogue: every published course, by code."""
    return list(db.session.scalars(select(Course).where(Course.status == "published").order_by(Course.code)))


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


def dashboard(user) -> Dashboard:
    """What the learner's dashboard shows: required, in progress, completed, and the rest of the catalogue."""
    completed = list(
        db.session.scalars(
            select(CourseCompletion).where(CourseCompletion.user_id == user.id).order_by(CourseCompletion.completed_at.desc())
        )
    )
    done_ids = {completion.course_id for completion in completed}
    enrolled = db.session.scalars(
        select(Course)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user.id, Course.status == "published")
        .order_by(Enrollment.enrolled_at.desc())
    ).all()
    in_progress = [course for course in enrolled if course.id not in done_ids]
    progress = progress_for(user, in_progress) if in_progress else {}
    taken = done_ids | {course.id for course in enrolled}
    others = [course for course in published_courses() if course.id not in taken]
    return Dashboard(required_courses(user), [progress[course.id] for course in in_progress], completed, others)


def required_courses(user) -> list[RequiredTraining]:
    """Trainings required of ``user`` by training targets, with deadline and progress.

    The seam for the Targets issue: training targets do not exist yet, so nobody is
    required to take anything and this returns an empty list. The dashboard already
    shows its section whenever the list is not empty.
    """
    return []


def certificate_url(completion: CourseCompletion) -> str | None:
    """Where the learner downloads the certificate of ``completion`` (``None`` without a valid one)."""
    return completion_certificate_url(completion)
