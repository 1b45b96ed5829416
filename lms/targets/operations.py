"""Writes on training targets: create, edit, exclude people, and keep the rollups live (flush only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lms.admin.operations import audit
from lms.auth.models import User
from lms.courses.models import Course
from lms.extensions import db
from lms.learning.events import course_completed
from lms.learning.models import Enrollment
from lms.org.events import staff_changed
from lms.org.models import OrgUnit
from lms.targets.models import TargetExclusion, TrainingTarget, target_courses
from lms.targets.rollups import load_facts, rebuild_target, sync_people

# Above this many people at once (a roster import), recomputing everything is quicker.
BULK_REFRESH_THRESHOLD = 500


@dataclass
class TargetData:
    """The editable fields of a target, as a form or a script gives them."""

    name: str
    year: int
    start_date: date
    deadline: date
    courses: list[Course]
    units: list[OrgUnit]
    target_percent: int = 100
    active: bool = True
    categories: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    programme_certificate: bool = False
    programme_title: str = ""


def _apply(target: TrainingTarget, data: TargetData) -> None:
    if data.programme_certificate and len(data.courses) < 2:
        raise ValueError("a programme certificate needs a target of two or more courses")
    for name, value in data.__dict__.items():
        setattr(target, name, list(value) if isinstance(value, list) else value)


def create_target(data: TargetData, *, by: User | None = None) -> TrainingTarget:
    """Create a target and compute its members and figures at once.

    :param data: the target's fields
    :param by: who creates it (audited)
    :raises ValueError: for a programme certificate on fewer than two courses
    """
    target = TrainingTarget(created_by_id=by.id if by else None)
    _apply(target, data)
    db.session.add(target)
    db.session.flush()
    if target.active:
        rebuild_target(target)
    audit("target.create", target, actor_id=by.id if by else None, name=target.name)
    return target


def update_target(target: TrainingTarget, data: TargetData, *, by: User | None = None) -> None:
    """Change a target; its members and figures follow (an inactive target keeps its last figures).

    :param target: the target to change
    :param data: the new fields
    :param by: who changes it (audited)
    :raises ValueError: for a programme certificate on fewer than two courses
    """
    _apply(target, data)
    db.session.flush()
    if target.active:
        rebuild_target(target)
    audit("target.update", target, actor_id=by.id if by else None, name=target.name)


def exclude_person(target: TrainingTarget, person: User, reason: str, *, by: User | None = None) -> TargetExclusion:
    """Leave ``person`` out of ``target``'s audience, with the reason.

    :param target: the target
    :param person: who is left out (long leave, secondment…)
    :param reason: why, shown to HR
    :param by: who decides (audited)
    """
    exclusion = db.session.scalar(select(TargetExclusion).filter_by(target_id=target.id, user_id=person.id))
    if exclusion is None:
        exclusion = TargetExclusion(target=target, user_id=person.id, created_by_id=by.id if by else None)
        db.session.add(exclusion)
    exclusion.reason = reason
    db.session.flush()
    _sync(target, [person.id])
    audit("target.exclude", target, actor_id=by.id if by else None, user_id=person.id, reason=reason)
    return exclusion


def include_again(exclusion: TargetExclusion, *, by: User | None = None) -> None:
    """Put an excluded person back in the audience.

    :param exclusion: the exclusion to lift
    :param by: who decides (audited)
    """
    target, user_id = exclusion.target, exclusion.user_id
    db.session.delete(exclusion)
    db.session.flush()
    _sync(target, [user_id])
    audit("target.include", target, actor_id=by.id if by else None, user_id=user_id)


def _sync(target: TrainingTarget, user_ids: list[int]) -> None:
    if target.active:
        sync_people(target, load_facts(user_ids))


def active_targets(course_id: int | None = None) -> list[TrainingTarget]:
    """Active targets, or those requiring ``course_id``."""
    stmt = select(TrainingTarget).where(TrainingTarget.active).order_by(TrainingTarget.id)
    if course_id is not None:
        stmt = stmt.join(target_courses).where(target_courses.c.course_id == course_id)
    return list(db.session.scalars(stmt))


def refresh_people(user_ids: Iterable[int]) -> None:
    """Recompute these people's membership and status in every active target (flush only).

    :param user_ids: people created, moved, changed or deactivated
    """
    ids = sorted(set(user_ids))
    if len(ids) > BULK_REFRESH_THRESHOLD:
        rebuild_all()
        return
    db.session.flush()
    facts = load_facts(ids)
    for target in active_targets():
        sync_people(target, facts)


def refresh_person(user: User) -> None:
    """Recompute ``user``'s membership and status in every active target (flush only).

    :param user: a person created, moved, changed or deactivated
    """
    refresh_people([user.id])


def rebuild_all() -> int:
    """Recompute every active target from scratch; returns how many (flush only)."""
    targets = active_targets()
    for target in targets:
        rebuild_target(target)
    return len(targets)


@course_completed.connect
def _on_course_completed(_sender, completion, **_extra) -> None:
    """A completion moves its learner in every active target requiring the course."""
    db.session.flush()
    facts = load_facts([completion.user_id])
    for target in active_targets(completion.course_id):
        sync_people(target, facts)


@staff_changed.connect
def _on_staff_changed(_sender, users, **_extra) -> None:
    """The organisation changed people: move them in the rollups."""
    refresh_people(user.id if isinstance(user, User) else user for user in users)


@event.listens_for(Session, "after_flush")
def _note_enrolments(session: Session, _context) -> None:
    """Remember new enrolments: a learner who starts a required course is "in progress"."""
    new = [(obj.user_id, obj.course_id) for obj in session.new if isinstance(obj, Enrollment)]
    if new:
        session.info.setdefault("targets_new_enrolments", []).extend(new)


@event.listens_for(Session, "after_flush_postexec")
def _on_enrolments(session: Session, _context) -> None:
    for user_id, course_id in session.info.pop("targets_new_enrolments", []):
        targets = active_targets(course_id)
        if targets:
            facts = load_facts([user_id])
            for target in targets:
                sync_people(target, facts)
