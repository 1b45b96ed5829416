"""Multiple choice (one or several right answers) and true/false questions."""

from __future__ import annotations

import random
from typing import Any

from lms.quizzes import gift
from lms.quizzes.qtypes.base import (
    InvalidResponse, ParsedQuestion, QuestionType, answer_list, check_fraction, non_empty,
    parse_position, submitted,
)

# Weights like %33.33333% leave the sum of three right answers a hair under 100%.
_EPSILON = 1e-4
_ANSWER_KEYS = ("text", "fraction", "feedback")


class MultiChoice(QuestionType):
    """Choices with fractions; ``single`` picks radio buttons or checkboxes.

    Data: ``{"single": bool, "answers": [{"text", "fraction", "feedback"}]}``.
    Response: the sorted original indices of the chosen answers.
    """

    name = "multichoice"
    label = "Nhiều lựa chọn"

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        answers = answer_list(data, _ANSWER_KEYS)
        if answers is None or not isinstance(data.get("single"), bool):
            return ["multiple choice data needs single and answers"]
        problems = [] if len(answers) >= 2 else [
            "multiple choice question needs at least two answers"]
        for answer in answers:
            problems += _answer_problems(answer, -1)
        if problems:
            return list(dict.fromkeys(problems))
        return _fraction_problems(data["single"], [a["fraction"] for a in answers])

    @classmethod
    def prepare(cls, data: dict, rng: random.Random, shuffle: bool) -> dict:
        order = list(range(len(data["answers"])))
        if shuffle:
            rng.shuffle(order)
        return {"order": order}

    @classmethod
    def public(cls, data: dict, presentation: dict) -> dict:
        answers = data["answers"]
        options = [{"key": str(position), "text": answers[index]["text"]}
                   for position, index in enumerate(presentation["order"])]
        return {"single": data["single"], "options": options}

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        values = submitted(values)
        if not values:
            return None
        if data["single"] and len(values) > 1:
            raise InvalidResponse("only one choice is allowed")
        order = presentation["order"]
        positions = [parse_position(value, len(order)) for value in values]
        if len(set(positions)) != len(positions):
            raise InvalidResponse("a choice was sent twice")
        return sorted(order[position] for position in positions)

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        order = presentation["order"]
        return [str(order.index(index)) for index in response or [] if index in order]

    @classmethod
    def grade(cls, data: dict, response: Any) -> float | None:
        total = sum(answer["fraction"] for answer in _chosen(data, response))
        return min(1.0, max(0.0, total))

    @classmethod
    def feedback(cls, data: dict, response: Any) -> list[str]:
        return non_empty([answer["feedback"] for answer in _chosen(data, response)])

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        answers = data["answers"]
        best = max(answer["fraction"] for answer in answers)
        threshold = best - _EPSILON if data["single"] else _EPSILON
        return "; ".join(a["text"] for a in answers if a["fraction"] >= threshold)

    @classmethod
    def to_json(cls, data: dict) -> dict:
        return {"single": data["single"], "answers": _json_answers(data["answers"])}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        lines, used_equals = [], False
        for answer in question.data["answers"]:
            text = gift.write_part(answer["text"], question.format)
            if question.data["single"] and answer["fraction"] == 1 and not used_equals:
                # Only one "=" so that the other right answers keep a "~".
                line, used_equals = "=" + text, True
            elif answer["fraction"] or text.startswith("%"):
                line = "~" + gift.format_weight(answer["fraction"]) + text
            else:
                line = "~" + text
            lines.append(line + gift.write_feedback(answer["feedback"], question.format))
        return gift.write_question(question, lines)


class TrueFalse(QuestionType):
    """A statement that is true or false, with Moodle's two feedbacks.

    Data: ``{"correct": bool, "feedback_wrong": str, "feedback_right": str}``.
    Response: ``True`` or ``False``.
    """

    name = "truefalse"
    label = "Đúng/Sai"

    _KEYS = {"true": True, "false": False}

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        problems = [] if isinstance(data.get("correct"), bool) else [
            "true/false question needs correct set to true or false"]
        if not all(isinstance(data.get(key), str)
                   for key in ("feedback_wrong", "feedback_right")):
            problems.append("true/false feedback must be text")
        return problems

    @classmethod
    def public(cls, data: dict, presentation: dict) -> dict:
        return {"options": [{"key": "true", "text": "Đúng"}, {"key": "false", "text": "Sai"}]}

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        values = submitted(values)
        if not values:
            return None
        if len(values) > 1 or values[0] not in cls._KEYS:
            raise InvalidResponse("answer true or false")
        return cls._KEYS[values[0]]

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        return [] if response is None else ["true" if response else "false"]

    @classmethod
    def grade(cls, data: dict, response: Any) -> float | None:
        return 1.0 if response is data["correct"] else 0.0

    @classmethod
    def feedback(cls, data: dict, response: Any) -> list[str]:
        if response is None:
            return []
        right = response is data["correct"]
        return non_empty([data["feedback_right" if right else "feedback_wrong"]])

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        return "Đúng" if data["correct"] else "Sai"

    @classmethod
    def to_json(cls, data: dict) -> dict:
        wrong, right = data["feedback_wrong"], data["feedback_right"]
        return {"correct": data["correct"], "feedback_wrong": wrong, "feedback_right": right,
                "true_feedback": right if data["correct"] else wrong,
                "false_feedback": wrong if data["correct"] else right}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        wrong = gift.write_part(question.data["feedback_wrong"], question.format)
        right = gift.write_part(question.data["feedback_right"], question.format)
        line = "TRUE" if question.data["correct"] else "FALSE"
        if wrong or right:
            line += "#" + wrong
        if right:
            line += "#" + right
        return gift.write_question(question, [line])


def _answer_problems(answer: dict, lowest: float) -> list[str]:
    problems = []
    if not isinstance(answer["text"], str) or not answer["text"].strip():
        problems.append("answer text is empty")
    if not isinstance(answer["feedback"], str):
        problems.append("answer feedback must be text")
    return problems + check_fraction(
        answer["fraction"], lowest, f"answer weight must be between {lowest:.0%} and 100%")


def _fraction_problems(single: bool, fractions: list[float]) -> list[str]:
    if max(fractions) <= 0:
        return ["multiple choice question has no right answer"]
    if single and 1 not in fractions:
        return ["one answer must be worth 100%"]
    if not single and abs(sum(f for f in fractions if f > 0) - 1) > _EPSILON:
        return ["the right answers' weights must add up to 100%"]
    return []


def _chosen(data: dict, response: Any) -> list[dict]:
    answers = data["answers"]
    return [answers[i] for i in response or [] if isinstance(i, int) and 0 <= i < len(answers)]


def _json_answers(answers: list[dict]) -> list[dict]:
    return [{"text": a["text"], "fraction": float(a["fraction"]), "feedback": a["feedback"]}
            for a in answers]
