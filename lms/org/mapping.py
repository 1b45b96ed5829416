"""Reading a reform table (``new_code,new_name,old_code,old_name,kind``) into one plan per old unit.

The official table is good but not infallible data: every odd row is reported as a
:class:`Problem` with its line number and skipped, never crashed on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from lms.core.text import clean_text
from lms.org.models import SUCCESSION_KINDS, OrgUnit

COLUMNS = ("new_code", "new_name", "old_code", "old_name", "kind")


@dataclass(frozen=True)
class MappingRow:
    line: int
    new_code: str
    new_name: str
    old_code: str
    old_name: str
    kind: str


@dataclass(frozen=True)
class Problem:
    """Something odd in the table; ``line`` is the CSV line (1 is the header)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message}" if self.line else self.message


@dataclass
class OldUnitPlan:
    """What happens to one old unit: ``full`` into one new unit, or ``partial`` into several."""

    line: int
    old_code: str
    kind: str
    new_codes: list[str] = field(default_factory=list)
    new_names: list[str] = field(default_factory=list)
    unit: OrgUnit | None = None


def read_mapping(text: str) -> tuple[list[MappingRow], list[Problem]]:
    """Parse the table; rows with a blank field or an unknown kind become problems.

    :param text: the CSV content (a leading BOM is ignored)
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(1, f"thiếu cột: {', '.join(missing)}")]
    rows, problems, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        values = {c: clean_text(raw.get(c)) or "" for c in COLUMNS}
        values["kind"] = values["kind"].lower()
        problem = _row_problem(values, seen)
        if problem:
            problems.append(Problem(line, problem))
            continue
        seen.add((values["old_code"], values["new_code"]))
        rows.append(MappingRow(line, **values))
    return rows, problems


def _row_problem(values: dict[str, str], seen: set[tuple[str, str]]) -> str | None:
    blank = [c for c in COLUMNS if not values[c]]
    if blank:
        return f"thiếu giá trị: {', '.join(blank)}"
    if values["kind"] not in SUCCESSION_KINDS:
        return f"loại không hợp lệ: {values['kind']} (cần full hoặc partial)"
    if (values["old_code"], values["new_code"]) in seen:
        return f"cặp {values['old_code']} → {values['new_code']} đã có ở dòng trước; bỏ qua"
    return None


def plan_by_old_unit(rows: list[MappingRow], problems: list[Problem]) -> list[OldUnitPlan]:
    """Group rows by old unit, keeping only consistent groups.

    A ``full`` old unit has exactly one row; a ``partial`` one has at least two rows,
    all ``partial``. A new code must carry the same name on every row. Anything else
    is a problem, and the old unit is left out.

    :param rows: the rows of :func:`read_mapping`
    :param problems: where problems are appended
    """
    names = _new_names(rows, problems)
    plans: dict[str, OldUnitPlan] = {}
    for row in rows:
        plan = plans.setdefault(row.old_code, OldUnitPlan(row.line, row.old_code, row.kind))
        plan.new_codes.append(row.new_code)
        plan.new_names.append(names[row.new_code])
        if row.kind != plan.kind:
            plan.kind = "mixed"
    return [plan for plan in plans.values() if _consistent(plan, problems)]


def _new_names(rows: list[MappingRow], problems: list[Problem]) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in rows:
        first = names.setdefault(row.new_code, row.new_name)
        if first != row.new_name:
            problems.append(Problem(row.line, f"đơn vị mới {row.new_code} có tên khác dòng trước ({first}); dùng tên {first}"))
    return names


def _consistent(plan: OldUnitPlan, problems: list[Problem]) -> bool:
    if plan.kind == "mixed":
        message = f"đơn vị cũ {plan.old_code} vừa sáp nhập toàn bộ vừa chia tách; bỏ qua"
    elif plan.kind == "full" and len(plan.new_codes) > 1:
        message = f"đơn vị cũ {plan.old_code} sáp nhập toàn bộ vào {len(plan.new_codes)} đơn vị; bỏ qua"
    elif plan.kind == "partial" and len(plan.new_codes) < 2:
        message = f"đơn vị cũ {plan.old_code} chia tách nhưng chỉ có một đơn vị mới; bỏ qua"
    else:
        return True
    problems.append(Problem(plan.line, message))
    return False
