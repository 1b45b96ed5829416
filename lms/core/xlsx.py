"""Writing XLSX exports: openpyxl write-only mode, cells safe from formula injection.

Every export of the application (staff lists, reports, the audit log, certificate
registers) goes through :func:`neutralise`: names and codes come from imported files
and may start with ``=``, ``+``, ``-`` or ``@``, which a spreadsheet would run.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime

from openpyxl import Workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is read as a formula by Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Sheet = tuple[str, Iterable[object], Iterable[Iterable[object]]]


def neutralise(value: object) -> object:
    """``value`` as an export cell: text a spreadsheet would run as a formula gets a leading ``'``.

    :param value: text, number, date or ``None``; aware datetimes lose their zone (Excel has none)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX file with one worksheet per ``(title, header, rows)``, written in write-only mode.

    :param sheets: each worksheet's name (cut to Excel's 31 characters), column titles and rows
    """
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([neutralise(str(value)) for value in header])
        for row in rows:
            sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
