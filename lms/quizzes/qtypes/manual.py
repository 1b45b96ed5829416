"""Questions no machine grades: essays (graded by a trainer) and descriptions."""

from __future__ import annotations

import unicodedata
from typing import Any

from lms.quizzes import gift
from lms.quizzes.qtypes.base import InvalidResponse, ParsedQuestion, QuestionType, submitted

MAX_ESSAY_LENGTH = 100_000


class Essay(QuestionType):
    """A free text answer that waits for a trainer. Data: ``{}``. Response: the text."""

    name = "essay"
    label = "Tự luận"
    auto_graded = False

    @classmethod
    def parse_response(cls, data: dict, presentation: dict, values: list[str]) -> Any:
        values = submitted(values)
        if not values:
            return None
        if len(values) > 1:
            raise InvalidResponse("only one answer is allowed")
        if len(values[0]) > MAX_ESSAY_LENGTH:
            raise InvalidResponse("the answer is too long")
        return unicodedata.normalize("NFC", values[0])

    @classmethod
    def form_values(cls, data: dict, presentation: dict, response: Any) -> list[str]:
        return [] if response is None else [response]

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        return gift.write_question(question, [])


class Description(QuestionType):
    """Text between questions, with nothing to answer. Data: ``{}``.

    GIFT has no place for the general feedback of a description: it is not written.
    """

    name = "description"
    label = "Mô tả"
    graded = False
    auto_graded = False

    @classmethod
    def to_gift(cls, question: ParsedQuestion) -> str:
        return gift.write_question(question, None)
