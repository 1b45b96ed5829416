"""Import of administrative units from the ``code,name,type,parent_code`` CSV format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lms.core.text import nfc, search_key
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.org.operations import create_unit, rename_unit

# The GSO's unit types, folded to search keys, and the kind of unit each one is.
KIND_OF_TYPE = {
    "tinh": "province",
    "thanh pho truc thuoc trung uong": "province",
    "thanh pho": "district",
    "thi xa": "district",
    "huyen": "district",
    "quan": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    "dac khu": "commune",
}
REQUIRED_COLUMNS = ("code", "name", "type", "parent_code")


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str


@dataclass
class UnitImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def read_unit_rows(text: str, source: str = "units.csv") -> tuple[list[UnitRow], list[str]]:
    """Parse the CSV text into rows, with ``FILE:LINE: message`` errors.

    :param text: the CSV content (UTF-8 already decoded)
    :param source: the file name used in error messages
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"{source}:1: missing columns: {', '.join(missing)}"]
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        row, problem = _unit_row(line, raw)
        if problem is None and row.code in seen:
            problem = f"code {row.code} already on line {seen[row.code]}"
        if problem:
            errors.append(f"{source}:{line}: {problem}")
            continue
        seen[row.code] = line
        rows.append(row)
    errors.extend(_parent_errors(rows, source))
    return rows, errors


def _unit_row(line: int, raw: dict) -> tuple[UnitRow | None, str | None]:
    code, name = nfc(raw.get("code")) or "", nfc(raw.get("name")) or ""
    unit_type, parent_code = nfc(raw.get("type")) or "", nfc(raw.get("parent_code")) or ""
    if not code or not name:
        return None, "code and name are required"
    kind = KIND_OF_TYPE.get(search_key(unit_type))
    if kind is None:
        return None, f"unknown unit type {unit_type!r}"
    return UnitRow(line, code, name, kind, parent_code), None


def _parent_errors(rows: list[UnitRow], source: str) -> list[str]:
    codes = {row.code for row in rows}
    existing = set(db.session.scalars(select(OrgUnit.code).where(OrgUnit.valid_to.is_(None))))
    return [
        f"{source}:{row.line}: unknown parent code {row.parent_code}"
        for row in rows
        if row.parent_code and row.parent_code not in codes and row.parent_code not in existing
    ]


def import_units(rows: list[UnitRow], *, valid_from: date | None = None) -> UnitImportReport:
    """Create or update the units in force, parents before children (flush only).

    :param rows: validated rows from :func:`read_unit_rows`
    :param valid_from: first day in force of the units created
    """
    report = UnitImportReport()
    current = {u.code: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.valid_to.is_(None)))}
    for row in _parents_first(rows):
        parent = current.get(row.parent_code) if row.parent_code else None
        unit = current.get(row.code)
        if unit is None:
            current[row.code] = create_unit(row.code, row.name, row.kind, parent, valid_from=valid_from)
            report.created += 1
        elif unit.name != row.name or unit.kind != row.kind:
            rename_unit(unit, row.name)
            unit.kind = row.kind
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _parents_first(rows: list[UnitRow]) -> list[UnitRow]:
    by_code = {row.code: row for row in rows}

    def depth(row: UnitRow) -> int:
        steps = 0
        while row.parent_code in by_code and steps < len(by_code):
            row, steps = by_code[row.parent_code], steps + 1
        return steps

    return sorted(rows, key=depth)
