"""Building and storing a certificate, for a course or a programme (flush only).

The serial counter, the holder and the settings as they are at issue, and the PDF written
before the caller commits (see :mod:`lms.certificates.storage`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, text

from lms.certificates.codes import new_code
from lms.certificates.documents import produce_pdf, signing_configured
from lms.certificates.models import Certificate, format_serial
from lms.certificates.storage import pdf_path, sha256_hex, write_atomically
from lms.extensions import db

_CREATE_YEAR = text("INSERT INTO certificate_counters (year, last_value) VALUES (:year, 0) ON CONFLICT (year) DO NOTHING")
_NEXT_NUMBER = text("UPDATE certificate_counters SET last_value = last_value + 1 WHERE year = :year RETURNING last_value")
_LOCK_YEAR = text("UPDATE certificate_counters SET last_value = last_value WHERE year = :year")


def local_date(moment: datetime) -> date:
    """The calendar day of ``moment`` in the configured time zone (Asia/Ho_Chi_Minh)."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def allocate_number(year: int) -> int:
    """The next serial number of ``year``, in the caller's transaction.

    The counter row stays locked until the transaction ends, so concurrent issues queue
    here; a rollback gives the number back: no gaps, no duplicates.

    :param year: the calendar year of issue
    """
    db.session.execute(_CREATE_YEAR, {"year": year})
    return db.session.execute(_NEXT_NUMBER, {"year": year}).scalar_one()


def lock_counter(year: int) -> None:
    """Wait for, and hold until the transaction ends, the lock that issuing in ``year`` takes.

    Whatever is read afterwards includes every issuing transaction committed before, and
    none can commit meanwhile (what :func:`allocate_number` does, without using a number).

    :param year: the calendar year of issue
    """
    db.session.execute(_CREATE_YEAR, {"year": year})
    db.session.execute(_LOCK_YEAR, {"year": year})


def verify_url(code: str) -> str:
    """The public verification address of ``code`` (printed and in the QR code)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def new_certificate(user, now: datetime, **achievement) -> Certificate:
    """A certificate for ``user`` with the holder and the settings as they are now, numbered.

    :param user: the holder
    :param now: the issue time
    :param achievement: what was completed: ``course_id`` or ``programme_code`` and
        ``programme_courses``, ``title``, ``study_hours``, ``period_start``, ``period_end``
    """
    config = current_app.config
    issue_date = local_date(now)
    number = allocate_number(issue_date.year)
    serial, register_number = format_serial(issue_date.year, number)
    code = new_code()
    return Certificate(
        year=issue_date.year, number=number, serial=serial, register_number=register_number,
        verification_code=code, user_id=user.id, unit_id=user.unit_id,
        holder_name=user.full_name, holder_birth_date=user.date_of_birth,
        holder_unit_name=user.unit.name if user.unit else "", issued_at=now, issue_date=issue_date,
        issuer_name=config["LMS_CERT_ISSUER"], issuer_parent=config["LMS_CERT_ISSUER_PARENT"],
        signer_title=config["LMS_CERT_SIGNER_TITLE"], signer_name=config["LMS_CERT_SIGNER_NAME"],
        place=config["LMS_CERT_PLACE"], verify_url=verify_url(code), signed=signing_configured(),
        status="valid", pdf_sha256="", **achievement,
    )


def certificate_in_force(user_id: int, *, course_id: int | None = None, programme_code: str | None = None
                         ) -> Certificate | None:
    """The certificate in force (valid or revoked, not replaced) for a holder and a course or programme."""
    achievement = (Certificate.course_id == course_id) if course_id is not None else (
        Certificate.programme_code == programme_code)
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, achievement, Certificate.status != "replaced"))


def store(certificate: Certificate) -> Certificate:
    """Render (and sign) the PDF, write it, record its hash and add the certificate (flush)."""
    pdf = produce_pdf(certificate)
    certificate.pdf_sha256 = sha256_hex(pdf)
    write_atomically(pdf_path(certificate), pdf)
    db.session.add(certificate)
    db.session.flush()
    return certificate
