"""Every access rule of the application, in one place.

Roles: everyone is a learner; ``trainer`` and ``admin`` are global; ``hr`` is granted on a
unit and covers its whole subtree. Views never test roles themselves: they call these
functions, which are also what the API and the exports use. An object outside the user's
scope answers exactly as a missing one (404), so its existence is not disclosed.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import bindparam, false, or_, select
from sqlalchemy.orm import joinedload

from lms.auth.models import User
from lms.authoring.models import CourseStaff
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.quizzes.models import Attempt
from lms.targets.models import TrainingTarget


def roles_of(user) -> set[str]:
    """Every role ``user`` holds (``learner`` for every authenticated user); none when anonymous."""
    if not user or not user.is_authenticated:
        return set()
    return user.roles()


def has_role(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` (``learner`` for every authenticated user)."""
    return role in roles_of(user)


def is_admin(user) -> bool:
    return has_role(user, "admin")


def hr_units(user) -> list[OrgUnit]:
    """Units on which ``user`` holds HR, without units nested in another of them."""
    if not has_role(user, "hr"):
        return []
    units = sorted((g.unit for g in user.grants if g.role == "hr" and g.unit), key=lambda u: len(u.path))
    roots: list[OrgUnit] = []
    for unit in units:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def can_manage_unit(user, unit: OrgUnit | None) -> bool:
    """Admin anywhere; HR inside the subtrees they were granted."""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    return any(unit.path.startswith(root.path) for root in hr_units(user))


def can_see_person(viewer, person: User) -> bool:
    """Everyone sees themself; admin sees everyone; HR sees the people of their subtrees."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.id == person.id or is_admin(viewer):
        return True
    return person.unit is not None and can_manage_unit(viewer, person.unit)


def unit_scope_condition(viewer):
    """SQL condition on :class:`OrgUnit` limiting rows to the viewer's managed subtrees."""
    if is_admin(viewer):
        return OrgUnit.id.isnot(None)
    roots = hr_units(viewer)
    if not roots:
        return false()
    return or_(*(OrgUnit.path.startswith(root.path) for root in roots))


def person_or_404(viewer, user_id: int) -> User:
    """The person with ``user_id`` if ``viewer`` may see them, else 404 (as if missing)."""
    person = db.session.get(User, user_id)
    if person is None or not can_see_person(viewer, person):
        abort(404)
    return person


def unit_or_404(viewer, unit_id: int) -> OrgUnit:
    """The unit with ``unit_id`` if ``viewer`` manages it, else 404 (as if missing)."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or not can_manage_unit(viewer, unit):
        abort(404)
    return unit


def can_view_course(user, course: Course | None) -> bool:
    """Published courses for every learner; drafts and archived courses for trainers and admins."""
    if course is None or not getattr(user, "is_authenticated", False):
        return False
    return course.status == "published" or has_role(user, "trainer") or is_admin(user)


# Built once: the course and lesson pages look a course up on every request.
_COURSE_BY_CODE = select(Course).where(Course.code == bindparam("code"))


def course_or_404(viewer, code: str) -> Course:
    """The course with ``code`` if ``viewer`` may see it, else 404 (as if missing)."""
    course = db.session.scalar(_COURSE_BY_CODE, {"code": code})
    if not can_view_course(viewer, course):
        abort(404)
    return course


def can_author_course(user, course: Course | None) -> bool:
    """Admin: every course; trainers: the courses they own or were assigned to."""
    if course is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    return has_role(user, "trainer") and db.session.scalar(
        select(CourseStaff.id).where(CourseStaff.course_id == course.id, CourseStaff.user_id == user.id)
    ) is not None


def authored_courses_condition(user):
    """SQL condition on :class:`Course` limiting rows to the courses ``user`` may edit."""
    if is_admin(user):
        return Course.id.isnot(None)
    if not has_role(user, "trainer"):
        return false()
    return Course.id.in_(select(CourseStaff.course_id).where(CourseStaff.user_id == user.id))


def authored_course_or_404(viewer, code: str) -> Course:
    """The course with ``code`` if ``viewer`` may edit it, else 404 (as if missing)."""
    course = db.session.scalar(_COURSE_BY_CODE, {"code": code})
    if not can_author_course(viewer, course):
        abort(404)
    return course


def can_grade_quizzes(user) -> bool:
    """Trainers and admins see every attempt of a course and grade essays."""
    return has_role(user, "trainer") or is_admin(user)


# Built once, as the course above: the quiz pages look an attempt up on every request.
_ATTEMPT_WITH_COURSE = select(Attempt).options(joinedload(Attempt.course)).where(Attempt.id == bindparam("attempt_id"))


def attempt_or_404(viewer, attempt_id: int, *, own: bool = True) -> Attempt:
    """The attempt with ``attempt_id`` if it is ``viewer``'s own, else 404 (as if missing).

    With ``own=False`` trainers and admins may also reach other learners' attempts.
    """
    attempt = db.session.scalar(_ATTEMPT_WITH_COURSE, {"attempt_id": attempt_id})
    if attempt is None or not getattr(viewer, "is_authenticated", False):
        abort(404)
    if attempt.user_id != viewer.id and (own or not can_grade_quizzes(viewer)):
        abort(404)
    if attempt.user_id == viewer.id and not can_view_course(viewer, attempt.course):
        abort(404)
    return attempt


def can_target_units(user, units: list[OrgUnit]) -> bool:
    """Whether ``user`` may aim a training target at ``units``: admin, or HR managing every one."""
    return bool(units) and all(can_manage_unit(user, unit) for unit in units)


def can_manage_target(user, target: TrainingTarget) -> bool:
    """Admin; HR when the target's whole audience lies inside their subtrees."""
    return can_target_units(user, target.units)


def can_see_target(user, target: TrainingTarget) -> bool:
    """Admin; HR when the target's audience and their subtrees overlap."""
    if is_admin(user):
        return True
    return any(
        unit.path.startswith(root.path) or root.path.startswith(unit.path)
        for unit in target.units for root in hr_units(user)
    )


def target_or_404(viewer, target_id: int, *, manage: bool = False) -> TrainingTarget:
    """The target with ``target_id`` if ``viewer`` may see it (or manage it), else 404."""
    target = db.session.get(TrainingTarget, target_id)
    allowed = can_manage_target if manage else can_see_target
    if target is None or not allowed(viewer, target):
        abort(404)
    return target


def role_required(*roles: str):
    """View decorator: log in first; then one of ``roles`` is needed (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(has_role(current_user, role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
