"""Reads on certificates shared by the pages, the CLI, bundles and the register."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, func, select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.courses.models import Course
from lms.extensions import db
from lms.learning.models import CourseCompletion
from lms.org.models import OrgUnit
from lms.org.queries import subtree_condition


def by_code(code: str | None) -> Certificate | None:
    """The certificate with this (normalised) verification code."""
    if not code:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def by_sha256(digest: str) -> Certificate | None:
    """The certificate whose stored PDF has this SHA-256 (hex)."""
    return db.session.scalar(select(Certificate).where(Certificate.pdf_sha256 == digest))


def owed_completions():
    """``SELECT CourseCompletion`` of courses that give certificates, without one yet.

    A completion whose certificate was revoked is not owed one: revocation is final.
    """
    in_force = and_(Certificate.user_id == CourseCompletion.user_id,
                    Certificate.course_id == CourseCompletion.course_id, Certificate.status != "replaced")
    return (
        select(CourseCompletion)
        .join(Course, Course.id == CourseCompletion.course_id)
        .outerjoin(Certificate, in_force)
        .where(Certificate.id.is_(None))
        .order_by(CourseCompletion.completed_at, CourseCompletion.id)
    )


# The learner's dashboard runs these two on every visit: built once (building a statement costs
# about as much as running one this small).
_PROGRAMME_CERTIFICATES = (
    select(Certificate)
    .where(Certificate.user_id == bindparam("user_id"), Certificate.programme_code.is_not(None), Certificate.status == "valid")
    .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
)
_VALID_COURSE_CERTIFICATES = select(Certificate.course_id, Certificate.id).where(
    Certificate.user_id == bindparam("user_id"), Certificate.course_id.in_(bindparam("course_ids", expanding=True)),
    Certificate.status == "valid",
)


def programme_certificates(user_id: int) -> list[Certificate]:
    """The valid programme certificates of a holder, latest first (the learner's dashboard)."""
    return list(db.session.scalars(_PROGRAMME_CERTIFICATES, {"user_id": user_id}))


def valid_course_certificate_ids(user_id: int, course_ids: list[int]) -> dict[int, int]:
    """Course id -> id of the holder's valid certificate for it, among ``course_ids``."""
    if not course_ids:
        return {}
    return dict(db.session.execute(_VALID_COURSE_CERTIFICATES, {"user_id": user_id, "course_ids": course_ids}).all())


def gives_certificate(course: Course) -> bool:
    """Whether the course's settings enable certificates (they do unless switched off)."""
    return bool((course.certificate or {}).get("enabled", True))


def for_holder_unit(unit: OrgUnit, subtree: bool = False):
    """``SELECT Certificate`` valid, of the people now in ``unit`` (or its subtree), in name order.

    People are in Vietnamese order (``User.sort_key``), then their certificates by issue.
    """
    unit_condition = subtree_condition(unit) if subtree else OrgUnit.id == unit.id
    return (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .join(OrgUnit, OrgUnit.id == User.unit_id)
        .where(unit_condition, Certificate.status == "valid")
        .order_by(User.sort_key, User.id, Certificate.issued_at, Certificate.id)
    )


def count(stmt) -> int:
    """How many rows ``stmt`` selects."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def register(year: int, unit: OrgUnit, subtree: bool = True):
    """``SELECT Certificate`` of the register (sổ cấp) for ``year``: issued to people of
    ``unit`` (or its subtree) as they were at issue, every status, by number."""
    unit_condition = subtree_condition(unit) if subtree else OrgUnit.id == unit.id
    return (
        select(Certificate)
        .join(OrgUnit, OrgUnit.id == Certificate.unit_id)
        .where(Certificate.year == year, unit_condition)
        .order_by(Certificate.number)
    )
