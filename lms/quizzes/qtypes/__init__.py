"""The question-type registry: what the quiz engine and the authoring UI build on.

Pure Python, no database and no Flask. Everything stored is JSON-serialisable.

Reading and writing files
-------------------------
``lms.quizzes.gift.parse_gift(text, source="<string>") -> list[ParsedQuestion]``
    Moodle's GIFT format; raises ``lms.quizzes.gift.GiftError``.
``lms.quizzes.aiken.parse_aiken(text, source="<string>") -> list[ParsedQuestion]``
    Moodle's Aiken format; raises ``lms.quizzes.aiken.AikenError``.
``parse_file(path, fmt=None) -> list[ParsedQuestion]``
    ``fmt`` is ``"gift"`` or ``"aiken"``; without it the file name decides.
``lms.quizzes.gift.dump_gift(questions) -> str``
    Writes GIFT, with a ``$CATEGORY:`` line wherever the category changes.
``to_json_dict(question) -> dict``
    The JSON shape the CLI prints (see :func:`to_json_dict`).

Both error classes derive from :class:`QuestionFormatError` and carry ``message`` (a
short English phrase), ``line`` (1-based) and ``source``; ``str(error)`` is
``"FILE:LINE: message"``.

``ParsedQuestion(type, name, text, format, category, general_feedback, data, line)``
    ``format`` is ``moodle``, ``html``, ``plain`` or ``markdown``; ``data`` is the
    type-specific dict documented on each type class; ``line`` does not take part in
    equality.

Question types
--------------
``QUESTION_TYPES[type]`` is a stateless class (only classmethods) with:

``label``, ``graded``, ``auto_graded``
    Vietnamese display name; description is not graded; essay is graded by a trainer.
``validate(data) -> list[str]``
    Problems that make the data unusable; the GIFT reader raises the first one.
``prepare(data, rng, shuffle) -> dict``
    The per-attempt presentation to store (choice order, matching order).
``public(data, presentation) -> dict``
    What the browser may see while the attempt is open: texts in presented order with
    opaque keys ("0", "1", ... = positions), never fractions, feedback or answers.
``parse_response(data, presentation, values) -> response``
    From the submitted strings (matching: ``"<left position>:<right position>"``);
    no values means no answer (``None``); raises :class:`InvalidResponse`.
``form_values(data, presentation, response) -> list[str]``
    The inverse, to show a saved response in the form again.
``grade(data, response) -> float | None``
    A fraction 0..1, or ``None`` for essay and description.
``feedback(data, response) -> list[str]``, ``right_answer_text(data) -> str``
    Per-answer feedback for a response; the right answer(s) for review pages.
``to_gift(question) -> str``
    The question in GIFT; ``parse_gift(to_gift(q))`` gives back an equal question.

Data, presentation and response of each type (fractions are floats, -1..1):

=============  ===============================================  =====================
type           data                                             response
=============  ===============================================  =====================
multichoice    ``single``, ``answers: [{text, fraction,         sorted original
               feedback}]``; presentation ``{"order": [...]}``  answer indices
truefalse      ``correct``, ``feedback_wrong``,                 ``True``/``False``
               ``feedback_right``; keys "true"/"false"
shortanswer    ``answers: [{text, fraction, feedback}]``,       the typed text
               optional ``ignore_diacritics``
numerical      ``answers: [{value, tolerance, fraction,         a float ("3,14" is
               feedback}]``, ``value`` None = any number        read as 3.14)
matching       ``pairs: [{question, answer}]``, empty question  ``{"<stem pair
               = distractor; presentation ``stems``/``choices``  index>": pair index}``
essay          ``{}``                                           the text, graded later
description    ``{}``                                           always ``None``
=============  ===============================================  =====================
"""

from __future__ import annotations

import re
from pathlib import Path

from lms.quizzes.qtypes.base import (
    InvalidResponse, ParsedQuestion, QuestionFormatError, QuestionType,
)
# The parsers import this package (for ParsedQuestion and validation) and the types
# import the GIFT writer: modules, not names, are imported so either order works.
from lms.quizzes import aiken, gift  # noqa: E402  (after base, which they need)
from lms.quizzes.qtypes.choice import MultiChoice, TrueFalse
from lms.quizzes.qtypes.manual import Description, Essay
from lms.quizzes.qtypes.matching import Matching
from lms.quizzes.qtypes.typed import Numerical, ShortAnswer

__all__ = [
    "QUESTION_TYPES", "InvalidResponse", "ParsedQuestion", "QuestionFormatError",
    "QuestionType", "parse_file", "to_json_dict",
]

QUESTION_TYPES: dict[str, type[QuestionType]] = {
    qtype.name: qtype
    for qtype in (MultiChoice, TrueFalse, ShortAnswer, Matching, Numerical, Essay, Description)
}

_AIKEN_ANSWER_RE = re.compile(r"^[ \t]*ANSWER[ \t]*:", re.MULTILINE)


def to_json_dict(question: ParsedQuestion) -> dict:
    """Describe a question as the JSON object the ``questions parse`` command prints.

    :param question: a parsed question
    """
    return {
        "type": question.type, "name": question.name, "text": question.text,
        "format": question.format, "category": question.category,
        "general_feedback": question.general_feedback, "line": question.line,
    } | QUESTION_TYPES[question.type].to_json(question.data)


def parse_file(path: str | Path, fmt: str | None = None) -> list[ParsedQuestion]:
    """Read a question file as UTF-8 (a BOM is fine).

    :param path: the file
    :param fmt: ``"gift"`` or ``"aiken"``; ``None`` guesses from the name: ``.gift``
        is GIFT, and so is ``.txt`` unless it has ``ANSWER:`` lines and no ``{``
    :raises ValueError: for an unknown format
    :raises QuestionFormatError: for a syntax error or a file that is not UTF-8
    """
    path = Path(path)
    raw = path.read_bytes()
    fmt = fmt or _guess_format(path, raw)
    if fmt not in ("gift", "aiken"):
        raise ValueError(f"unknown question format {fmt!r}: use gift or aiken")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        error_class = gift.GiftError if fmt == "gift" else aiken.AikenError
        raise error_class("file is not UTF-8 text", line, str(path)) from None
    parser = gift.parse_gift if fmt == "gift" else aiken.parse_aiken
    return parser(text, str(path))


def _guess_format(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".gift":
        return "gift"
    if suffix != ".txt":
        raise ValueError(f"cannot tell the format of {path.name}: use gift or aiken")
    # An Aiken file read as GIFT would silently become description questions.
    text = raw.decode("utf-8", errors="replace")
    return "aiken" if _AIKEN_ANSWER_RE.search(text) and "{" not in text else "gift"
