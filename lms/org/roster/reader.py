"""Reading a roster file: find the header, stream the rows, validate each one."""

from __future__ import annotations

import csv
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, datetime
from typing import BinaryIO

from openpyxl.utils.exceptions import InvalidFileException

from lms.core.legacy_encodings import TCVN3, restore_tcvn3_name_case
from lms.core.text import split_full_name
from lms.org.roster.headers import HEADER_SEARCH_ROWS, Column, looks_like_header, match_columns, missing_columns
from lms.org.roster.model import RosterReadResult, RosterRow, RowError
from lms.org.roster.sources import Sheet, UnreadableFile, open_sheets
from lms.org.roster.values import is_email, number_text, parse_birth_date, parse_category, parse_gender, prepare_text

# What a damaged or mislabelled file raises from zipfile, openpyxl, the XML parsers
# (their errors derive from SyntaxError) and csv.
_BROKEN_FILE_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, SyntaxError, csv.Error, EOFError)
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")
_PLAIN_TEXT_FIELDS = ("position", "unit_code", "unit_name", "phone", "level")


def read_roster(path_or_file: str | os.PathLike | BinaryIO, filename: str) -> RosterReadResult:
    """Read an HR staff roster from an XLSX or CSV file.

    The header row is looked for in the first 20 rows of each worksheet in turn; the
    first worksheet that has one is read. Rows stream from the file, so large rosters
    never sit in memory as spreadsheet objects. Units are not checked here. Staff
    codes stay text; a code typed into a numeric Excel cell (``123.0``) reads as
    ``"123"``, its leading zeros already lost in the file.

    :param path_or_file: a path, or a binary file object (rewound before reading)
    :param filename: the file's name as uploaded; ``.xlsx``/``.xlsm`` or ``.csv``/``.txt``
    :return: the rows and the errors, each naming its Excel row and header text
    """
    with ExitStack() as stack:
        try:
            return _read_first_table(open_sheets(path_or_file, filename, stack))
        except UnreadableFile as error:
            return _file_error(str(error))
        except _BROKEN_FILE_ERRORS:
            return _file_error(f"không đọc được tệp {filename}: tệp hỏng hoặc không đúng định dạng")


def _file_error(message: str) -> RosterReadResult:
    return RosterReadResult(errors=[RowError(None, None, message)])


def _read_first_table(sheets: Iterator[Sheet]) -> RosterReadResult:
    """Read the first sheet that has a header row."""
    for sheet in sheets:
        cells = _CellReader(sheet.cp1258)
        header = _find_header(sheet, cells)
        if header:
            return _read_rows(sheet, *header, cells)
    return _file_error(
        f"không tìm thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu "
        "(cần các cột như “Số hiệu”, “Họ và tên”, “Ngày sinh”)"
    )


class _CellReader:
    """Turns cell values into clean text, remembering the legacy encoding of the file.

    Once one cell is clearly TCVN3 or VNI, later cells that read as well either way
    (``Tó`` is ``Tú`` in TCVN3) are converted too. Non-ASCII results are cached, up
    to a bound: unit names, positions and name parts repeat on most rows.
    """

    CACHE_SIZE = 50_000

    def __init__(self, cp1258: bool):
        self.cp1258 = cp1258
        self.hint: str | None = None
        self.cache: dict[str, tuple[str | None, str | None]] = {}

    def text(self, value: object) -> tuple[str | None, str | None]:
        """The cleaned text of a cell and the legacy encoding it was converted from."""
        if not isinstance(value, str):
            return (None if value is None else _non_text(value)), None
        if value.isascii() and not value.startswith('="'):
            return " ".join(value.split()) or None, None
        found = self.cache.get(value)
        if found is None:
            found = prepare_text(value, self.hint, self.cp1258)
            if found[1] and not self.hint:
                self.hint = found[1]
                self.cache.clear()  # earlier results were made without the hint
            if len(self.cache) < self.CACHE_SIZE:
                self.cache[value] = found
        return found


def _non_text(value: object) -> str:
    """Numbers as Excel shows them in General format, dates as dd/mm/yyyy."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _find_header(sheet: Sheet, cells: _CellReader) -> tuple[int, dict[str, Column]] | None:
    """The header row's number and columns, reading no further than the header."""
    for number, values in sheet.rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        columns = match_columns([cells.text(value)[0] for value in values])
        if looks_like_header(columns):
            return number, columns
    return None


def _read_rows(sheet: Sheet, header_row: int, columns: dict[str, Column], cells: _CellReader) -> RosterReadResult:
    """Parse every row below the header, then note what was found in the file."""
    result = RosterReadResult(
        sheet=sheet.name, header_row=header_row, columns={name: column.header for name, column in columns.items()}
    )
    missing = missing_columns(columns)
    if missing:
        result.errors.append(RowError(header_row, None, f"thiếu cột: {', '.join(missing)}"))
        return result
    parser = _RowParser(columns, cells, sheet.epoch, result.errors)
    for number, values in sheet.rows:
        row = parser.parse(number, values)
        if row:
            result.rows.append(row)
    result.legacy_encoding = cells.hint
    return result


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_column_numbering(values) -> bool:
    """Whether a row only numbers the columns: ``1 2 3`` or ``(1) (2) (3)``."""
    filled = [_non_text(value).strip() for value in values if not _is_blank(value)]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.fullmatch(text) for text in filled)


class _RowParser:
    """Builds a :class:`RosterRow` from each data row and records its errors."""

    def __init__(self, columns: dict[str, Column], cells: _CellReader, epoch: datetime, errors: list[RowError]):
        self.columns = columns
        self.cells = cells
        self.epoch = epoch
        self.errors = errors
        self.today = date.today()
        self.first_row_of_code: dict[str, int] = {}
        # Government forms often number their columns (1) (2) (3) under the header.
        self.expect_column_numbers = True

    def parse(self, number: int, values: tuple) -> RosterRow | None:
        """The row's person, or ``None`` for a blank row or a column-numbering row."""
        width = len(values)
        raw = {name: values[column.index] if column.index < width else None for name, column in self.columns.items()}
        if all(map(_is_blank, raw.values())):
            return None
        if self.expect_column_numbers:
            self.expect_column_numbers = False
            if _is_column_numbering(raw.values()):
                return None
        row = RosterRow(number)
        for name in _PLAIN_TEXT_FIELDS:
            setattr(row, name, self.cells.text(raw.get(name))[0])
        self._staff_code(row, raw)
        self._name(row, raw)
        self._birth_date(row, raw)
        self._gender(row, raw)
        self._category(row, raw)
        self._email(row, raw)
        return row

    def error(self, row: RosterRow, name: str, message: str) -> None:
        self.errors.append(RowError(row.number, self.columns[name].header, message))

    def _staff_code(self, row: RosterRow, raw: dict) -> None:
        """Require a staff code, unique in the file (case-insensitively)."""
        row.staff_code = self.cells.text(raw["staff_code"])[0]
        if not row.staff_code:
            self.error(row, "staff_code", "thiếu số hiệu cán bộ")
            return
        first = self.first_row_of_code.setdefault(row.staff_code.casefold(), row.number)
        if first != row.number:
            self.error(row, "staff_code", f"số hiệu trùng với dòng {first}")

    def _name(self, row: RosterRow, raw: dict) -> None:
        if "full_name" in raw:
            row.ho, row.ten_dem, row.ten = (part or None for part in split_full_name(self._name_text(raw["full_name"])))
        else:
            self._name_parts(row, raw)
        if not row.ten:
            self.error(row, "full_name" if "full_name" in raw else "ten", "thiếu họ tên")

    def _name_parts(self, row: RosterRow, raw: dict) -> None:
        """Separate columns: Họ + Tên đệm + Tên, or Họ và tên đệm + Tên."""
        family = self._name_text(raw.get("ho_dem", raw.get("ho")))
        row.ten = self._name_text(raw.get("ten"))
        if "ten_dem" in raw and "ho_dem" not in raw:
            row.ho, row.ten_dem = family, self._name_text(raw["ten_dem"])
        elif family:
            row.ho, _, dem = family.partition(" ")
            row.ten_dem = dem or None

    def _name_text(self, value: object) -> str | None:
        text, encoding = self.cells.text(value)
        return restore_tcvn3_name_case(text) if text and encoding == TCVN3 else text

    def _birth_date(self, row: RosterRow, raw: dict) -> None:
        value = raw.get("date_of_birth")
        if isinstance(value, str):
            value = self.cells.text(value)[0]
        if _is_blank(value):
            return
        row.date_of_birth, message = parse_birth_date(value, self.epoch, self.today)
        if message:
            self.error(row, "date_of_birth", message)

    def _gender(self, row: RosterRow, raw: dict) -> None:
        if "gender" in raw:
            text = self.cells.text(raw["gender"])[0]
            row.gender = parse_gender(text) if text else None
            if text and not row.gender:
                self.error(row, "gender", f"giới tính không hợp lệ: {text}")
        elif "female_mark" in raw:
            # A "Nữ" column is ticked (x, X, 1...) for women and left empty for men.
            row.gender = "nam" if _is_blank(raw["female_mark"]) else "nu"

    def _category(self, row: RosterRow, raw: dict) -> None:
        text = self.cells.text(raw.get("category"))[0]
        row.category = parse_category(text) if text else None
        if text and not row.category:
            self.error(row, "category", f"phân loại không hợp lệ: {text}")

    def _email(self, row: RosterRow, raw: dict) -> None:
        text = self.cells.text(raw.get("email"))[0]
        if text and not is_email(text):
            self.error(row, "email", f"email không hợp lệ: {text}")
            text = None
        row.email = text
