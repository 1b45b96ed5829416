"""Reorganisations: merging and splitting units, placing the people of split units.

A full merge moves every active person of the old unit to the new one with a posting
dated the effective day, and closes the old unit (``valid_to``), keeping its row. A
split closes the old unit too, but guesses nothing: each of its people gets a
:class:`PendingPlacement` listing the candidate units, and keeps their posting in the
old unit until HR places them. :func:`apply_mapping` runs a whole reform from the
``new_code,new_name,old_code,old_name,kind`` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.admin.operations import audit
from lms.auth.models import User
from lms.extensions import db
from lms.org.mapping import MappingRow, OldUnitPlan, Problem, plan_by_old_unit
from lms.org.models import OrgUnit, PendingPlacement, Posting, UnitSuccession
from lms.org.operations import announce_staff_changes, create_unit, has_current_children, is_empty, post_person

REASON = "tổ chức lại đơn vị"


@dataclass
class ReorganisationReport:
    """What a reorganisation did (or would do, in a dry run)."""

    merged: int = 0
    split: int = 0
    created_units: int = 0
    moved: int = 0
    pending: int = 0
    closed_parents: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        counts = {name: getattr(self, name) for name in ("merged", "split", "created_units", "moved", "pending", "closed_parents")}
        return {**counts, "problems": [{"line": p.line, "message": p.message} for p in self.problems]}


def merge_unit(old: OrgUnit, new: OrgUnit, effective: date, people: list[User] | None = None) -> int:
    """Move every active person of ``old`` into ``new`` from ``effective`` and close ``old``.

    :param old: the unit that disappears (no current child units)
    :param new: the unit that takes its people
    :param effective: first day of the new organisation
    :param people: the active people of ``old``, when already loaded
    :return: how many people moved
    """
    moved = _merge(old, new, effective, people)
    announce_staff_changes(moved)
    return len(moved)


def _merge(old: OrgUnit, new: OrgUnit, effective: date, people: list[User] | None) -> list[User]:
    """:func:`merge_unit` without the announcement; returns the people moved."""
    _retire(old, effective)
    people = _active_people([old]).get(old.id, []) if people is None else people
    for person in people:
        post_person(person, new, effective, reason=REASON)
    _record_succession(old, new, "full", effective)
    audit("org.unit_merged", old, unit_id=old.id, into=new.code, effective=effective.isoformat(), moved=len(people))
    return people


def split_unit(old: OrgUnit, candidates: list[OrgUnit], effective: date, people: list[User] | None = None) -> int:
    """Close ``old`` and list each of its active people for HR to place in one of ``candidates``.

    :param old: the unit that is split (no current child units)
    :param candidates: the units its people may go to
    :param effective: first day of the new organisation
    :param people: the active people of ``old``, when already loaded
    :return: how many people wait for a placement
    """
    waiting = _split(old, candidates, effective, people)
    announce_staff_changes(waiting)
    return len(waiting)


def _split(old: OrgUnit, candidates: list[OrgUnit], effective: date, people: list[User] | None) -> list[User]:
    """:func:`split_unit` without the announcement; returns the people waiting for a placement.

    They stay posted in ``old`` (so in its targets' numbers) until placed; they are
    announced all the same, so that nothing depends on that rule staying as it is.
    """
    _retire(old, effective)
    people = _active_people([old]).get(old.id, []) if people is None else people
    for person in people:
        db.session.add(PendingPlacement(user=person, old_unit=old, effective=effective))
    for new in candidates:
        _record_succession(old, new, "partial", effective)
    audit("org.unit_split", old, unit_id=old.id, into=[u.code for u in candidates],
          effective=effective.isoformat(), pending=len(people))
    return people


def place_person(placement: PendingPlacement, unit: OrgUnit) -> Posting:
    """Post the person of a pending placement to ``unit`` from the reorganisation day.

    :param placement: the pending placement
    :param unit: one of the old unit's successors
    :raises ValueError: when ``unit`` is not a successor of the old unit
    """
    allowed = select(UnitSuccession.id).where(
        UnitSuccession.old_unit_id == placement.old_unit_id, UnitSuccession.new_unit_id == unit.id
    )
    if db.session.scalar(allowed) is None:
        raise ValueError("not a successor of the old unit")
    person = placement.user
    posting = post_person(person, unit, placement.effective, reason=REASON)
    audit("org.person_placed", person, unit_id=unit.id, old_unit=placement.old_unit.code)
    db.session.delete(placement)
    announce_staff_changes([person])
    return posting


def _retire(old: OrgUnit, effective: date) -> None:
    if old.valid_to is not None and old.valid_to <= effective:
        return  # already closed by the same reorganisation
    if has_current_children(old):
        raise ValueError(f"unit {old.code} still has units below it")
    old.valid_to = effective


def _active_people(units: list[OrgUnit]) -> dict[int, list[User]]:
    """The active people of each unit, postings loaded, by unit id."""
    stmt = select(User).where(User.unit_id.in_([u.id for u in units]), User.active).options(selectinload(User.postings))
    people: dict[int, list[User]] = {}
    for person in db.session.scalars(stmt):
        people.setdefault(person.unit_id, []).append(person)
    return people


def _record_succession(old: OrgUnit, new: OrgUnit, kind: str, effective: date) -> None:
    db.session.add(UnitSuccession(old_unit=old, new_unit=new, kind=kind, effective=effective))


def apply_mapping(rows: list[MappingRow], effective: date, problems: list[Problem] | None = None) -> ReorganisationReport:
    """Apply a reform table: old units merged or split into new ones on ``effective`` (flush only).

    Rows that cannot be applied safely (unknown old unit, contradictory kinds…) are
    reported as problems and their old unit is left alone; everything else is applied.
    New units missing from the tree are created under the old units' root (the province).

    :param rows: the rows of :func:`lms.org.mapping.read_mapping`
    :param effective: first day of the new organisation
    :param problems: problems already found while reading the table
    """
    report = ReorganisationReport(problems=list(problems or []))
    # Flushing before every query of every unit would cost minutes: flush where it matters.
    with db.session.no_autoflush:
        plans = _resolve_old_units(plan_by_old_unit(rows, report.problems), effective, report.problems)
        for plan in plans:
            plan.unit.valid_to = effective  # _resolve_old_units checked they have no units below
        db.session.flush()  # the closed units free their codes for the new units that reuse them
        new_units = _new_units(plans, effective, report)
        people = _active_people([plan.unit for plan in plans])
        for plan in plans:
            targets = [new_units[code] for code in plan.new_codes]
            _apply_plan(plan, targets, people.get(plan.unit.id, []), effective, report)
        db.session.flush()
        report.closed_parents = _close_emptied_parents({p.unit.parent_id for p in plans}, effective)
        # Once for the whole reform: training targets move these people, or rebuild (a large reform).
        announce_staff_changes(person for plan in plans for person in people.get(plan.unit.id, []))
    audit("org.reorganised", effective=effective.isoformat(), **{k: v for k, v in report.as_dict().items() if k != "problems"})
    return report


def _apply_plan(plan: OldUnitPlan, targets: list[OrgUnit], people: list[User], effective: date,
                report: ReorganisationReport) -> None:
    if plan.kind == "full":
        report.moved += len(_merge(plan.unit, targets[0], effective, people))
        report.merged += 1
    else:
        report.pending += len(_split(plan.unit, targets, effective, people))
        report.split += 1


def _resolve_old_units(plans: list[OldUnitPlan], effective: date, problems: list[Problem]) -> list[OldUnitPlan]:
    """Attach each plan's old unit: in force now and opened before the effective day."""
    codes = [plan.old_code for plan in plans]
    found = {
        unit.code: unit
        for unit in db.session.scalars(
            select(OrgUnit).where(OrgUnit.code.in_(codes), OrgUnit.valid_to.is_(None), OrgUnit.valid_from < effective)
        )
    }
    resolved = []
    for plan in plans:
        plan.unit = found.get(plan.old_code)
        if plan.unit is None:
            problems.append(Problem(plan.line, f"không có đơn vị cũ mã {plan.old_code} đang hoạt động trước ngày hiệu lực"))
        elif has_current_children(plan.unit):
            problems.append(Problem(plan.line, f"đơn vị cũ {plan.old_code} còn đơn vị trực thuộc; bỏ qua"))
        else:
            resolved.append(plan)
    return resolved


def _new_units(plans: list[OldUnitPlan], effective: date, report: ReorganisationReport) -> dict[str, OrgUnit]:
    """The target units by code: those in force (after closing the old ones), else created."""
    wanted = {code: name for plan in plans for code, name in zip(plan.new_codes, plan.new_names)}
    units = {
        u.code: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.code.in_(wanted), OrgUnit.valid_to.is_(None)))
    }
    for code, name in wanted.items():
        if code not in units:
            plan = next(p for p in plans if code in p.new_codes)
            root = db.session.get(OrgUnit, plan.unit.ancestors_ids()[0])
            units[code] = create_unit(code, name, plan.unit.kind, root, valid_from=effective)
            report.created_units += 1
    return units


def _close_emptied_parents(parent_ids: set[int | None], effective: date) -> int:
    """Close the parents (districts) left with no unit and no active person, walking upwards."""
    closed, queue = 0, [pid for pid in parent_ids if pid is not None]
    while queue:
        parent = db.session.get(OrgUnit, queue.pop())
        if parent is None or parent.valid_to is not None or parent.parent_id is None:
            continue
        if is_empty(parent):
            parent.valid_to = effective
            closed += 1
            queue.append(parent.parent_id)
    return closed
