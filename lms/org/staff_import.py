"""Roster import: plan what a roster file changes, then apply it in bulk.

One operation serves ``flask lms staff import`` and the HR upload page: the file is
read by :func:`lms.org.roster_file.read_roster`, every row is checked against the
database (unknown unit, e-mail held by someone else, person outside the HR officer's
scope), and only a file without a single error is written. People are matched by
staff code: new ones are created with a one-time password, known ones updated
(a blank cell never erases a known value), the others counted unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import BinaryIO

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from lms.admin.operations import audit
from lms.auth.models import User, new_session_token
from lms.auth.passwords import one_time_password
from lms.core.access import can_manage_unit
from lms.core.models import utcnow
from lms.core.text import full_name, name_sort_string, search_key
from lms.extensions import db
from lms.org.bulk import bulk_write_cache, chunks, insert_name_words, insert_rows
from lms.org.models import OneTimePassword, OrgUnit, Posting
from lms.org.one_time_passwords import cheap_hash
from lms.org.operations import announce_staff_changes, deactivate_people, post_person
from lms.org.queries import subtree_condition
from lms.org.roster_file import RosterReadResult, RosterRow, RowError, read_roster
from lms.org.roster_units import UnitResolver

REASON = "nhập danh sách cán bộ"
SCAN_ABOVE = 20_000
# Optional fields, with the roster columns that carry them; absent columns leave values alone.
OPTIONAL_FIELDS = {
    "date_of_birth": ("date_of_birth",), "gender": ("gender", "female_mark"), "position": ("position",),
    "email": ("email",), "phone": ("phone",), "category": ("category",),
}
NAME_FIELDS = ("ho", "ten_dem", "ten")
# The user columns a created person's values may hold (absent from the file: NULL, or "" for the position).
_CREATED_COLUMNS = ("staff_code", "unit_id", *NAME_FIELDS, "full_name", "name_key", "sort_key", *OPTIONAL_FIELDS)
# Changes that can move a person in or out of a training target's audience.
AUDIENCE_FIELDS = {"unit_id", "active", "category", "position"}
_EXISTING_COLUMNS = (User.id, *(getattr(User, f) for f in (*NAME_FIELDS, *OPTIONAL_FIELDS)),
                     User.unit_id, User.active)


@dataclass
class Change:
    """One person the import updates, for the preview: which fields change."""

    row: int
    staff_code: str
    name: str
    fields: list[str]


@dataclass
class ImportPlan:
    """Everything an import would do; nothing is written until :func:`apply_plan`."""

    unit: OrgUnit | None = None
    errors: list[RowError] = field(default_factory=list)
    creates: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    leavers: list[int] = field(default_factory=list)

    def summary(self) -> dict:
        """The counts and errors, as ``--json`` prints them."""
        return {
            "created": len(self.creates), "updated": len(self.updates), "unchanged": self.unchanged,
            "deactivated": len(self.leavers),
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


def import_roster(source: str | BinaryIO, filename: str, *, unit: OrgUnit | None = None, viewer=None,
                  deactivate_missing: bool = False, apply: bool = True, start: date | None = None) -> ImportPlan:
    """Read a roster and, if it has no error and ``apply`` is set, write it (flush only).

    :param source: a path or a binary file object
    :param filename: the file's name; its suffix tells XLSX from CSV
    :param unit: rows without a unit go here, and every row's unit must lie in its subtree
    :param viewer: the HR officer importing (``None`` from the command line: no scope limit)
    :param deactivate_missing: deactivate the active people of ``unit``'s subtree missing from the file
    :param apply: ``False`` for a dry run or a preview
    :param start: first day of new postings (today by default)
    """
    if deactivate_missing and unit is None:
        raise ValueError("deactivate_missing needs a unit")
    plan = plan_import(read_roster(source, filename), unit=unit, viewer=viewer, deactivate_missing=deactivate_missing)
    if apply and not plan.errors:
        apply_plan(plan, start or date.today())
    return plan


def plan_import(result: RosterReadResult, *, unit: OrgUnit | None = None, viewer=None,
                deactivate_missing: bool = False) -> ImportPlan:
    """Check every row against the database and sort people into created, updated, unchanged.

    :param result: what :func:`read_roster` read
    :param unit: the unit the import is for (see :func:`import_roster`)
    :param viewer: the HR officer, whose scope limits whom the file may touch
    :param deactivate_missing: also list the people of ``unit`` missing from the file
    """
    plan = ImportPlan(unit=unit, errors=list(result.errors))
    present = [name for name, columns in OPTIONAL_FIELDS.items() if any(c in result.columns for c in columns)]
    rows = [row for row in result.rows if row.staff_code]
    existing = _existing_people([row.staff_code for row in rows])
    checker = _RowChecker(result, UnitResolver(unit, result.columns), viewer, plan.errors)
    checker.check_emails(rows, existing)
    failed = {error.row for error in plan.errors}
    for row in rows:
        unit_id = checker.unit_of(row)
        person = existing.get(row.staff_code)
        if person is not None and not checker.may_touch(row, person):
            continue
        if unit_id is None or row.number in failed:
            continue
        if person is None:
            plan.creates.append(_new_person(row, unit_id, present))
        else:
            _compare(plan, row, person, unit_id, present)
    if deactivate_missing:
        plan.leavers = _missing_people(unit, {row.staff_code for row in rows})
    plan.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return plan


class _RowChecker:
    """Row checks that need the database: unit, e-mail uniqueness, the viewer's scope."""

    def __init__(self, result: RosterReadResult, units: UnitResolver, viewer, errors: list[RowError]):
        self.columns = result.columns
        self.units = units
        self.viewer = viewer
        self.errors = errors
        self._scope: dict[int | None, bool] = {}

    def unit_of(self, row: RosterRow) -> int | None:
        unit_id, problem = self.units.resolve(row)
        if problem:
            self.errors.append(RowError(row.number, problem[0], problem[1]))
        return unit_id

    def may_touch(self, row: RosterRow, person) -> bool:
        """HR may update only people already in their scope; others are an error."""
        if self.viewer is None:
            return True
        if person.unit_id not in self._scope:
            self._scope[person.unit_id] = can_manage_unit(self.viewer, db.session.get(OrgUnit, person.unit_id))
        if not self._scope[person.unit_id]:
            self.errors.append(RowError(row.number, self.columns.get("staff_code"),
                                        f"số hiệu {row.staff_code} thuộc đơn vị ngoài phạm vi quản lý"))
        return self._scope[person.unit_id]

    def check_emails(self, rows: list[RosterRow], existing: dict) -> None:
        """An e-mail may appear once in the file and belong to nobody else in the database."""
        first_row: dict[str, RosterRow] = {}
        for row in rows:
            if row.email and first_row.setdefault(row.email.lower(), row) is not row:
                self._email_error(row, f"email trùng với dòng {first_row[row.email.lower()].number}")
        for email, owner in _email_owners(list(first_row)).items():
            row = first_row[email]
            if owner != row.staff_code:
                self._email_error(row, f"email {row.email} đã được dùng cho cán bộ khác")

    def _email_error(self, row: RosterRow, message: str) -> None:
        self.errors.append(RowError(row.number, self.columns.get("email"), message))


def _matching(stmt, column, values: list[str]):
    """Rows of ``stmt`` whose ``column`` is in ``values``.

    Small lists are looked up; a large file is compared against the whole table in one
    pass, which costs less than binding tens of thousands of parameters.
    """
    if len(values) > SCAN_ABOVE:
        wanted = set(values)
        return (row for row in db.session.execute(stmt.where(column.isnot(None))) if row[0] in wanted)
    return (row for chunk in chunks(values) for row in db.session.execute(stmt.where(column.in_(chunk))))


def _existing_people(codes: list[str]) -> dict:
    stmt = select(User.staff_code, *_EXISTING_COLUMNS)
    return {row.staff_code: row for row in _matching(stmt, User.staff_code, codes)}


def _email_owners(emails: list[str]) -> dict[str, str]:
    email = func.lower(User.email)
    return dict(_matching(select(email, User.staff_code), email, emails))


def _name_columns(row: RosterRow) -> dict:
    return dict(_derived_name(*(getattr(row, name) or "" for name in NAME_FIELDS)))


@lru_cache(maxsize=65536)
def _derived_name(ho: str, ten_dem: str, ten: str) -> tuple:
    """The stored name columns, as :meth:`User.set_name` derives them; names repeat, so cached."""
    name = full_name(ho, ten_dem, ten)
    return (("ho", ho), ("ten_dem", ten_dem), ("ten", ten), ("full_name", name), ("name_key", search_key(name)),
            ("sort_key", name_sort_string(ho, ten_dem, ten)))


def _new_person(row: RosterRow, unit_id: int, present: list[str]) -> dict:
    values = {"staff_code": row.staff_code, "unit_id": unit_id, **_name_columns(row), "position": row.position or ""}
    values.update({name: getattr(row, name) if name in present else None for name in OPTIONAL_FIELDS if name != "position"})
    return values


def _compare(plan: ImportPlan, row: RosterRow, person, unit_id: int, present: list[str]) -> None:
    changes = {name: getattr(row, name) for name in present
               if getattr(row, name) is not None and getattr(row, name) != getattr(person, name)}
    if tuple(getattr(row, n) or "" for n in NAME_FIELDS) != tuple(getattr(person, n) for n in NAME_FIELDS):
        changes.update(_name_columns(row))
    if unit_id != person.unit_id:
        changes["unit_id"] = unit_id
    if not person.active:
        changes["active"] = True
    if not changes:
        plan.unchanged += 1
        return
    plan.updates.append({"id": person.id, **changes})
    shown = sorted({"name" if key in NAME_FIELDS or key.endswith("_key") or key == "full_name" else key for key in changes})
    plan.changes.append(Change(row.number, row.staff_code, row.full_name, shown))


def _missing_people(unit: OrgUnit, codes: set[str]) -> list[int]:
    stmt = (
        select(User.id, User.staff_code).join(OrgUnit, User.unit_id == OrgUnit.id)
        .where(subtree_condition(unit), User.active)
    )
    return [user_id for user_id, code in db.session.execute(stmt) if code not in codes]


def apply_plan(plan: ImportPlan, start: date) -> None:
    """Write a plan without errors: bulk inserts and updates, postings, one-time passwords.

    :param plan: the result of :func:`plan_import`
    :param start: first day of the postings it opens or ends
    """
    if plan.errors:
        raise ValueError("a plan with errors is never applied")
    changed = _create(plan.creates, start) + _update(plan.updates, start)
    leavers = list(db.session.scalars(select(User).where(User.id.in_(plan.leavers)).options(selectinload(User.postings))))
    for person in leavers:
        audit("staff.deactivated", person, unit_id=person.unit_id, reason=REASON)
    deactivate_people(leavers, start, announce=False)
    # One announcement for the whole file: training targets refresh these people, or rebuild.
    announce_staff_changes(changed + [person.id for person in leavers])
    audit("staff.imported", plan.unit, unit_id=plan.unit.id if plan.unit else None,
          **{k: v for k, v in plan.summary().items() if k != "errors"})


def _create(creates: list[dict], start: date) -> list[int]:
    """Insert people, then their first postings and one-time passwords; returns their ids.

    Plain tuples made in one pass go straight to the driver (:func:`lms.org.bulk.insert_rows`):
    no ORM object, no per-row parameter dictionary.
    """
    floor = db.session.scalar(select(func.max(User.id))) or 0
    now = utcnow()
    passwords = [one_time_password() for _ in creates]
    stamps = {"created_at": now, "updated_at": now}
    columns = itemgetter(*_CREATED_COLUMNS)
    rows = ((*columns(values), cheap_hash(password), new_session_token()) for values, password in zip(creates, passwords))
    with bulk_write_cache():
        insert_rows(User.__table__, [*_CREATED_COLUMNS, "password_hash", "session_token"], rows,
                    {"must_change_password": True, "active": True, "failed_logins": 0, **stamps})
        ids = dict(db.session.execute(select(User.staff_code, User.id).where(User.id > floor)).all())
        new_ids = [ids[values["staff_code"]] for values in creates]
        insert_rows(Posting.__table__, ["user_id", "unit_id"],
                    ((user_id, values["unit_id"]) for user_id, values in zip(new_ids, creates)),
                    {"start_date": start, "reason": REASON, "end_date": None, **stamps})
        insert_rows(OneTimePassword.__table__, ["user_id", "password"], zip(new_ids, passwords), {"created_at": now})
        insert_name_words((user_id, values["name_key"]) for user_id, values in zip(new_ids, creates))
    return new_ids


def _update(updates: list[dict], start: date) -> list[int]:
    """Bulk-update fields; moves and returns go through postings, one person at a time.

    :return: the people whose unit, activity, category or position changed (what targets read)
    """
    changed = [u["id"] for u in updates if AUDIENCE_FIELDS.intersection(u)]
    movers = {u["id"]: u.pop("unit_id", None) for u in updates if "unit_id" in u or "active" in u}
    for batch in chunks([u for u in updates if len(u) > 1]):
        db.session.execute(update(User), batch)
    insert_name_words(((u["id"], u["name_key"]) for u in updates if "name_key" in u), replace=True)
    if not movers:
        return changed
    for person in db.session.scalars(select(User).where(User.id.in_(movers)).options(selectinload(User.postings))):
        unit = db.session.get(OrgUnit, movers[person.id] or person.unit_id)
        post_person(person, unit, start, reason=REASON)
    return changed
