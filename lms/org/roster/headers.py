"""Recognising the header row of a roster and which column holds which field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.core.text import search_key

HEADER_SEARCH_ROWS = 20

# Header texts folded by header_key(); Vietnamese and English, as HR offices write them.
ALIASES = {
    "staff_code": (
        "so hieu", "so hieu cb", "so hieu can bo", "so hieu cbccvc", "so hieu cong chuc",
        "ma can bo", "ma cb", "ma cbcc", "ma cbccvc", "ma so", "ma nhan vien", "ma nv",
        "staff code", "staff id", "employee code", "employee id",
    ),
    "full_name": ("ho va ten", "ho ten", "ho va ten can bo", "full name", "name"),
    "ho": ("ho", "family name", "surname", "last name"),
    "ho_dem": ("ho va ten dem", "ho va dem", "ho dem", "ho va chu dem", "ho lot"),
    "ten_dem": ("ten dem", "dem", "chu dem", "ten lot", "middle name"),
    "ten": ("ten", "first name", "given name"),
    "date_of_birth": (
        "ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "sinh ngay",
        "date of birth", "birth date", "birthday", "dob",
    ),
    "gender": ("gioi tinh", "gender", "sex", "phai"),
    "female_mark": ("nu",),
    "position": ("chuc vu", "chuc vu chuc danh", "position", "job title"),
    "unit_code": ("ma don vi", "ma dv", "ma dvqhns", "unit code"),
    "unit_name": (
        "don vi", "ten don vi", "don vi cong tac", "co quan don vi", "co quan",
        "noi cong tac", "unit", "unit name",
    ),
    "email": ("email", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "phone": (
        "dien thoai", "so dien thoai", "dien thoai di dong", "di dong", "so dt", "sdt",
        "dt", "phone", "phone number", "mobile",
    ),
    "category": ("ngach", "loai", "phan loai", "loai can bo", "phan loai can bo", "category"),
    "level": ("cap", "level", "cap don vi", "cap hanh chinh"),
    "ignored": ("stt", "tt", "so tt", "no"),
}
FIELD_OF_KEY = {key: name for name, keys in ALIASES.items() for key in keys}

_PARENTHESES = re.compile(r"\(.*?\)")
_NOT_WORD = re.compile(r"[^a-z0-9 ]")


@dataclass(frozen=True, slots=True)
class Column:
    """A recognised column: its 0-based position and its header text in the file."""

    index: int
    header: str


def header_key(text: str) -> str:
    """Fold a header cell for matching: no diacritics, case, notes in parentheses.

    ``"Ngày, tháng, năm sinh (dd/mm/yyyy)"`` gives ``"ngay thang nam sinh"``.

    :param text: the header cell as text
    """
    key = _PARENTHESES.sub(" ", search_key(text))
    return " ".join(_NOT_WORD.sub("", key).split())


def match_columns(cells: list[str | None]) -> dict[str, Column]:
    """Map each field to the first column whose header names it.

    :param cells: the cleaned texts of one row (``None`` for an empty cell)
    """
    columns: dict[str, Column] = {}
    for index, text in enumerate(cells):
        name = FIELD_OF_KEY.get(header_key(text)) if text else None
        if name and name not in columns:
            columns[name] = Column(index, text)
    columns.pop("ignored", None)
    return columns


def looks_like_header(columns: dict[str, Column]) -> bool:
    """A header names at least two fields, one of them the staff code or a name.

    Title rows (``DANH SÁCH CÁN BỘ, CÔNG CHỨC ...``) are single cells that match no
    alias, so they never qualify.

    :param columns: the result of :func:`match_columns` for one row
    """
    identifying = {"staff_code", "full_name", "ten", "ho_dem"}
    return len(columns) >= 2 and bool(identifying & columns.keys())


def missing_columns(columns: dict[str, Column]) -> list[str]:
    """Vietnamese descriptions of the required columns the header lacks.

    :param columns: the recognised columns of the header row
    """
    missing = []
    if "staff_code" not in columns:
        missing.append("Số hiệu (Mã cán bộ)")
    if "full_name" not in columns and "ten" not in columns:
        missing.append("Họ và tên (hoặc Họ, Tên đệm, Tên)")
    return missing
