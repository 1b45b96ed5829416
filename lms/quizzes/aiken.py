"""Moodle's Aiken format: single-answer multiple choice questions (see ``docs/gift.md``).

    Thủ đô của Việt Nam là gì?
    A. Hà Nội
    B) Huế
    ANSWER: A

The question text comes first (several lines are joined, which Moodle does not allow;
a line like ``I. ...`` before option ``A`` is still question text), then options
lettered ``A.`` or ``A)`` in order, then ``ANSWER:`` and one letter. Blank lines are
ignored. Texts are plain text, not HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lms.quizzes.qtypes.base import (
    ParsedQuestion, QuestionFormatError, default_name, normalise_source,
)

_OPTION_RE = re.compile(r"([A-Z])[.)](?:[ \t]+(.*))?")
_ANSWER_RE = re.compile(r"ANSWER[ \t]*:(.*)")


class AikenError(QuestionFormatError):
    """An Aiken syntax error: ``message`` and the 1-based ``line`` it was found on."""


@dataclass
class _Draft:
    """A question being read: where it starts, its text lines and its options."""

    line: int
    text: list[str]
    options: list[str] = field(default_factory=list)


def parse_aiken(text: str, source: str = "<string>") -> list[ParsedQuestion]:
    """Read every question of an Aiken file.

    :param text: the file content (BOM, CRLF and NFD input are accepted)
    :param source: the file name, carried by errors
    :raises AikenError: on the first syntax error, with its line
    """
    questions: list[ParsedQuestion] = []
    draft = None
    try:
        for number, line in enumerate(normalise_source(text).split("\n"), start=1):
            draft = _read_line(line.strip(), number, draft, questions)
        if draft is not None:
            raise AikenError("question has no ANSWER line", draft.line)
    except AikenError as error:
        error.source = source
        raise
    return questions


def _read_line(line: str, number: int, draft: _Draft | None,
               questions: list[ParsedQuestion]) -> _Draft | None:
    """Read one line; return the question still being read, if any."""
    if not line:
        return draft
    answer, option = _ANSWER_RE.fullmatch(line), _OPTION_RE.fullmatch(line)
    if option and draft is not None and not draft.options and option[1] != "A":
        option = None  # e.g. "I. Cơ sở pháp lý" inside a question text
    if (answer or option) and draft is None:
        raise AikenError("option or ANSWER line before any question text", number)
    if answer:
        questions.append(_finish(draft, answer[1].strip(), number))
        return None
    if option:
        _add_option(draft, option, number)
    elif draft is None:
        return _Draft(number, [line])
    elif draft.options:
        raise AikenError("expected an option or the ANSWER line", number)
    else:
        draft.text.append(line)
    return draft


def _add_option(draft: _Draft, option: re.Match, number: int) -> None:
    expected = chr(ord("A") + len(draft.options))
    if option[1] != expected:
        raise AikenError(f"expected option {expected}", number)
    if not (option[2] or "").strip():
        raise AikenError("option text is empty", number)
    draft.options.append(option[2].strip())


def _finish(draft: _Draft, letter: str, number: int) -> ParsedQuestion:
    if len(draft.options) < 2:
        raise AikenError("question needs at least two options", draft.line)
    if not re.fullmatch("[A-Z]", letter):
        raise AikenError("ANSWER must be a single capital letter", number)
    right = ord(letter) - ord("A")
    if right >= len(draft.options):
        raise AikenError(f"ANSWER {letter} has no matching option", number)
    answers = [{"text": text, "fraction": 1.0 if index == right else 0.0, "feedback": ""}
               for index, text in enumerate(draft.options)]
    text = "\n".join(draft.text)
    return ParsedQuestion("multichoice", default_name(text), text, "plain", None, "",
                          {"single": True, "answers": answers}, line=draft.line)
