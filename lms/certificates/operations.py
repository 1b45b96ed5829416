"""Writes on certificates: issue (on completion), reissue, revoke. Flush only.

Issuing writes the PDF file before the caller commits (see :mod:`lms.certificates.storage`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, text

from lms.admin.operations import audit
from lms.certificates.codes import new_code
from lms.certificates.documents import produce_pdf, signing_configured
from lms.certificates.models import Certificate, format_serial
from lms.certificates.storage import pdf_path, sha256_hex, write_atomically
from lms.core.models import utcnow
from lms.extensions import db
from lms.learning.events import course_completed
from lms.learning.models import CourseCompletion, Enrollment

_CREATE_YEAR = text("INSERT INTO certificate_counters (year, last_value) VALUES (:year, 0) ON CONFLICT (year) DO NOTHING")
_NEXT_NUMBER = text("UPDATE certificate_counters SET last_value = last_value + 1 WHERE year = :year RETURNING last_value")


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


def _period_start(completion: CourseCompletion) -> date | None:
    enrolled_at = db.session.scalar(
        select(Enrollment.enrolled_at).filter_by(user_id=completion.user_id, course_id=completion.course_id)
    )
    return local_date(enrolled_at) if enrolled_at else None


def _new_certificate(completion: CourseCompletion, now: datetime) -> Certificate:
    """A certificate for ``completion`` with the holder, course and settings as they are now."""
    config, user, course = current_app.config, completion.user, completion.course
    issue_date = local_date(now)
    number = allocate_number(issue_date.year)
    serial, register_number = format_serial(issue_date.year, number)
    code = new_code()
    return Certificate(
        year=issue_date.year, number=number, serial=serial, register_number=register_number,
        verification_code=code, user_id=user.id, course_id=course.id, unit_id=user.unit_id,
        holder_name=user.full_name, holder_birth_date=user.date_of_birth,
        holder_unit_name=user.unit.name if user.unit else "", title=course.title,
        study_hours=course.study_hours, period_start=_period_start(completion),
        period_end=local_date(completion.completed_at), issued_at=now, issue_date=issue_date,
        issuer_name=config["LMS_CERT_ISSUER"], issuer_parent=config["LMS_CERT_ISSUER_PARENT"],
        signer_title=config["LMS_CERT_SIGNER_TITLE"], signer_name=config["LMS_CERT_SIGNER_NAME"],
        place=config["LMS_CERT_PLACE"], verify_url=verify_url(code), signed=signing_configured(),
        status="valid", pdf_sha256="",
    )


def verify_url(code: str) -> str:
    """The public verification address of ``code`` (printed and in the QR code)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def _store(certificate: Certificate) -> Certificate:
    pdf = produce_pdf(certificate)
    certificate.pdf_sha256 = sha256_hex(pdf)
    write_atomically(pdf_path(certificate), pdf)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def issue_certificate(completion: CourseCompletion, now: datetime | None = None) -> Certificate:
    """Issue the certificate of ``completion`` unless it has one (flush only; the PDF is stored).

    :param completion: a recorded course completion
    :param now: the issue time (default: now)
    :return: the new certificate, or the one in force already (valid or revoked)
    """
    existing = current_certificate(completion.user_id, completion.course_id)
    if existing is not None:
        return existing
    return _store(_new_certificate(completion, now or utcnow()))


def current_certificate(user_id: int, course_id: int) -> Certificate | None:
    """The certificate in force (valid or revoked, not replaced) for a holder and course."""
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id == course_id,
                                  Certificate.status != "replaced")
    )


def reissue_certificate(certificate: Certificate, reason: str) -> Certificate:
    """Replace a valid certificate by a new one with the holder's current details (a correction).

    :param certificate: the valid certificate to replace
    :param reason: why (audited)
    :raises ValueError: if the certificate is not valid, or not a course certificate
    """
    if certificate.status != "valid" or certificate.course_id is None:
        raise ValueError("only a valid course certificate can be reissued")
    completion = db.session.scalar(
        select(CourseCompletion).filter_by(user_id=certificate.user_id, course_id=certificate.course_id)
    )
    certificate.status = "replaced"
    db.session.flush()  # frees the (holder, course) slot of the certificate in force
    new = _store(_new_certificate(completion, utcnow()))
    certificate.replaced_by_id = new.id
    audit("certificate.reissued", certificate, unit_id=certificate.unit_id, reason=reason,
          serial=certificate.serial, new_serial=new.serial)
    db.session.flush()
    return new


def revoke_certificate(certificate: Certificate, reason: str) -> None:
    """Revoke a valid certificate; the verification page then says so, with date and reason.

    :param certificate: the valid certificate
    :param reason: why, shown on the verification page
    :raises ValueError: if the certificate is not valid
    """
    if certificate.status != "valid":
        raise ValueError("only a valid certificate can be revoked")
    certificate.revoke(reason, utcnow())
    audit("certificate.revoked", certificate, unit_id=certificate.unit_id, reason=reason, serial=certificate.serial)
    db.session.flush()


@course_completed.connect
def _on_course_completed(_sender, completion, **_extra) -> None:
    """A completed course whose settings enable certificates gets one, in the same transaction."""
    if (completion.course.certificate or {}).get("enabled", True):
        issue_certificate(completion)
