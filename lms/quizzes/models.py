"""Quiz attempts and the questions each attempt froze when it started."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.core.models import TimestampMixin, UTCDateTime
from lms.courses.models import Course
from lms.extensions import db

ATTEMPT_STATES = ("open", "submitted")


class Attempt(TimestampMixin, db.Model):
    """One try at a course's final quiz.

    ``deadline`` is fixed when the attempt starts (``None``: no time limit). ``score`` is a
    fraction 0..1, ``None`` while the attempt is open or an essay waits for a trainer.
    ``seed`` drives the draw and the shuffles, so they can be explained afterwards.
    The state only moves ``open`` → ``submitted``, by a conditional UPDATE
    (see :mod:`lms.quizzes.operations`), never by assigning ``state`` here.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "number"),
        CheckConstraint(f"state IN {ATTEMPT_STATES}", name="state"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 1", name="score"),
        Index("ix_attempts_course_state", "course_id", "state"),
        Index("ix_attempts_state_deadline", "state", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default="open")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column()
    seed: Mapped[int] = mapped_column()

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Attempt {self.id} #{self.number} {self.state}>"

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def awaiting_grade(self) -> bool:
        """Submitted, but an essay still waits for a trainer."""
        return self.state == "submitted" and self.score is None


class FrozenQuestion:
    """What an attempt froze of a question, read from its ``snapshot``."""

    __slots__ = ()

    @property
    def qtype(self) -> str:
        return self.snapshot["qtype"]

    @property
    def data(self) -> dict:
        return self.snapshot["data"]


class AttemptQuestion(FrozenQuestion, db.Model):
    """A question as one attempt shows it: a frozen copy, its presentation and the answer.

    ``snapshot`` holds ``qtype``, ``text``, ``text_format``, ``general_feedback`` and
    ``data`` as they were when the attempt started, so a later re-import of the course
    changes nothing here. ``seq`` is the client's sequence number of the saved response:
    a save with a lower number (a stale autosave) is ignored. ``fraction`` is the grade
    (for an essay, the trainer's ``manual_fraction`` once given).
    """

    __tablename__ = "attempt_questions"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        CheckConstraint("manual_fraction IS NULL OR manual_fraction BETWEEN 0 AND 1", name="manual_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    question_version: Mapped[int] = mapped_column()
    snapshot: Mapped[dict] = mapped_column(JSON)
    presentation: Mapped[dict] = mapped_column(JSON, default=dict)
    response: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    seq: Mapped[int] = mapped_column(db.BigInteger, default=0)
    fraction: Mapped[float | None] = mapped_column()
    manual_fraction: Mapped[float | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    attempt: Mapped[Attempt] = relationship(back_populates="questions")


class Answer(FrozenQuestion):
    """A question of an attempt as a save or a submission reads it: the columns of its row
    that checking and grading use, without the ORM's bookkeeping (30 mapped objects cost
    more to load than to grade). See :func:`lms.quizzes.operations.answer_sheet`.
    """

    __slots__ = ("id", "position", "snapshot", "presentation", "response", "seq", "manual_fraction", "fraction")

    def __init__(self, row):
        self.id, self.position, self.snapshot, self.presentation, self.response, self.seq, self.manual_fraction = row
        self.fraction = None
