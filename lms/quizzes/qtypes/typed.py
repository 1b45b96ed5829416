"""Questions answered by typing: short answer (text) and numerical."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from lms.core.text import search_key
from lms.quizzes import gift
from lms.quizzes.qtypes.base import (
    InvalidResponse, ParsedQuestion, QuestionType, answer_list, check_fraction, is_number,
    non_empty, submitted,
)

MAX_ANSWER_LENGTH = 1000
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_WILDCARD_RE = re.compile(r"(\\\*|\*)")


class _BestAnswerType(QuestionType):
    """A typed answer earns the credit and feedback of the best stored answer it matches."""

    @classmethod
    def _best(cls, data: dict, response: Any) -> dict | None:
        raise NotImplementedError

    @classmethod
    def grade(cls, data: dict, response: Any) -> float | None:
        best = cls._best(data, response)
        return best["fraction"] if best else 0.0

    @classmethod
    def feedback(cls, data: dict, response: Any) -> list[str]:
        best = cls._best(data, response)
        return non_empty([best["feedback"]]) if best else []


class ShortAnswer(_BestAnswerType):
    """Accepted texts with fractions; ``*`` in an accepted text matches anything.

    Data: ``{"answers": [{"text", "fraction", "feedback"}], "ignore_diacritics": bool}``
    (the flag is optional). Response: the typed text.
    """

    name = "shortanswer"
    label = "Trả lời ngắn"

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        answers = answer_list(data, ("text", "fraction", "feedback"))
        if not answers:
            return ["short answer question has no answer"]
        problems = []
        for answer in answers:
            problems += _text_problems(answer)
            problems += check_fraction(answer["fraction"], 0,
                                       "answer weight must be between 0% and 100%")
        if not isinstance(data.get("ignore_diacritics", False), bool):
            problems.append("ignore_diacritics must be true or false")
        return list(dict.fromkeys(problems)) or _full_marks_problems(answers)

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        return _single_text(values, MAX_ANSWER_LENGTH)

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        return [] if response is None else [response]

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        return "; ".join(a["text"] for a in data["answers"] if a["fraction"] == 1)

    @classmethod
    def to_json(cls, data: dict) -> dict:
        answers = [{"text": a["text"], "fraction": float(a["fraction"]),
                    "feedback": a["feedback"]} for a in data["answers"]]
        return {"answers": answers, "ignore_diacritics": data.get("ignore_diacritics", False)}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        lines = []
        for answer in question.data["answers"]:
            text = gift.write_part(answer["text"], question.format)
            weight = answer["fraction"] != 1 or text.startswith("%")
            lines.append("=" + (gift.format_weight(answer["fraction"]) if weight else "")
                         + text + gift.write_feedback(answer["feedback"], question.format))
        return gift.write_question(question, lines)

    @classmethod
    def _best(cls, data: dict, response: Any) -> dict | None:
        """The accepted answer worth most that matches (Moodle takes the first)."""
        if response is None:
            return None
        fold = data.get("ignore_diacritics", False)
        matching = [a for a in data["answers"] if text_matches(a["text"], response, fold)]
        return max(matching, key=lambda answer: answer["fraction"], default=None)


class Numerical(_BestAnswerType):
    """Numbers with tolerances; ``value`` ``None`` is Moodle's ``*`` (any number).

    Data: ``{"answers": [{"value", "tolerance", "fraction", "feedback"}]}``.
    Response: the number as a float.
    """

    name = "numerical"
    label = "Số"

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        answers = answer_list(data, ("value", "tolerance", "fraction", "feedback"))
        if not answers:
            return ["numerical question has no answer"]
        problems = []
        for answer in answers:
            problems += _number_problems(answer)
            problems += check_fraction(answer["fraction"], 0,
                                       "answer weight must be between 0% and 100%")
        return list(dict.fromkeys(problems)) or _full_marks_problems(answers)

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        text = _single_text(values, 100)
        if text is None:
            return None
        # Vietnamese writes 3,14; a lone comma is taken as the decimal separator.
        text = text.replace(" ", "").replace("\u2212", "-")
        if not _NUMBER_RE.fullmatch(text) or ("," in text and "." in text):
            raise InvalidResponse("not a number")
        number = float(text.replace(",", "."))
        if not math.isfinite(number):
            raise InvalidResponse("not a number")
        return number

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        # float(): SQLite's JSON column (numeric affinity) gives 1024.0 back as 1024.
        return [] if response is None else [gift.format_number(float(response))]

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        return "; ".join(_describe_number(a) for a in data["answers"] if a["fraction"] == 1)

    @classmethod
    def to_json(cls, data: dict) -> dict:
        return {"answers": [{"value": a["value"], "tolerance": float(a["tolerance"]),
                             "fraction": float(a["fraction"]), "feedback": a["feedback"]}
                            for a in data["answers"]]}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        answers = question.data["answers"]
        bodies = [_gift_number(answer, question.format) for answer in answers]
        if len(bodies) == 1:
            return gift.write_question(question, ["#" + bodies[0]])
        lines = ["#"] + ["=" + body for body in bodies]
        last = answers[-1]
        if last["value"] is None and last["fraction"] == 0:
            # Moodle's own way of writing "any other number", which must come last.
            lines[-1] = "~" + gift.write_feedback(last["feedback"], question.format)
        return gift.write_question(question, lines)

    @classmethod
    def _best(cls, data: dict, response: Any) -> dict | None:
        if response is None:
            return None
        matching = [a for a in data["answers"] if _within(a, response)]
        return max(matching, key=lambda answer: answer["fraction"], default=None)


def text_matches(pattern: str, response: str, ignore_diacritics: bool = False) -> bool:
    """Compare a typed answer with an accepted one, ignoring case and spacing.

    ``*`` in ``pattern`` matches any text and ``\\*`` a real asterisk, as in Moodle.

    :param pattern: the accepted answer
    :param response: the learner's text
    :param ignore_diacritics: also ignore accents (and đ/d)
    """
    regex = ""
    # Folding the whole pattern first keeps the spaces next to a wildcard.
    for part in _WILDCARD_RE.split(_fold(pattern, ignore_diacritics)):
        if part == "*":
            regex += ".*"
        else:
            regex += re.escape("*" if part == "\\*" else part)
    return re.fullmatch(regex, _fold(response, ignore_diacritics), re.S) is not None


def _fold(text: str, ignore_diacritics: bool) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return search_key(text) if ignore_diacritics else " ".join(text.split())


def _single_text(values: list[str], limit: int) -> str | None:
    values = submitted(values)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidResponse("only one answer is allowed")
    if len(values[0]) > limit:
        raise InvalidResponse("the answer is too long")
    return unicodedata.normalize("NFC", values[0]).strip()


def _text_problems(answer: dict) -> list[str]:
    text = answer["text"]
    if not isinstance(text, str) or not text.strip():
        return ["answer text is empty"]
    if "->" in text:
        # GIFT would read an answer block with "=" and "->" as a matching question.
        return ["answer text cannot contain '->'"]
    return [] if isinstance(answer["feedback"], str) else ["answer feedback must be text"]


def _number_problems(answer: dict) -> list[str]:
    problems = []
    if answer["value"] is not None and not is_number(answer["value"]):
        problems.append("numerical answer is not a number")
    if not is_number(answer["tolerance"]) or answer["tolerance"] < 0:
        problems.append("numerical tolerance must not be negative")
    if not isinstance(answer["feedback"], str):
        problems.append("answer feedback must be text")
    return problems


def _full_marks_problems(answers: list[dict]) -> list[str]:
    if any(answer["fraction"] == 1 for answer in answers):
        return []
    return ["one answer must be worth 100%"]


def _within(answer: dict, number: float) -> bool:
    if answer["value"] is None:
        return True
    # A hair of slack so that 0.1..0.3 accepts 0.3 despite binary rounding.
    slack = 1e-12 * max(1.0, abs(answer["value"]))
    return abs(number - answer["value"]) <= answer["tolerance"] + slack


def _describe_number(answer: dict) -> str:
    if answer["value"] is None:
        return "bất kỳ số nào"
    value = gift.format_number(answer["value"])
    if not answer["tolerance"]:
        return value
    return f"{value} ± {gift.format_number(answer['tolerance'])}"


def _gift_number(answer: dict, question_format: str) -> str:
    weight = gift.format_weight(answer["fraction"]) if answer["fraction"] != 1 else ""
    if answer["value"] is None:
        value = "*"
    else:
        value = gift.format_number(answer["value"])
        if answer["tolerance"]:
            value += ":" + gift.format_number(answer["tolerance"])
    return weight + value + gift.write_feedback(answer["feedback"], question_format)
