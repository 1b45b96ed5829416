"""Organisation units (a tree with validity dates), postings of staff, reorganisations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, and_, delete, event, inspect, or_
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from lms.core.models import TimestampMixin, UTCDateTime, utcnow
from lms.extensions import db

if TYPE_CHECKING:
    from lms.auth.models import User

UNIT_KINDS = ("province", "department", "district", "commune", "office")
LEVELS = ("province", "district", "commune")


class OrgUnit(TimestampMixin, db.Model):
    """A unit of the organisation tree, valid from ``valid_from`` until ``valid_to`` (exclusive).

    ``path`` is the materialised path of ids (``/1/27/301/``): a subtree is one indexed
    prefix match. Closed units keep their row, their parent and their path, so history
    and "as of" queries keep working after a reorganisation.
    """

    __tablename__ = "org_units"
    __table_args__ = (
        CheckConstraint(f"kind IN {UNIT_KINDS}", name="kind"),
        CheckConstraint(f"level IN {LEVELS}", name="level"),
        # A code is reused across reorganisations (new Phường Hàm Rồng took 14758 from
        # Phường Đông Thọ), so it is unique only among the units in force.
        Index(
            "uq_org_units_code_current",
            "code",
            unique=True,
            sqlite_where=db.text("valid_to IS NULL"),
            postgresql_where=db.text("valid_to IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), default="", index=True)
    depth: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date] = mapped_column(Date, default=date(2000, 1, 1))
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_valid_on(self, day: date) -> bool:
        """Whether the unit was in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @classmethod
    def valid_on(cls, day: date | None = None):
        """SQL condition: units in force on ``day`` (today's tree when ``None``)."""
        if day is None:
            return cls.valid_to.is_(None)
        return and_(cls.valid_from <= day, or_(cls.valid_to.is_(None), cls.valid_to > day))

    def ancestors_ids(self) -> list[int]:
        """Ids from the root down to this unit, read off the materialised path."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Posting(TimestampMixin, db.Model):
    """A person's posting to a unit from ``start_date`` until ``end_date`` (exclusive)."""

    __tablename__ = "postings"
    __table_args__ = (Index("ix_postings_unit_dates", "unit_id", "start_date", "end_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="postings")
    unit: Mapped[OrgUnit] = relationship()

    @classmethod
    def in_force_on(cls, day: date):
        """SQL condition: postings in force on ``day``."""
        return and_(cls.start_date <= day, or_(cls.end_date.is_(None), cls.end_date > day))


SUCCESSION_KINDS = ("full", "partial")


class UnitSuccession(db.Model):
    """How a reorganisation carried an old unit into a new one on ``effective``.

    ``full``: the whole old unit went into ``new_unit`` (a merge); ``partial``: the old
    unit was split and ``new_unit`` is one of the units its people may be placed in.
    """

    __tablename__ = "unit_successions"
    __table_args__ = (
        CheckConstraint(f"kind IN {SUCCESSION_KINDS}", name="kind"),
        UniqueConstraint("old_unit_id", "new_unit_id", name="uq_unit_successions_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    effective: Mapped[date] = mapped_column(Date)

    old_unit: Mapped[OrgUnit] = relationship(foreign_keys=[old_unit_id])
    new_unit: Mapped[OrgUnit] = relationship(foreign_keys=[new_unit_id])


class PendingPlacement(TimestampMixin, db.Model):
    """A person of a split unit waiting for HR to choose their new unit.

    Until placed, the person's posting in the old (closed) unit stays in force, so
    they are counted once, there, in every "as of" report.
    """

    __tablename__ = "pending_placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    effective: Mapped[date] = mapped_column(Date)

    user: Mapped[User] = relationship()
    old_unit: Mapped[OrgUnit] = relationship()


class OneTimePassword(db.Model):
    """The plain one-time password of an imported account, kept only until it is printed.

    The row goes when HR confirms the printed list was handed out, when the person
    sets a password (see :func:`_forget_replaced_passwords`) or when they leave.
    """

    __tablename__ = "one_time_passwords"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    password: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(Session, "before_flush")
def _forget_replaced_passwords(session: Session, _context, _instances) -> None:
    """A password set by any means makes the stored one-time password useless: delete it."""
    from lms.auth.models import User

    changed = [
        obj.id for obj in session.dirty
        if isinstance(obj, User) and obj.id is not None and inspect(obj).attrs.password_hash.history.has_changes()
    ]
    if changed:
        session.execute(delete(OneTimePassword).where(OneTimePassword.user_id.in_(changed)))
