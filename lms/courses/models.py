"""Courses, their lessons, media and question bank."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.models import TimestampMixin, UTCDateTime
from lms.extensions import db

COURSE_STATUSES = ("draft", "published", "archived")
GRADING_METHODS = ("highest", "average", "first", "last")


class Course(TimestampMixin, db.Model):
    """A course: settings from ``course.yaml``, lessons, media and a question bank.

    ``quiz`` holds the final quiz's settings (title, time_limit_minutes, attempts_allowed,
    grading, shuffle_questions, shuffle_answers, draw {category: count}); ``certificate``
    the certificate settings. Both are validated by :mod:`lms.courses.spec`.
    """

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(f"status IN {COURSE_STATUSES}", name="status"),
        CheckConstraint("passing_score BETWEEN 0 AND 100", name="passing_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    study_hours: Mapped[float] = mapped_column(default=0)
    passing_score: Mapped[int] = mapped_column(default=50)
    quiz: Mapped[dict] = mapped_column(JSON, default=dict)
    certificate: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="published")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="course", order_by="Question.position", cascade="all, delete-orphan"
    )
    media: Mapped[list[CourseMedia]] = relationship(
        back_populates="course", order_by="CourseMedia.filename", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Course {self.code}>"

    @property
    def active_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if not lesson.retired]

    @property
    def active_questions(self) -> list[Question]:
        return [question for question in self.questions if not question.retired]


class Lesson(TimestampMixin, db.Model):
    """A lesson, kept by ``slug`` across re-imports so learners' progress survives edits.

    A lesson removed from the course folder is retired, not deleted.
    """

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(default=10)
    body: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="lessons")


class MediaFileMixin:
    """A stored media file: its name, the type sniffed from its content, hash, size and bytes."""

    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CourseMedia(MediaFileMixin, TimestampMixin, db.Model):
    """A file from the course's ``media/`` folder, stored with the course (atomic imports)."""

    __tablename__ = "course_media"
    __table_args__ = (UniqueConstraint("course_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)

    course: Mapped[Course] = relationship(back_populates="media")


class Question(TimestampMixin, db.Model):
    """A question of a course's bank, kept by ``name`` across re-imports.

    ``data`` is the type-specific payload of :mod:`lms.quizzes.qtypes`; ``version`` grows
    whenever the question's content changes (attempts freeze their own copy). A question
    removed from the bank is retired, so past attempts still show it.
    """

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(300))
    qtype: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(20), default="moodle")
    general_feedback: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    retired: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="questions")
