"""Certificates (giấy chứng nhận), their yearly serial counters and background jobs.

A certificate is a record of what was printed: every value on the PDF is copied at issue
(holder, unit, course, issuer, signer), so the record and the stored PDF never change
afterwards. Only two transitions exist: ``valid → replaced`` (a reissue) and
``valid → revoked`` (fraud or error), guarded by :func:`_refuse_certificate_changes`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from lms.auth.models import User
from lms.core.models import TimestampMixin, UTCDateTime, utcnow
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import OrgUnit

STATUSES = ("valid", "replaced", "revoked")
SERIAL_PREFIX = "TH"
# Columns that may change after issue, each only from its value at issue (None / "valid").
_MUTABLE = {"status", "replaced_by_id", "revoked_at", "revoked_reason"}
_TRANSITIONS = {("valid", "replaced"), ("valid", "revoked")}


class CertificateCounter(db.Model):
    """The last serial number handed out in ``year`` (one row per year)."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """One issued certificate, for a course or a programme of courses.

    ``course_id`` is set for a course certificate; a programme certificate (a training
    target grouping courses, e.g. IU01–IU06) sets ``programme_code`` (``KH-<target id>``)
    and ``programme_courses`` instead. ``title`` is the course's or programme's title as printed.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint("(course_id IS NULL) <> (programme_code IS NULL)", name="course_or_programme"),
        UniqueConstraint("year", "number", name="uq_certificates_year_number"),
        # One certificate in force (valid or revoked) per holder and course / programme.
        Index("uq_certificates_current_course", "user_id", "course_id", unique=True,
              sqlite_where=db.text("status <> 'replaced'"), postgresql_where=db.text("status <> 'replaced'")),
        Index("uq_certificates_current_programme", "user_id", "programme_code", unique=True,
              sqlite_where=db.text("status <> 'replaced'"), postgresql_where=db.text("status <> 'replaced'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    register_number: Mapped[str] = mapped_column(String(20))
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    # No cascade: an issued certificate keeps its holder and course from being deleted.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    programme_code: Mapped[str | None] = mapped_column(String(40))
    # A programme certificate's course codes as printed (["IU01", "IU02", …]); None for a course.
    programme_courses: Mapped[list | None] = mapped_column(JSON)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)

    holder_name: Mapped[str] = mapped_column(String(250))
    holder_birth_date: Mapped[date | None] = mapped_column(Date)
    holder_unit_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(300))
    study_hours: Mapped[float] = mapped_column(default=0)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issue_date: Mapped[date] = mapped_column(Date)
    issuer_name: Mapped[str] = mapped_column(String(200))
    issuer_parent: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200))
    signer_name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(100))
    verify_url: Mapped[str] = mapped_column(String(400))
    signed: Mapped[bool] = mapped_column(default=False)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)

    # active_history: the guard sees the value at issue even after the object expired.
    status: Mapped[str] = mapped_column(String(10), default="valid", active_history=True)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), active_history=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    revoked_reason: Mapped[str | None] = mapped_column(Text, active_history=True)

    user: Mapped[User] = relationship()
    course: Mapped[Course | None] = relationship()
    unit: Mapped[OrgUnit | None] = relationship()
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.status}>"

    @property
    def storage_name(self) -> str:
        """Path of the PDF below the storage folder: ``certificates/<year>/<serial>.pdf``."""
        return f"certificates/{self.year}/{self.serial}.pdf"

    def revoke(self, reason: str, now: datetime) -> None:
        """Withdraw this certificate for ``reason`` (fraud, error)."""
        self.status = "revoked"
        self.revoked_at = now
        self.revoked_reason = reason


def format_serial(year: int, number: int) -> tuple[str, str]:
    """The serial (số hiệu ``TH-2026-000123``) and register number (số vào sổ ``123/2026``)."""
    return f"{SERIAL_PREFIX}-{year}-{number:06d}", f"{number}/{year}"


def _change_allowed(certificate: Certificate) -> bool:
    state = inspect(certificate)
    changed = {attr.key: attr.history for attr in state.attrs if attr.history.has_changes()}
    if set(changed) - _MUTABLE:
        return False
    status = changed.get("status")
    if status and (status.deleted[0] if status.deleted else None, certificate.status) not in _TRANSITIONS:
        return False
    return all(not history.deleted or history.deleted[0] is None
               for key, history in changed.items() if key != "status")


@event.listens_for(Session, "before_flush")
def _refuse_certificate_changes(session: Session, _context, _instances) -> None:
    """Issued certificates are immutable but for the two status transitions; never deleted."""
    for obj in session.deleted:
        if isinstance(obj, Certificate):
            raise RuntimeError("certificates are never deleted")
    for obj in session.dirty:
        if isinstance(obj, Certificate) and not _change_allowed(obj):
            raise RuntimeError(f"certificate {obj.serial} is immutable after issue")


JOB_STATUSES = ("queued", "running", "done", "failed")
# A job that has not moved for this long was stopped with its process (a restart, a killed
# worker): the runner records progress at least every 1% of the work, seconds apart.
JOB_STALE_AFTER = timedelta(minutes=10)


class Job(TimestampMixin, db.Model):
    """A background job (a certificate bundle) and its progress, polled by the page."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(f"status IN {JOB_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result_name: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()

    @property
    def state(self) -> str:
        """The status as shown: ``interrupted`` for a queued or running job that stopped moving."""
        if self.status in ("queued", "running") and self.updated_at < utcnow() - JOB_STALE_AFTER:
            return "interrupted"
        return self.status

    @property
    def percent(self) -> float:
        return 100 * self.done / self.total if self.total else (100.0 if self.status == "done" else 0.0)
