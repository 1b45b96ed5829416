"""Training targets (kế hoạch, chỉ tiêu), their audiences, and the rollups kept for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.core.models import TimestampMixin, UTCDateTime, utcnow
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import OrgUnit

MEMBER_STATUSES = ("not_started", "in_progress", "completed")
REMINDER_KINDS = ("learner", "digest")
PROGRAMME_CODE_PREFIX = "KH-"

target_courses = Table(
    "target_courses",
    db.metadata,
    Column("target_id", ForeignKey("training_targets.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("courses.id"), primary_key=True),
)

target_units = Table(
    "target_units",
    db.metadata,
    Column("target_id", ForeignKey("training_targets.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("org_units.id"), primary_key=True),
)


class TrainingTarget(TimestampMixin, db.Model):
    """A training plan: who must complete which courses, between ``start_date`` and ``deadline``.

    The audience is everyone active in one of ``units``' subtrees, narrowed by ``categories``,
    ``levels`` (of their unit) and ``positions`` (text contained in the position, accents and
    case ignored) when those lists are not empty, minus the excluded people.
    """

    __tablename__ = "training_targets"
    __table_args__ = (
        CheckConstraint("target_percent BETWEEN 1 AND 100", name="target_percent"),
        CheckConstraint("deadline >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column()
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    target_percent: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    levels: Mapped[list] = mapped_column(JSON, default=list)
    positions: Mapped[list] = mapped_column(JSON, default=list)
    # Completing every required course earns a programme certificate (targets of 2+ courses).
    programme_certificate: Mapped[bool] = mapped_column(default=False)
    programme_title: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    courses: Mapped[list[Course]] = relationship(secondary=target_courses, order_by=Course.code)
    units: Mapped[list[OrgUnit]] = relationship(secondary=target_units, order_by=OrgUnit.path)
    exclusions: Mapped[list[TargetExclusion]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="TargetExclusion.id"
    )

    def __repr__(self) -> str:
        return f"<TrainingTarget {self.id} {self.name}>"

    @property
    def course_ids(self) -> set[int]:
        return {course.id for course in self.courses}

    @property
    def programme_code(self) -> str:
        """The stable key of this target's programme certificates (``KH-<id>``): renaming the
        target or changing its courses keeps it, so a holder never gets a second one."""
        return f"{PROGRAMME_CODE_PREFIX}{self.id}"

    @property
    def certificate_title(self) -> str:
        """The programme's title as printed on its certificates (the target's name by default)."""
        return self.programme_title or self.name


class TargetExclusion(TimestampMixin, db.Model):
    """A person left out of a target's audience, with the reason (long leave, secondment…)."""

    __tablename__ = "target_exclusions"
    __table_args__ = (UniqueConstraint("target_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("training_targets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    target: Mapped[TrainingTarget] = relationship(back_populates="exclusions")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TargetMember(db.Model):
    """One stint of a person in a target's audience, in one unit.

    The row in force has ``left_on`` empty (at most one per person and target); a move to
    another unit or out of the audience closes it on the posting date, so history and "as
    of" figures survive. ``completed_on`` is the local date the last required course was
    completed; ``done_courses`` how many of the required courses are completed.
    """

    __tablename__ = "target_members"
    __table_args__ = (
        CheckConstraint(f"status IN {MEMBER_STATUSES}", name="status"),
        Index(
            "uq_target_members_current", "target_id", "user_id", unique=True,
            sqlite_where=db.text("left_on IS NULL"), postgresql_where=db.text("left_on IS NULL"),
        ),
        # Both cover the burn-up query: the whole target by day, or a subtree's units one by one.
        Index("ix_target_members_unit_status", "target_id", "unit_id", "status", "completed_on", "left_on"),
        Index("ix_target_members_done", "target_id", "completed_on", "left_on", "unit_id"),
        Index("ix_target_members_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("training_targets.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    category: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(12))
    done_courses: Mapped[int] = mapped_column(default=0)
    completed_on: Mapped[date | None] = mapped_column(Date)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
    unit: Mapped[OrgUnit] = relationship()


class TargetCount(db.Model):
    """Counters of a target's current members directly in one unit, per staff category.

    A unit's subtree figures are the sum over the units whose path starts with its path.
    """

    __tablename__ = "target_counts"

    target_id: Mapped[int] = mapped_column(ForeignKey("training_targets.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
    audience: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    in_progress: Mapped[int] = mapped_column(default=0)


class TargetDayCount(db.Model):
    """How many current members of a target directly in one unit completed it on one local day.

    The burn-up and the projection sum these over a subtree (about units × days rows) instead
    of reading every member.
    """

    __tablename__ = "target_day_counts"
    __table_args__ = (Index("ix_target_day_counts_day", "target_id", "day", "completed"),)

    target_id: Mapped[int] = mapped_column(ForeignKey("training_targets.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    completed: Mapped[int] = mapped_column(default=0)


class TargetReminder(db.Model):
    """One reminder e-mail sent: to a learner not finished, or a digest to an HR officer."""

    __tablename__ = "target_reminders"
    __table_args__ = (
        CheckConstraint(f"kind IN {REMINDER_KINDS}", name="kind"),
        Index("ix_target_reminders_recipient", "target_id", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("training_targets.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    email: Mapped[str] = mapped_column(String(254))
    people: Mapped[int] = mapped_column(default=1)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
