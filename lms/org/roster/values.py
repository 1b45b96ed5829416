"""Turning raw cell values into clean text, dates and codes, with Vietnamese errors."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from lms.core.legacy_encodings import detect_legacy, to_unicode
from lms.core.text import clean_text, search_key

EARLIEST_BIRTH_YEAR = 1940
MINIMUM_AGE = 15

_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_TEXT_FORMULA = re.compile(r'="(.*)"', re.DOTALL)
_SERIAL = re.compile(r"\d{1,5}")
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}")

GENDER_OF_KEY = {"nam": "nam", "male": "nam", "m": "nam", "nu": "nu", "female": "nu", "f": "nu"}
# Category keys with spaces and punctuation removed ("HĐ 68" -> "hd68").
_CATEGORY_PREFIXES = (
    ("hopdong", "hop_dong"), ("hd", "hop_dong"), ("laodonghopdong", "hop_dong"), ("contract", "hop_dong"),
    ("canbo", "can_bo"), ("congchuc", "cong_chuc"), ("vienchuc", "vien_chuc"),
    ("civilservant", "cong_chuc"), ("publicemployee", "vien_chuc"), ("cadre", "can_bo"),
)
_CATEGORY_CODES = {"cb": "can_bo", "cc": "cong_chuc", "vc": "vien_chuc", "official": "can_bo"}


def prepare_text(raw: str, hint: str | None, cp1258: bool) -> tuple[str | None, str | None]:
    """Clean one text cell, converting it from TCVN3/VNI when it is legacy text.

    :param raw: the cell text; for a CSV that is not UTF-8, its Latin-1 reading
    :param hint: the legacy encoding already seen in this file, if any
    :param cp1258: whether text that is not legacy should be re-read as Windows-1258
    :return: the cleaned text (``None`` if blank) and the legacy encoding used
    """
    if raw.startswith('="'):
        raw = unwrap_text_formula(raw)
    if raw.isascii():
        return " ".join(raw.split()) or None, None
    encoding = detect_legacy(raw, hint)
    if encoding:
        text = to_unicode(raw, encoding)
    elif cp1258:
        text = raw.encode("latin-1").decode("cp1258", errors="replace")
    else:
        text = raw
    return clean_text(text) or None, encoding


def unwrap_text_formula(value: str) -> str:
    """``="00123"``, Excel users' way to keep leading zeros in a CSV, gives ``00123``.

    :param value: the raw cell text
    """
    match = _EXCEL_TEXT_FORMULA.fullmatch(value)
    return match[1] if match else value


def number_text(value: int | float) -> str:
    """Write a numeric cell as Excel shows it in General format: ``123.0`` is ``123``.

    Leading zeros of a code typed into a numeric cell are already gone in the file
    and cannot be recovered.

    :param value: the number read from the cell
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_birth_date(value: object, epoch: datetime, today: date) -> tuple[date | None, str | None]:
    """Read a date of birth and check that it is plausible.

    Accepts date cells, Excel serial numbers (numeric cells, or up to five digits in
    text), ``d/m/yyyy`` with ``/``, ``-`` or ``.``, and ``yyyy-mm-dd``.

    :param value: the raw cell value (already cleaned if text)
    :param epoch: the workbook's date system (1900 or 1904)
    :param today: the reference day for the minimum age
    :return: the date, or ``None`` and the error message
    """
    try:
        born = _to_date(value, epoch)
    except (ValueError, OverflowError):
        born = None
    if born is None:
        return None, f"ngày sinh không hợp lệ: {_shown(value)}"
    if born.year < EARLIEST_BIRTH_YEAR:
        return None, f"ngày sinh không hợp lệ: {_shown(value)} (năm sinh trước {EARLIEST_BIRTH_YEAR})"
    if born > _years_before(today, MINIMUM_AGE):
        return None, f"ngày sinh không hợp lệ: {_shown(value)} (chưa đủ {MINIMUM_AGE} tuổi)"
    return born, None


def _to_date(value: object, epoch: datetime) -> date | None:
    """The date a cell holds, ``None`` when it does not look like a date at all."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value, epoch)
    text = str(value)
    if match := _DAY_FIRST.fullmatch(text):
        return date(int(match[4]), int(match[3]), int(match[1]))
    if match := _ISO.fullmatch(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if _SERIAL.fullmatch(text):
        return _from_serial(int(text), CALENDAR_WINDOWS_1900)
    return None


def _from_serial(serial: float, epoch: datetime) -> date | None:
    """Convert an Excel serial day number; serial 0 is not a day."""
    converted = from_excel(serial, epoch) if serial >= 1 else None
    return converted.date() if isinstance(converted, datetime) else None


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _shown(value: object) -> str:
    """A cell value as the user sees it, for error messages."""
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


@lru_cache(maxsize=1024)
def parse_gender(text: str) -> str | None:
    """``"nam"`` or ``"nu"`` for Nam/Nữ/Male/Female/M/F, else ``None``.

    :param text: the cleaned cell text
    """
    return GENDER_OF_KEY.get(search_key(text).replace(".", ""))


@lru_cache(maxsize=1024)
def parse_category(text: str) -> str | None:
    """The staff category of a cell such as ``Công chức`` or ``HĐ 68``, else ``None``.

    :param text: the cleaned cell text
    """
    compact = re.sub(r"[^a-z0-9]", "", search_key(text))
    if compact in _CATEGORY_CODES:
        return _CATEGORY_CODES[compact]
    for prefix, category in _CATEGORY_PREFIXES:
        if compact.startswith(prefix):
            return category
    return None


def is_email(text: str) -> bool:
    """Tell whether ``text`` is a plausible single e-mail address.

    :param text: the cleaned cell text
    """
    return _EMAIL.fullmatch(text) is not None
