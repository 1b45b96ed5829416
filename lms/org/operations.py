"""Writes on the organisation: units, people and their postings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select, update

from lms.auth.models import User
from lms.auth.operations import end_sessions
from lms.core.text import nfc, search_key
from lms.extensions import db
from lms.org.bulk import chunks
from lms.org.events import staff_changed
from lms.org.models import OneTimePassword, OrgUnit, Posting

_LEVEL_OF_KIND = {"province": "province", "department": "province", "district": "district", "commune": "commune"}


def create_unit(
    code: str, name: str, kind: str, parent: OrgUnit | None = None, *, valid_from: date | None = None
) -> OrgUnit:
    """Add a unit under ``parent`` (its path is set once its id is known).

    :param code: official code (GSO code for administrative units)
    :param name: official name
    :param kind: ``province``, ``department``, ``district``, ``commune`` or ``office``
    :param parent: the parent unit, ``None`` for a root
    :param valid_from: first day in force
    """
    level = _LEVEL_OF_KIND.get(kind) or (parent.level if parent else "province")
    unit = OrgUnit(code=nfc(code), kind=kind, level=level, parent=parent, valid_from=valid_from or date(2000, 1, 1))
    rename_unit(unit, name)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    return unit


def rename_unit(unit: OrgUnit, name: str) -> None:
    """Set the unit's name and its search key."""
    unit.name = nfc(name)
    unit.name_key = search_key(unit.name)


def move_unit(unit: OrgUnit, new_parent: OrgUnit) -> None:
    """Re-parent ``unit`` and rewrite the paths of its whole subtree in one statement.

    :param unit: the unit to move
    :param new_parent: its new parent (not inside its own subtree)
    """
    if new_parent.path.startswith(unit.path):
        raise ValueError("a unit cannot move into its own subtree")
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    depth_change = new_parent.depth + 1 - unit.depth
    db.session.execute(
        update(OrgUnit)
        .where(OrgUnit.path.startswith(old_path))
        .values(path=new_path + func.substr(OrgUnit.path, len(old_path) + 1), depth=OrgUnit.depth + depth_change)
        .execution_options(synchronize_session=False)
    )
    unit.parent = new_parent
    db.session.flush()
    db.session.expire_all()


def announce_staff_changes(people) -> None:
    """Send :data:`lms.org.events.staff_changed` for ``people`` (users or ids), once, in this transaction.

    The session is flushed first: new people get their ids and receivers (training
    targets) read the changed rows from the database.

    :param people: the people created, moved, re-categorised or deactivated
    """
    people = list(people)
    if people:
        db.session.flush()
        staff_changed.send(None, users=[p.id if isinstance(p, User) else p for p in people])


def post_person(person: User, unit: OrgUnit, start: date, reason: str = "") -> Posting:
    """Post ``person`` to ``unit`` from ``start``, ending their current posting that day.

    A building block: the caller sends :func:`announce_staff_changes` once for everyone it moved.

    :param person: the member of staff
    :param unit: the unit they join
    :param start: first day in the new unit
    :param reason: why (transfer, reorganisation, import…)
    """
    for posting in person.postings:
        if posting.end_date is None and posting.start_date <= start:
            posting.end_date = start
    posting = Posting(unit=unit, start_date=start, reason=reason)
    person.postings.append(posting)
    person.unit = unit
    return posting


def create_person(staff_code: str, ho: str, ten_dem: str, ten: str, unit: OrgUnit, *, start: date, **fields) -> User:
    """Add a member of staff with their first posting, and announce them (see :func:`add_person`)."""
    person = add_person(staff_code, ho, ten_dem, ten, unit, start=start, **fields)
    announce_staff_changes([person])
    return person


def add_person(staff_code: str, ho: str, ten_dem: str, ten: str, unit: OrgUnit, *, start: date, **fields) -> User:
    """Add a member of staff with their first posting; the caller announces them once for all.

    :param staff_code: the unique staff code (text: leading zeros are kept)
    :param ho: family name
    :param ten_dem: middle name(s), may be empty
    :param ten: given name
    :param unit: the unit they work in
    :param start: first day of that posting
    :param fields: other :class:`User` columns (date_of_birth, gender, category, position, email, phone)
    """
    person = User(staff_code=nfc(staff_code), **{k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()})
    person.set_name(ho, ten_dem, ten)
    db.session.add(person)
    post_person(person, unit, start, reason="initial")
    return person


class UnitNotEmpty(ValueError):
    """A unit that still has units or people in force cannot be closed."""


def has_current_children(unit: OrgUnit) -> bool:
    """Whether units in force still hang below ``unit``."""
    stmt = select(OrgUnit.id).where(OrgUnit.parent_id == unit.id, OrgUnit.valid_to.is_(None)).limit(1)
    return db.session.scalar(stmt) is not None


def is_empty(unit: OrgUnit) -> bool:
    """Whether ``unit`` has neither units in force below it nor active people in it."""
    people = select(User.id).where(User.unit_id == unit.id, User.active).limit(1)
    return not has_current_children(unit) and db.session.scalar(people) is None


def close_unit(unit: OrgUnit, day: date) -> None:
    """Close ``unit`` on ``day`` (its last day is the day before); its row and history stay.

    :param unit: a unit in force with no current child units and no active staff
    :param day: the first day it no longer exists
    :raises UnitNotEmpty: when units or active people are still in it
    """
    if not is_empty(unit):
        raise UnitNotEmpty(unit.code)
    if day <= unit.valid_from:
        raise ValueError("a unit closes after the day it opened")
    unit.valid_to = day


def deactivate_person(person: User, day: date) -> None:
    """Mark a leaver inactive: their posting ends on ``day``, their sessions end; nothing is deleted.

    :param person: the member of staff who left
    :param day: the first day they are no longer in their unit
    """
    deactivate_people([person], day)


def deactivate_people(people: list[User], day: date, *, announce: bool = True) -> None:
    """:func:`deactivate_person` for several leavers, announced once.

    :param people: the members of staff who left
    :param day: the first day they are no longer in their unit
    :param announce: ``False`` when the caller announces them with other people
    """
    for person in people:
        person.active = False
        for posting in person.postings:
            if posting.end_date is None:
                posting.end_date = max(day, posting.start_date)
        end_sessions(person)
    for chunk in chunks([person.id for person in people]):
        db.session.execute(delete(OneTimePassword).where(OneTimePassword.user_id.in_(chunk)))
    if announce:
        announce_staff_changes(people)
