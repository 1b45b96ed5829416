"""Moodle's GIFT question format: the reader, and the helpers the question types use to
write questions back (see ``docs/gift.md``).

The reader follows Moodle's ``qformat_gift::readquestion``: questions are separated by
blank lines, a ``//`` line is a comment, escapes are hidden before anything else is
looked at, the first ``{...}`` is the answer block and its content decides the type
(empty: essay, ``#``: numerical, any ``~``: multiple choice, ``=`` with ``->``:
matching, ``T``/``TRUE``/``F``/``FALSE``: true/false, anything else: short answer).
Where Moodle silently imports nonsense (a second answer block, text before the first
``~``/``=`` of a choice list, a number that is not a number) this reader raises
:class:`GiftError` instead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from lms.quizzes import qtypes  # for QUESTION_TYPES, looked up at call time
from lms.quizzes.qtypes.base import (
    DEFAULT_FORMAT, TEXT_FORMATS, ParsedQuestion, QuestionFormatError, default_name,
    normalise_source,
)

# Escaped characters become private-use placeholders so that splitting on the control
# characters never sees them; they are turned back into plain characters at the end.
_ESCAPABLE = "\\:#={}~n"
_PLACEHOLDERS = "".join(chr(0xE000 + i) for i in range(len(_ESCAPABLE)))
_HIDE = dict(zip(_ESCAPABLE, _PLACEHOLDERS))
_RESTORE = str.maketrans(dict(zip(_PLACEHOLDERS, _ESCAPABLE.replace("n", "\n"))))
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_WRITE_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\:#={}~"} | {"\n": "\\n"})

_WEIGHT_RE = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BRACE_RE = re.compile("[{}]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"
BLANK = "_____"


class GiftError(QuestionFormatError):
    """A GIFT syntax error: ``message`` and the 1-based ``line`` it was found on."""


@dataclass
class _Source:
    """One question block with comment lines dropped and escapes hidden.

    ``starts[i]`` is where the i-th kept line starts in ``text`` and ``numbers[i]`` is
    its line number in the file.
    """

    text: str
    starts: list[int]
    numbers: list[int]

    def line_at(self, pos: int) -> int:
        """The file line holding offset ``pos`` of ``text``."""
        return self.numbers[bisect_right(self.starts, pos) - 1]

    def error(self, message: str, pos: int) -> GiftError:
        """An error located at offset ``pos`` of ``text``."""
        return GiftError(message, self.line_at(pos))


def parse_gift(text: str, source: str = "<string>") -> list[ParsedQuestion]:
    """Read every question of a GIFT file.

    :param text: the file content (BOM, CRLF and NFD input are accepted)
    :param source: the file name, carried by errors
    :raises GiftError: on the first syntax error, with its line
    """
    text = normalise_source(text)
    try:
        _reject_placeholders(text)
        return list(_read_blocks(_split_blocks(text)))
    except GiftError as error:
        error.source = source
        raise


def _reject_placeholders(text: str) -> None:
    found = re.search(f"[{_PLACEHOLDERS}]", text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise GiftError("text contains a reserved private-use character", line)


def _split_blocks(text: str) -> Iterable[_Source]:
    """Cut the file at blank lines, dropping ``//`` comment lines."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            yield from _make_source(lines)
            lines = []
        elif not line.lstrip().startswith("//"):
            # Escapes never span lines, so hiding them line by line keeps offsets right.
            lines.append((number, _ESCAPE_RE.sub(lambda m: _HIDE[m[1]], line)))
    yield from _make_source(lines)


def _make_source(lines: list[tuple[int, str]]) -> Iterable[_Source]:
    if not lines:
        return
    starts = [0]
    for _number, line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    yield _Source("\n".join(line for _, line in lines), starts, [n for n, _ in lines])


def _read_blocks(blocks: Iterable[_Source]) -> Iterable[ParsedQuestion]:
    category = None
    for block in blocks:
        start = len(block.text) - len(block.text.lstrip())
        if block.text.startswith(_CATEGORY, start):
            end = block.text.find("\n", start)
            end = len(block.text) if end < 0 else end
            category = _restore(block.text[start + len(_CATEGORY):end]) or None
            start = end
            if not block.text[start:].strip():
                continue
        yield _read_question(block, start, category)


def _restore(hidden: str) -> str:
    return hidden.translate(_RESTORE).strip()


def _text_and_format(hidden: str, default: str) -> tuple[str, str]:
    """Split a leading ``[format]`` marker off a text, as Moodle's reader does."""
    hidden = hidden.strip()
    if hidden.startswith("[") and "]" in hidden:
        name = hidden[1:hidden.index("]")]
        if name in TEXT_FORMATS:
            return _restore(hidden[len(name) + 2:]), name
    return _restore(hidden), default


def _part(hidden: str) -> str:
    """An answer or feedback text: its own format marker is accepted and dropped."""
    return _text_and_format(hidden, DEFAULT_FORMAT)[0]


def _read_question(src: _Source, start: int, category: str | None) -> ParsedQuestion:
    start += len(src.text[start:]) - len(src.text[start:].lstrip())
    name, pos = _read_name(src, start)
    opening, closing = _find_answer_block(src, pos)
    if opening is None:
        body, answers = src.text[pos:], None
    else:
        tail = src.text[closing + 1:]
        blank = BLANK if tail.strip() else ""
        body, answers = src.text[pos:opening] + blank + tail, (opening + 1, closing)
    text, text_format = _text_and_format(body, DEFAULT_FORMAT)
    question = ParsedQuestion("description", name or default_name(text), text, text_format,
                              category, line=src.line_at(start))
    if answers is not None:
        _read_answers(src, question, *answers)
    _check(question)
    return question


def _read_name(src: _Source, pos: int) -> tuple[str | None, int]:
    if not src.text.startswith("::", pos):
        return None, pos
    end = src.text.find("::", pos + 2)
    if end < 0:
        raise src.error("question title is not closed with ::", pos)
    return _restore(src.text[pos + 2:end]) or None, end + 2


def _find_answer_block(src: _Source, pos: int) -> tuple[int | None, int | None]:
    text = src.text
    opening, closing = text.find("{", pos), text.find("}", pos)
    if opening < 0 and closing < 0:
        return None, None
    if opening < 0 or 0 <= closing < opening:
        raise src.error("unexpected } outside an answer block", closing)
    if closing < 0 or text.find("{", opening + 1, closing) >= 0:
        raise src.error("unclosed answer block", opening)
    extra = _BRACE_RE.search(text, closing + 1)
    if extra and extra[0] == "{":
        raise src.error("only one answer block per question; missing blank line?",
                        extra.start())
    if extra:
        raise src.error("unexpected } outside an answer block", extra.start())
    return opening, closing


def _read_answers(src: _Source, question: ParsedQuestion, start: int, end: int) -> None:
    general = src.text.rfind("####", start, end)
    if general >= 0:
        question.general_feedback = _part(src.text[general + 4:end])
        end = general
    content = src.text[start:end]
    start += len(content) - len(content.lstrip())
    end -= len(content) - len(content.rstrip())
    question.type, reader = _detect_type(src.text[start:end])
    if reader is not None:
        question.data = reader(src, start, end)


def _detect_type(answers: str) -> tuple[str, Callable | None]:
    """Decide the question type from the answer block, in Moodle's order."""
    if not answers:
        return "essay", None
    if answers[0] == "#":
        return "numerical", _read_numerical
    if "~" in answers:
        return "multichoice", _read_multichoice
    if "=" in answers and "->" in answers:
        return "matching", _read_matching
    if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "truefalse", _read_truefalse
    return "shortanswer", _read_shortanswer


def _pieces(src: _Source, start: int, end: int, markers: str) -> list[tuple[int, str, str]]:
    """Split ``[start, end)`` before each marker: (position, marker, text) triples.

    The text before the first marker comes first with an empty marker, if not blank.
    """
    cuts = [i for i in range(start, end) if src.text[i] in markers]
    lead = src.text[start:cuts[0] if cuts else end]
    pieces = [(start, "", lead)] if lead.strip() else []
    for here, following in zip(cuts, cuts[1:] + [end]):
        pieces.append((here, src.text[here], src.text[here + 1:following]))
    return pieces


def _weight(src: _Source, pos: int, piece: str, default: float) -> tuple[float, str]:
    """Read a leading ``%weight%``; the fraction is exact for weights like 33.33333."""
    piece = piece.strip()
    match = _WEIGHT_RE.match(piece)
    if not match:
        return default, piece
    weight = Decimal(match[1])
    if not -100 <= weight <= 100:
        raise src.error("answer weight must be between -100% and 100%", pos)
    return float(weight / 100), piece[match.end():]


def _answer(src: _Source, pos: int, piece: str, fraction: float) -> dict:
    text, _, feedback = piece.partition("#")
    if not _part(text):
        raise src.error("answer text is empty", pos)
    return {"text": _part(text), "fraction": fraction, "feedback": _part(feedback)}


def _read_multichoice(src: _Source, start: int, end: int) -> dict:
    answers = []
    for pos, marker, piece in _pieces(src, start, end, "~="):
        if not marker:
            raise src.error("each answer must start with ~ or =", pos)
        # Moodle reads no weight after "=": it is always the 100% answer.
        fraction, piece = (1.0, piece) if marker == "=" else _weight(src, pos, piece, 0.0)
        answers.append(_answer(src, pos, piece, fraction))
    return {"single": "=" in src.text[start:end], "answers": answers}


def _read_shortanswer(src: _Source, start: int, end: int) -> dict:
    answers = []
    for pos, _marker, piece in _pieces(src, start, end, "="):
        fraction, piece = _weight(src, pos, piece, 1.0)
        answers.append(_answer(src, pos, piece, fraction))
    return {"answers": answers}


def _read_matching(src: _Source, start: int, end: int) -> dict:
    pairs = []
    for pos, marker, piece in _pieces(src, start, end, "="):
        if not marker:
            raise src.error("each matching pair must start with =", pos)
        if "->" not in piece:
            raise src.error("matching pair needs -> between question and answer", pos)
        left, _, right = piece.partition("->")
        pairs.append({"question": _part(left), "answer": _restore(right)})
    return {"pairs": pairs}


def _read_truefalse(src: _Source, start: int, end: int) -> dict:
    answer, wrong, right = (src.text[start:end].split("#", 2) + ["", ""])[:3]
    return {"correct": _TRUE_FALSE[answer.strip()], "feedback_wrong": _part(wrong),
            "feedback_right": _part(right)}


def _read_numerical(src: _Source, start: int, end: int) -> dict:
    tilde = src.text.find("~", start, end)
    answers = []
    for pos, _marker, piece in _pieces(src, start + 1, end if tilde < 0 else tilde, "="):
        fraction, piece = _weight(src, pos, piece, 1.0)
        value, _, feedback = piece.partition("#")
        answers.append(_numerical_value(src, pos, _restore(value))
                       | {"fraction": fraction, "feedback": _part(feedback)})
    if not answers:
        raise src.error("numerical question has no answer", start)
    if tilde >= 0:
        # "~#feedback" is Moodle's catch-all answer for every other number.
        answers.append({"value": None, "tolerance": 0.0, "fraction": 0.0,
                        "feedback": _part(src.text[tilde + 1:end].partition("#")[2])})
    return {"answers": answers}


def _numerical_value(src: _Source, pos: int, text: str) -> dict:
    """Read ``value``, ``value:tolerance`` or ``min..max`` (or ``*`` for any number)."""
    if text == "*":
        return {"value": None, "tolerance": 0.0}
    if text.find("..") > 0:
        low, high = (_number(src, pos, part) for part in text.split("..", 1))
        if low > high:
            raise src.error("numerical range minimum is greater than maximum", pos)
        middle = (low + high) / 2
        return {"value": float(middle), "tolerance": float(high - middle)}
    value, _, tolerance = text.partition(":") if text.find(":") > 0 else (text, "", "0")
    tolerance = _number(src, pos, tolerance)
    if tolerance < 0:
        raise src.error("numerical tolerance must not be negative", pos)
    return {"value": float(_number(src, pos, value)), "tolerance": float(tolerance)}


def _number(src: _Source, pos: int, text: str) -> Decimal:
    if not _NUMBER_RE.fullmatch(text.strip()):
        raise src.error("numerical answer is not a number", pos)
    return Decimal(text.strip())


def _check(question: ParsedQuestion) -> None:
    # The type's own validation, so that a file never yields a question the quiz
    # engine or the authoring UI would refuse.
    problems = qtypes.QUESTION_TYPES[question.type].validate(question.data)
    if problems:
        raise GiftError(problems[0], question.line)


# Writing -------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape GIFT's control characters (and newlines) in a text.

    :param text: plain text to put inside a GIFT question
    """
    return text.replace("\r\n", "\n").translate(_WRITE_ESCAPES)


def write_text(text: str, text_format: str, default: str = DEFAULT_FORMAT) -> str:
    """Write a text with a ``[format]`` marker when needed, escaped.

    A marker is also written when the text itself starts like one, so that it is kept.

    :param text: the text
    :param text_format: its format
    :param default: the format a reader assumes when there is no marker
    """
    looks_marked = _text_and_format(text, "")[1] != ""
    marker = f"[{text_format}]" if text_format != default or looks_marked else ""
    return marker + escape(text)


def write_part(text: str, question_format: str) -> str:
    """Write an answer or feedback text, which takes the question's format.

    :param text: the text
    :param question_format: the format of the question it belongs to
    """
    return write_text(text, question_format, question_format)


def write_feedback(feedback: str, question_format: str) -> str:
    """Write ``#feedback`` after an answer, or nothing when there is none.

    :param feedback: the feedback text
    :param question_format: the format of the question it belongs to
    """
    return "#" + write_part(feedback, question_format) if feedback else ""


def format_weight(fraction: float) -> str:
    """Write a fraction as a GIFT weight, e.g. ``%-33.33333%``.

    :param fraction: a fraction between -1 and 1
    """
    return f"%{format_number(Decimal(repr(float(fraction))) * 100)}%"


def format_number(value: float | Decimal) -> str:
    """Write a number so that reading it back gives the same float.

    :param value: a finite number
    """
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def write_question(question: ParsedQuestion, answer_lines: list[str] | None) -> str:
    """Write the title, text, answer block and general feedback of a question.

    :param question: the question
    :param answer_lines: the answers, already written; ``None`` for no answer block
    """
    head = f"::{escape(question.name)}::" + write_text(question.text, question.format)
    if answer_lines is None:
        return head
    general = ""
    if question.general_feedback:
        general = "####" + write_part(question.general_feedback, question.format)
    if len(answer_lines) <= 1:
        return head + "{" + "".join(answer_lines) + general + "}"
    lines = answer_lines + ([general] if general else [])
    return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + "}"


def dump_gift(questions: Iterable[ParsedQuestion]) -> str:
    """Write questions as a GIFT file, with ``$CATEGORY:`` lines where it changes.

    :param questions: the questions, in file order
    """
    blocks, category = [], None
    for question in questions:
        if question.category != category:
            path = (question.category or "").replace("\\", "\\\\").replace("\n", "\\n")
            blocks.append(f"{_CATEGORY} {path}".rstrip())
            category = question.category
        blocks.append(qtypes.QUESTION_TYPES[question.type].to_gift(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""
