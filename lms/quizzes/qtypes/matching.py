"""Matching questions: pair each left-hand question with a right-hand answer."""

from __future__ import annotations

import random
from typing import Any

from lms.quizzes import gift
from lms.quizzes.qtypes.base import (
    InvalidResponse, ParsedQuestion, QuestionType, parse_position, submitted,
)


class Matching(QuestionType):
    """Pairs; a pair with an empty question is an extra distractor answer.

    Data: ``{"pairs": [{"question", "answer"}]}``. Presentation: ``stems`` (indices of
    the pairs with a question) and ``choices`` (one pair index per distinct answer).
    Response: ``{"<stem pair index>": <chosen pair index>}``.
    """

    name = "matching"
    label = "Ghép đôi"

    @classmethod
    def validate(cls, data: dict) -> list[str]:
        pairs = data.get("pairs")
        if not isinstance(pairs, list) or not all(_is_pair(pair) for pair in pairs):
            return ["matching data needs pairs of question and answer texts"]
        problems = []
        if len(_stems(pairs)) < 2:
            problems.append("matching question needs at least two pairs")
        if any(not pair["answer"].strip() for pair in pairs):
            problems.append("matching pair has no answer")
        if any("->" in pair["question"] for pair in pairs):
            # GIFT cuts a pair at its first "->", so a question cannot hold one.
            problems.append("matching question text cannot contain '->'")
        return problems

    @classmethod
    def prepare(cls, data: dict, rng: random.Random, shuffle: bool) -> dict:
        pairs = data["pairs"]
        stems = _stems(pairs)
        first_of_answer: dict[str, int] = {}
        for index, pair in enumerate(pairs):
            first_of_answer.setdefault(pair["answer"], index)
        choices = list(first_of_answer.values())
        # The answers are always shuffled, as in Moodle: in file order they would
        # line up with the questions and give the game away.
        rng.shuffle(choices)
        if shuffle:
            rng.shuffle(stems)
        return {"stems": stems, "choices": choices}

    @classmethod
    def public(cls, data: dict, presentation: dict) -> dict:
        pairs = data["pairs"]
        return {
            "stems": [{"key": str(position), "text": pairs[index]["question"]}
                      for position, index in enumerate(presentation["stems"])],
            "options": [{"key": str(position), "text": pairs[index]["answer"]}
                        for position, index in enumerate(presentation["choices"])],
        }

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        stems, choices = presentation["stems"], presentation["choices"]
        response: dict[str, int] = {}
        for value in submitted(values):
            left, colon, right = value.partition(":")
            if not colon:
                raise InvalidResponse("a match must be written left:right")
            stem = stems[parse_position(left, len(stems))]
            if str(stem) in response:
                raise InvalidResponse("a question was matched twice")
            response[str(stem)] = choices[parse_position(right, len(choices))]
        return response or None

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        stems, choices = presentation["stems"], presentation["choices"]
        return [f"{stems.index(int(stem))}:{choices.index(chosen)}"
                for stem, chosen in (response or {}).items()
                if int(stem) in stems and chosen in choices]

    @classmethod
    def grade(cls, data: dict, response: Any) -> float | None:
        pairs = data["pairs"]
        stems = _stems(pairs)
        right = sum(1 for stem in stems if _is_right(pairs, stem, response))
        return right / len(stems) if stems else 0.0

    @classmethod
    def right_answer_text(cls, data: dict) -> str:
        pairs = data["pairs"]
        return "; ".join(f"{pairs[i]['question']} → {pairs[i]['answer']}"
                         for i in _stems(pairs))

    @classmethod
    def to_json(cls, data: dict) -> dict:
        return {"pairs": [{"question": p["question"], "answer": p["answer"]}
                          for p in data["pairs"]]}

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        lines = [f"={gift.write_part(pair['question'], question.format)}"
                 f" -> {gift.escape(pair['answer'])}" for pair in question.data["pairs"]]
        return gift.write_question(question, lines)


def _is_pair(pair: Any) -> bool:
    return (isinstance(pair, dict) and isinstance(pair.get("question"), str)
            and isinstance(pair.get("answer"), str))


def _stems(pairs: list[dict]) -> list[int]:
    return [index for index, pair in enumerate(pairs) if pair["question"]]


def _is_right(pairs: list[dict], stem: int, response: Any) -> bool:
    chosen = (response or {}).get(str(stem))
    if not isinstance(chosen, int) or not 0 <= chosen < len(pairs):
        return False
    return pairs[chosen]["answer"] == pairs[stem]["answer"]
