"""Finding the unit of each roster row: by unit code, else by unit name, else the import's unit."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from lms.core.text import search_key
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.org.queries import subtree_condition
from lms.org.roster_file import RosterRow


class UnitResolver:
    """Looks units up among those in force, inside ``unit``'s subtree when one is given.

    A unit outside that subtree is reported exactly as an unknown one.
    """

    def __init__(self, unit: OrgUnit | None, columns: dict[str, str]):
        self.unit = unit
        self.columns = columns
        stmt = select(OrgUnit.id, OrgUnit.code, OrgUnit.name_key).where(OrgUnit.valid_to.is_(None))
        if unit is not None:
            stmt = stmt.where(subtree_condition(unit))
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for unit_id, code, name_key in db.session.execute(stmt):
            self.by_code[code] = unit_id
            self.by_name[name_key].append(unit_id)

    def resolve(self, row: RosterRow) -> tuple[int | None, tuple[str | None, str] | None]:
        """The row's unit id, or ``None`` and ``(column, message)``.

        :param row: a row read from the roster
        """
        where = f" trong {self.unit.name}" if self.unit else ""
        if row.unit_code:
            if row.unit_code in self.by_code:
                return self.by_code[row.unit_code], None
            return None, (self.columns.get("unit_code"), f"không có đơn vị mã {row.unit_code}{where}")
        if row.unit_name:
            return self._by_name(row.unit_name, where)
        if self.unit is not None:
            return self.unit.id, None
        return None, (None, "thiếu đơn vị (cần cột Mã đơn vị hoặc Đơn vị, hoặc chọn đơn vị khi nhập)")

    def _by_name(self, name: str, where: str) -> tuple[int | None, tuple[str | None, str] | None]:
        matches = self.by_name.get(search_key(name), [])
        column = self.columns.get("unit_name")
        if not matches:
            return None, (column, f"không có đơn vị tên {name}{where}")
        if len(matches) > 1:
            return None, (column, f"có nhiều đơn vị tên {name}: hãy dùng mã đơn vị")
        return matches[0], None
