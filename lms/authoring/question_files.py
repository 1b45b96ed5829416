"""An uploaded question file (GIFT, Aiken or XLSX) read into questions, checked by content."""

from __future__ import annotations

import re

from lms.authoring.xlsx_questions import read_xlsx_questions
from lms.quizzes.aiken import parse_aiken
from lms.quizzes.gift import parse_gift
from lms.quizzes.qtypes import ParsedQuestion, QuestionFormatError

MAX_TEXT_BYTES = 2 * 1024 * 1024
FORMATS = ("gift", "aiken", "xlsx")
_AIKEN_ANSWER_RE = re.compile(r"^[ \t]*ANSWER[ \t]*:", re.MULTILINE)


def guess_format(filename: str, data: bytes) -> str:
    """``xlsx`` for a ZIP, else ``aiken`` for text with ``ANSWER:`` lines and no ``{``, else ``gift``."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = data.decode("utf-8", errors="replace")
    if filename.lower().endswith(".gift"):
        return "gift"
    return "aiken" if _AIKEN_ANSWER_RE.search(text) and "{" not in text else "gift"


def read_question_file(filename: str, data: bytes, fmt: str = "auto") -> tuple[list[ParsedQuestion], list[str]]:
    """The questions of an uploaded file and the problems, each as ``FILE:LINE: message``.

    :param filename: the name the browser sent (only for messages and the guess)
    :param data: the file's bytes
    :param fmt: ``gift``, ``aiken``, ``xlsx`` or ``auto``
    """
    fmt = guess_format(filename, data) if fmt == "auto" else fmt
    if fmt == "xlsx":
        return read_xlsx_questions(data, filename)
    if len(data) > MAX_TEXT_BYTES:
        return [], [f"{filename}:1: file larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB"]
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        return [], [f"{filename}:1: not a text file"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return [], [f"{filename}:{line}: file is not UTF-8 text"]
    parser = parse_gift if fmt == "gift" else parse_aiken
    try:
        return parser(text, filename), []
    except QuestionFormatError as error:
        return [], [f"{filename}:{error.line}: {error.message}"]
