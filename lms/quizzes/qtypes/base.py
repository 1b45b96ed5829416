"""Shared pieces of the question-type layer: the parsed question, the type base class,
the error classes and small text helpers used by the parsers and the graders."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

#: Text formats GIFT knows, as written inside ``[...]`` before a text.
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"

_DEFAULT_NAME_LENGTH = 80
_POSITION_RE = re.compile(r"(0|[1-9][0-9]*)")


@dataclass
class ParsedQuestion:
    """One question read from a GIFT or Aiken file (or built by the authoring UI).

    ``line`` says where the question starts in its source file; it is provenance, not
    content, so two questions that differ only by ``line`` compare equal.
    """

    type: str
    name: str
    text: str
    format: str = DEFAULT_FORMAT
    category: str | None = None
    general_feedback: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    line: int = field(default=0, compare=False)


class QuestionFormatError(ValueError):
    """A syntax or content error in a question file.

    :param message: a short English phrase, without the file name or line
    :param line: the 1-based line of the offending question (or the exact line)
    :param source: the file name, if known
    """

    def __init__(self, message: str, line: int, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.source = source

    def __str__(self) -> str:
        return f"{self.source or '<string>'}:{self.line}: {self.message}"


class InvalidResponse(ValueError):
    """Submitted form values that cannot be an answer to the question."""


class QuestionType:
    """Base class of the stateless question types; see the package docstring."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    graded: ClassVar[bool] = True
    auto_graded: ClassVar[bool] = True

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        """Return the problems that make ``data`` unusable (empty when it is fine).

        :param data: the type-specific question data
        """
        return []

    @classmethod
    def prepare(cls, data: dict, rng: random.Random, shuffle: bool) -> dict:
        """Freeze what one attempt shows (e.g. the order of the choices).

        :param data: the type-specific question data
        :param rng: the attempt's random generator
        :param shuffle: whether the quiz shuffles choices
        """
        return {}

    @classmethod
    def public(cls, data: dict, presentation: dict) -> dict:
        """Return what the learner's browser may see while the attempt is open.

        :param data: the type-specific question data
        :param presentation: what :meth:`prepare` returned for this attempt
        """
        return {}

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        """Turn submitted form values into a stored response (``None`` = no answer).

        :param data: the type-specific question data
        :param presentation: what :meth:`prepare` returned for this attempt
        :param values: the form values submitted for this question
        :raises InvalidResponse: when the values are malformed or out of range
        """
        if submitted(values):
            raise InvalidResponse("this question takes no answer")
        return None

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        """Return the form values that re-display ``response`` (inverse of parsing).

        :param data: the type-specific question data
        :param presentation: what :meth:`prepare` returned for this attempt
        :param response: a response from :meth:`parse_response`
        """
        return []

    @classmethod
    def grade(cls, data: dict, response: Any) -> float | None:
        """Return the fraction 0..1 earned, or ``None`` when no machine can grade it.

        :param data: the type-specific question data
        :param response: a response from :meth:`parse_response`
        """
        return None

    @classmethod
    def feedback(cls, data: dict, response: Any) -> list[str]:
        """Return the per-answer feedback texts that apply to ``response``.

        :param data: the type-specific question data
        :param response: a response from :meth:`parse_response`
        """
        return []

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        """Return a human summary of the right answer(s) for review pages.

        :param data: the type-specific question data
        """
        return ""

    @classmethod
    def to_json(cls, data: dict) -> dict:
        """Return the type-specific fields of :func:`to_json_dict`.

        :param data: the type-specific question data
        """
        return {}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        """Write ``question`` as one GIFT question (no category line).

        :param question: a question of this type
        """
        raise NotImplementedError


def normalise_source(text: str) -> str:
    """Drop a BOM, turn CRLF/CR into LF and compose to Unicode NFC.

    :param text: the raw text of a question file
    """
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def default_name(text: str, fallback: str = "Câu hỏi") -> str:
    """Build a question name from its text, as Moodle does when a title is missing.

    :param text: the question text (tags are dropped)
    :param fallback: the name used when the text is empty
    """
    plain = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    if len(plain) <= _DEFAULT_NAME_LENGTH:
        return plain or fallback
    cut = plain[: _DEFAULT_NAME_LENGTH - 3]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "..."


def parse_position(value: str, size: int) -> int:
    """Read an opaque option key ("0", "1", ...) and check it is in range.

    :param value: the submitted key
    :param size: how many options the attempt shows
    :raises InvalidResponse: for anything but a position below ``size``
    """
    if not _POSITION_RE.fullmatch(value) or int(value) >= size:
        raise InvalidResponse(f"unknown option {value[:20]!r}")
    return int(value)


def is_number(value: Any) -> bool:
    """Tell whether ``value`` is a finite int or float (and not a bool).

    :param value: any JSON value
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_fraction(fraction: Any, low: float, message: str) -> list[str]:
    """Report a fraction that is not a number between ``low`` and 1.

    :param fraction: the value to check
    :param low: the smallest allowed fraction (-1 or 0)
    :param message: the problem to report
    """
    if is_number(fraction) and low <= fraction <= 1:
        return []
    return [message]


def answer_list(data: dict, keys: tuple[str, ...]) -> list[dict] | None:
    """Return ``data["answers"]`` when it is a list of dicts with ``keys``, else None.

    :param data: the type-specific question data
    :param keys: the keys each answer must have
    """
    answers = data.get("answers")
    if not isinstance(answers, list):
        return None
    if all(isinstance(a, dict) and all(k in a for k in keys) for a in answers):
        return answers
    return None


def submitted(values: list[str]) -> list[str]:
    """Drop blank form values: an untouched field is no answer.

    :param values: the submitted values
    """
    return [value for value in values if value.strip()]


def non_empty(values: list[str]) -> list[str]:
    """Keep the non-blank strings of ``values``.

    :param values: feedback texts
    """
    return [value for value in values if value]
