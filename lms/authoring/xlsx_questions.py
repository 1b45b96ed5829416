"""Questions from an XLSX sheet, one question per row (``docs/authoring.md`` has the columns).

The first worksheet's first row names the columns (in any order): Loại, Nhóm, Tên,
Câu hỏi, Các phương án, Đáp án đúng, Phản hồi, Phản hồi chung. Several answers or
feedbacks in one cell are written one per line (Alt+Enter). Errors carry the row number.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from lms.core.text import nfc, search_key
from lms.core.xlsx import neutralise
from lms.quizzes.qtypes import QUESTION_TYPES, ParsedQuestion, QuestionFormatError
from lms.quizzes.qtypes.base import default_name

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = {
    "type": "Loại", "category": "Nhóm", "name": "Tên", "text": "Câu hỏi", "answers": "Các phương án",
    "right": "Đáp án đúng", "feedback": "Phản hồi", "general_feedback": "Phản hồi chung",
}
_HEADER_KEYS = {search_key(title): key for key, title in COLUMNS.items()}
_TYPE_NAMES = {search_key(name): name for name in QUESTION_TYPES} | {
    search_key(qtype.label): name for name, qtype in QUESTION_TYPES.items()}
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%\s*")
_NUMBER_RE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:(?:±|\+-|:)\s*(\d+(?:[.,]\d+)?))?\s*$")
_TRUE = {"dung", "d", "true", "t", "x"}
_FALSE = {"sai", "s", "false", "f"}


class XlsxError(QuestionFormatError):
    """A problem in a question sheet; ``line`` is the sheet's row number."""


def read_xlsx_questions(data: bytes, source: str = "sheet.xlsx") -> tuple[list[ParsedQuestion], list[str]]:
    """Every question of the sheet, and every problem found (``FILE:ROW: message``).

    :param data: the file's bytes
    :param source: the file name, for the messages
    """
    if len(data) > MAX_XLSX_BYTES:
        return [], [f"{source}:1: file larger than {MAX_XLSX_BYTES // (1024 * 1024)} MB"]
    if not _is_xlsx(data):
        return [], [f"{source}:1: not an XLSX workbook"]
    try:
        rows = list(_rows(load_workbook(io.BytesIO(data), read_only=True, data_only=True)))
    except XlsxError as error:
        return [], [f"{source}:{error.line}: {error.message}"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):  # a damaged workbook
        return [], [f"{source}:1: the workbook cannot be read"]
    questions, problems = [], []
    for number, row in rows:
        try:
            questions.append(question_from_row(row, number))
        except XlsxError as error:
            problems.append(f"{source}:{error.line}: {error.message}")
    return questions, problems


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist() and "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _rows(workbook) -> Iterator[tuple[int, dict[str, str]]]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    header = [_HEADER_KEYS.get(search_key(str(cell or ""))) for cell in next(rows, ())]
    if "type" not in header or "text" not in header:
        raise XlsxError("the first row must name the columns Loại and Câu hỏi", 1)
    for number, cells in enumerate(rows, start=2):
        row = {key: _cell(value) for key, value in zip(header, cells) if key}
        if any(row.values()):
            yield number, row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value).replace("\r\n", "\n")).strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def question_from_row(row: dict[str, str], number: int) -> ParsedQuestion:
    """The question one row describes.

    :param row: column key → cell text
    :param number: the row number, for errors
    :raises XlsxError: when the row cannot be a question
    """
    qtype = _TYPE_NAMES.get(search_key(row.get("type", "")))
    if qtype is None:
        raise XlsxError(f"unknown question type '{row.get('type', '')}'", number)
    text = row.get("text", "")
    if not text:
        raise XlsxError("question text is empty", number)
    data = _BUILDERS[qtype](row, number)
    problems = QUESTION_TYPES[qtype].validate(data)
    if problems:
        raise XlsxError(problems[0], number)
    return ParsedQuestion(type=qtype, name=row.get("name") or default_name(text), text=text, format="plain",
                          category=row.get("category") or None, general_feedback=row.get("general_feedback", ""),
                          data=data, line=number)


def _weight(line: str) -> tuple[float | None, str]:
    match = _WEIGHT_RE.match(line)
    if not match:
        return None, line
    return float(match.group(1).replace(",", ".")) / 100, line[match.end():].strip()


def _feedbacks(row: dict, count: int) -> list[str]:
    lines = row.get("feedback", "").split("\n") if row.get("feedback") else []
    return [(lines[i].strip() if i < len(lines) else "") for i in range(count)]


def _letters(text: str, count: int, number: int) -> list[int]:
    letters = re.findall(r"[A-Za-z]", text)
    indices = [ord(letter.upper()) - ord("A") for letter in letters]
    if not indices or any(not 0 <= i < count for i in indices):
        raise XlsxError(f"right answer must be letters among A..{chr(ord('A') + count - 1)}", number)
    return sorted(set(indices))


def _multichoice(row: dict, number: int) -> dict:
    options = [_weight(line) for line in _lines(row.get("answers", ""))]
    if len(options) < 2:
        raise XlsxError("multiple choice question needs at least two answers", number)
    right = _letters(row.get("right", ""), len(options), number)
    feedbacks = _feedbacks(row, len(options))
    share = 1 / len(right)
    answers = []
    for index, (weight, text) in enumerate(options):
        default = share if index in right else (0.0 if len(right) == 1 else -share)
        answers.append({"text": text, "fraction": weight if weight is not None else default, "feedback": feedbacks[index]})
    return {"single": len(right) == 1, "answers": answers}


def _truefalse(row: dict, number: int) -> dict:
    key = search_key(row.get("right", ""))
    if key not in _TRUE | _FALSE:
        raise XlsxError("right answer must be Đúng or Sai", number)
    wrong, right = _feedbacks(row, 2)
    return {"correct": key in _TRUE, "feedback_wrong": wrong, "feedback_right": right}


def _shortanswer(row: dict, number: int) -> dict:
    accepted = [_weight(line) for line in _lines(row.get("right", ""))]
    feedbacks = _feedbacks(row, len(accepted))
    return {"answers": [{"text": text, "fraction": 1.0 if weight is None else weight, "feedback": feedbacks[i]}
                        for i, (weight, text) in enumerate(accepted)]}


def _numerical(row: dict, number: int) -> dict:
    match = _NUMBER_RE.match(row.get("right", ""))
    if not match:
        raise XlsxError("right answer must be a number, optionally with ± tolerance (3.14 ± 0.01)", number)
    value, tolerance = (float(part.replace(",", ".")) if part else 0.0 for part in match.groups())
    return {"answers": [{"value": value, "tolerance": tolerance, "fraction": 1.0, "feedback": _feedbacks(row, 1)[0]}]}


def _matching(row: dict, number: int) -> dict:
    pairs = []
    for line in _lines(row.get("answers", "")):
        if "->" not in line:
            raise XlsxError("matching pair needs -> between question and answer", number)
        question, answer = (part.strip() for part in line.split("->", 1))
        pairs.append({"question": question, "answer": answer})
    return {"pairs": pairs}


def _empty(row: dict, number: int) -> dict:
    return {}


_BUILDERS = {"multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
             "numerical": _numerical, "matching": _matching, "essay": _empty, "description": _empty}

TEMPLATE_ROWS = [
    ("Nhiều lựa chọn", "Cơ bản", "Thủ đô", "Thủ đô của Việt Nam là thành phố nào?",
     "Hà Nội\nHuế\nĐà Nẵng", "A", "Chính xác!\nHuế là kinh đô thời Nguyễn.\n", ""),
    ("Nhiều lựa chọn", "Cơ bản", "Tỉnh giáp Thanh Hóa", "Hai tỉnh nào giáp Thanh Hóa?",
     "Nghệ An\nNinh Bình\nĐà Nẵng", "A, B", "", "Thanh Hóa giáp Nghệ An, Ninh Bình, Hòa Bình, Sơn La và Lào."),
    ("Đúng/Sai", "Cơ bản", "Bắc Trung Bộ", "Thanh Hóa thuộc vùng Bắc Trung Bộ.", "", "Đúng",
     "Chưa đúng: Thanh Hóa thuộc Bắc Trung Bộ.\nChính xác!", ""),
    ("Trả lời ngắn", "Cơ bản", "Tỉnh lỵ", "Tỉnh lỵ của Thanh Hóa là thành phố nào?", "",
     "Thanh Hóa\n%50%TP Thanh Hóa", "Chính xác!\nGần đúng.", ""),
    ("Số", "Cơ bản", "Kilobyte", "1 KB bằng bao nhiêu byte?", "", "1024", "Đúng: 1 KB = 1024 byte.", ""),
    ("Ghép đôi", "Cơ bản", "Ghép tỉnh lỵ", "Ghép mỗi tỉnh với tỉnh lỵ.",
     "Nghệ An -> Vinh\nQuảng Ninh -> Hạ Long\nLâm Đồng -> Đà Lạt", "", "", ""),
    ("Tự luận", "Ý kiến", "Cảm nhận", "Bạn thấy khóa học thế nào?", "", "", "", ""),
    ("Mô tả", "", "Giới thiệu", "Các câu hỏi sau nói về tỉnh Thanh Hóa.", "", "", "", ""),
]


def template_xlsx() -> bytes:
    """The template to download: the header and one filled example row per question type."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in TEMPLATE_ROWS:
        sheet.append([neutralise(value) for value in row])
    for letter, width in zip("ABCDEFGH", (16, 14, 20, 45, 35, 16, 35, 35)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
