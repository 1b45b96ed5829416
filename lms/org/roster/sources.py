"""Streaming the rows of an XLSX or CSV file as ``(row number, values)`` pairs."""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
_CHUNK = 1 << 20
_DELIMITERS = (",", ";", "\t")

Rows = Iterator[tuple[int, Sequence]]


class UnreadableFile(Exception):
    """The file is not a spreadsheet this reader understands; the message says why."""


@dataclass
class Sheet:
    """One table of values: rows numbered as Excel shows them, 1-based.

    ``cp1258`` is set for a CSV in no Unicode encoding: its cells hold the Latin-1 reading
    of the bytes, to be checked for TCVN3/VNI and otherwise re-read as Windows-1258.
    """

    name: str | None
    rows: Rows
    epoch: datetime = CALENDAR_WINDOWS_1900
    cp1258: bool = False


def open_sheets(source: str | os.PathLike | BinaryIO, filename: str, stack: ExitStack) -> Iterator[Sheet]:
    """Yield the sheets of the file: every worksheet of an XLSX, the one table of a CSV.

    :param source: a path or a binary file object
    :param filename: the name the user gave the file; its suffix tells the format
    :param stack: closes the file and workbook when the caller is done
    :raises UnreadableFile: for an unsupported suffix
    """
    suffix = os.path.splitext(filename.lower())[1]
    if suffix in XLSX_SUFFIXES:
        return _xlsx_sheets(_binary(source, stack), stack)
    if suffix in CSV_SUFFIXES:
        return iter([_csv_sheet(_binary(source, stack), stack)])
    if suffix == ".xls":
        raise UnreadableFile("tệp .xls (Excel 97-2003) chưa được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv")
    raise UnreadableFile(f"định dạng tệp không được hỗ trợ: {filename} (cần .xlsx hoặc .csv)")


def _xlsx_sheets(source: BinaryIO, stack: ExitStack) -> Iterator[Sheet]:
    """Worksheets of a workbook opened read-only, so rows stream from the zip."""
    workbook = load_workbook(source, read_only=True, data_only=True)
    stack.callback(workbook.close)
    for worksheet in workbook.worksheets:
        # Some generators write a wrong <dimension>; without it openpyxl reads every row.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(min_row=1, min_col=1, values_only=True)
        yield Sheet(worksheet.title, enumerate(rows, start=1), workbook.epoch)


def _binary(source: str | os.PathLike | BinaryIO, stack: ExitStack) -> BinaryIO:
    """A seekable binary file for ``source``: zip archives seek, CSV detection reads twice."""
    if isinstance(source, (str, os.PathLike)):
        return stack.enter_context(open(source, "rb"))
    if source.seekable():
        source.seek(0)
        return source
    copy = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=16 * _CHUNK))
    shutil.copyfileobj(source, copy, _CHUNK)
    copy.seek(0)
    return copy


def _csv_sheet(binary: BinaryIO, stack: ExitStack) -> Sheet:
    """The CSV as one sheet: UTF-16 or UTF-8 (with or without BOM), else Latin-1 + Windows-1258."""
    encoding = _unicode_encoding(binary)
    legacy = encoding is None
    encoding = encoding or "latin-1"
    head = binary.read(64 * 1024).decode(encoding, errors="ignore")
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    # Detach on exit so that closing the wrapper never closes the caller's file.
    stack.callback(text.detach)
    reader = csv.reader(text, delimiter=_delimiter(head))
    return Sheet(None, enumerate(reader, start=1), cp1258=legacy)


def _unicode_encoding(binary: BinaryIO) -> str | None:
    """``utf-16`` after its BOM (Excel's "Unicode Text"), ``utf-8-sig`` if valid, else ``None``."""
    start = binary.read(2)
    binary.seek(0)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    return "utf-8-sig" if _is_utf8(binary) else None


def _is_utf8(binary: BinaryIO) -> bool:
    """Whether the whole file decodes as UTF-8, read in chunks; rewinds the file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        binary.seek(0)
    return True


def _delimiter(head: str) -> str:
    """The most frequent of comma, semicolon and tab in the first lines.

    Excel writes ``;`` instead of ``,`` where the list separator is set so.
    """
    sample = "\n".join(head.splitlines()[:20])
    return max(_DELIMITERS, key=sample.count)

