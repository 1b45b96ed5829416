"""Writes on certificates: issue (on completion), reissue, revoke. Flush only.

Issuing writes the PDF file before the caller commits (see :mod:`lms.certificates.storage`);
programme certificates are issued by :mod:`lms.certificates.programmes`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from lms.admin.operations import audit
from lms.certificates.issuing import certificate_in_force, local_date, new_certificate, store
from lms.certificates.models import Certificate
from lms.certificates.programmes import issue_programmes_completed, programme_achievement, target_of
from lms.certificates.queries import gives_certificate
from lms.core.models import utcnow
from lms.extensions import db
from lms.learning.events import course_completed
from lms.learning.models import CourseCompletion, Enrollment


def _period_start(completion: CourseCompletion) -> date | None:
    enrolled_at = db.session.scalar(
        select(Enrollment.enrolled_at).filter_by(user_id=completion.user_id, course_id=completion.course_id)
    )
    return local_date(enrolled_at) if enrolled_at else None


def _course_achievement(completion: CourseCompletion) -> dict:
    """What a course certificate prints of ``completion``: the course as it is now."""
    course = completion.course
    return {"course_id": course.id, "title": course.title, "study_hours": course.study_hours,
            "period_start": _period_start(completion), "period_end": local_date(completion.completed_at)}


def issue_certificate(completion: CourseCompletion, now: datetime | None = None) -> Certificate:
    """Issue the certificate of ``completion`` unless it has one (flush only; the PDF is stored).

    :param completion: a recorded course completion
    :param now: the issue time (default: now)
    :return: the new certificate, or the one in force already (valid or revoked)
    """
    existing = certificate_in_force(completion.user_id, course_id=completion.course_id)
    if existing is not None:
        return existing
    return store(new_certificate(completion.user, now or utcnow(), **_course_achievement(completion)))


def reissue_certificate(certificate: Certificate, reason: str) -> Certificate:
    """Replace a valid certificate by a new one with the holder's current details (a correction).

    :param certificate: the valid certificate to replace
    :param reason: why (audited)
    :raises ValueError: if the certificate is not valid
    """
    if certificate.status != "valid":
        raise ValueError("only a valid certificate can be reissued")
    achievement = _achievement_again(certificate)
    certificate.status = "replaced"
    db.session.flush()  # frees the (holder, course or programme) slot of the certificate in force
    new = store(new_certificate(certificate.user, utcnow(), **achievement))
    certificate.replaced_by_id = new.id
    audit("certificate.reissued", certificate, unit_id=certificate.unit_id, reason=reason,
          serial=certificate.serial, new_serial=new.serial)
    db.session.flush()
    return new


def _achievement_again(certificate: Certificate) -> dict:
    """What the replacement of ``certificate`` prints: the course or programme as it is now;
    a programme whose courses changed since, so that the holder no longer completed them
    all, keeps what the old certificate printed."""
    if certificate.course_id is not None:
        return _course_achievement(db.session.scalar(
            select(CourseCompletion).filter_by(user_id=certificate.user_id, course_id=certificate.course_id)))
    target = target_of(certificate)
    return (target and programme_achievement(target, certificate.user_id)) or {
        "programme_code": certificate.programme_code, "programme_courses": certificate.programme_courses,
        "title": certificate.title, "study_hours": certificate.study_hours,
        "period_start": certificate.period_start, "period_end": certificate.period_end,
    }


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
    """A completed course whose settings enable certificates gets one, and a completed
    programme (its last course) its programme certificate, in the same transaction."""
    if gives_certificate(completion.course):
        issue_certificate(completion)
    issue_programmes_completed(completion)
