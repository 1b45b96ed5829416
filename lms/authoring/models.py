"""Authoring: who may edit a course, and the draft that trainers edit before publishing."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.core.models import TimestampMixin
from lms.courses.models import Course, MediaFileMixin
from lms.extensions import db

STAFF_ROLES = ("owner", "editor")


class CourseStaff(TimestampMixin, db.Model):
    """A trainer who may edit a course: its ``owner`` (who created it) or an ``editor``."""

    __tablename__ = "course_staff"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        CheckConstraint(f"role IN {STAFF_ROLES}", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="editor")

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship()


class CourseDraft(TimestampMixin, db.Model):
    """The editable copy of a course, in the shape of :class:`lms.courses.spec.CourseSpec`.

    ``content`` holds ``settings`` (the ``course.yaml`` mapping), ``lessons``
    (``[{slug, title, minutes, body}]``) and ``questions`` (the fields of
    :class:`~lms.quizzes.qtypes.ParsedQuestion` plus a ``key`` naming the question in
    URLs). ``pending_import`` holds the questions of an import waiting for confirmation.
    Learners never see a draft: publishing applies it to the course and deletes it.

    ``version`` counts the row's saves: every UPDATE says ``WHERE version = <read>`` and
    raises ``StaleDataError`` when another transaction saved it in between, so one save
    never silently replaces another. ``content["versions"]`` counts the saves of each object
    the edit forms write (see :func:`lms.authoring.drafts.check_version`).
    """

    __tablename__ = "course_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    pending_import: Mapped[list | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}

    course: Mapped[Course] = relationship()
    media: Mapped[list[DraftMedia]] = relationship(
        back_populates="draft", order_by="DraftMedia.filename", cascade="all, delete-orphan"
    )

    @property
    def lessons(self) -> list[dict]:
        return self.content["lessons"]

    @property
    def questions(self) -> list[dict]:
        return self.content["questions"]

    @property
    def settings(self) -> dict:
        return self.content["settings"]


class DraftMedia(MediaFileMixin, TimestampMixin, db.Model):
    """A media file of a draft (copied from the course, or uploaded by a trainer)."""

    __tablename__ = "draft_media"
    __table_args__ = (UniqueConstraint("draft_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("course_drafts.id", ondelete="CASCADE"), index=True)

    draft: Mapped[CourseDraft] = relationship(back_populates="media")
