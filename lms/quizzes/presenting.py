"""What the quiz pages show of each question: the public view while an attempt is open,
and, on the review page, as much of the grading as the course's review options allow.

The open view is built from ``QUESTION_TYPES[qtype].public(...)`` and the learner's own
form values only, so no right answer, fraction or feedback can reach the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from lms.courses.rendering import render_question_text
from lms.courses.settings import REVIEW_OPTIONS
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.qtypes import QUESTION_TYPES

_BLOCK_PREFIX, _BLOCK_SUFFIX = "<p>", "</p>\n"


@dataclass
class ShownQuestion:
    """One question as a page shows it; the review fields stay empty on the open page."""

    position: int
    qtype: str
    text: Markup
    public: dict
    values: list[str]
    graded: bool = True
    status: str = ""  # right | partial | wrong | pending | unanswered (review only)
    fraction: float | None = None
    right_answer: str = ""
    feedback: list[Markup] = field(default_factory=list)
    general_feedback: Markup = Markup("")
    comment: str = ""
    response: Any = None

    @property
    def chosen(self) -> dict[str, str]:
        """Matching: the chosen option key of each stem key."""
        return dict(value.split(":", 1) for value in self.values if ":" in value)


def media_prefix(course) -> str:
    """Where a course's ``media/…`` links point."""
    return f"/courses/{course.code}/media/"


def rich(text: str, text_format: str, prefix: str) -> Markup:
    """A question text or feedback as sanitised HTML."""
    return Markup(render_question_text(text, text_format, prefix)) if text else Markup("")


def inline(text: str, text_format: str, prefix: str) -> Markup:
    """An option's text as sanitised inline HTML (a lone Markdown paragraph is unwrapped)."""
    html = render_question_text(text, text_format, prefix)
    if html.startswith(_BLOCK_PREFIX) and html.endswith(_BLOCK_SUFFIX) and html.count(_BLOCK_PREFIX) == 1:
        html = html[len(_BLOCK_PREFIX):-len(_BLOCK_SUFFIX)]
    return Markup(html)


def open_view(attempt: Attempt, values: dict[int, list[str]] | None = None) -> list[ShownQuestion]:
    """The questions of an open attempt, with the saved (or just submitted) values.

    :param attempt: the attempt
    :param values: form values to show instead of the saved ones (a refused form post)
    """
    prefix = media_prefix(attempt.course)
    return [_public(item, prefix, (values or {}).get(item.position)) for item in attempt.questions]


def _public(item: AttemptQuestion, prefix: str, values: list[str] | None) -> ShownQuestion:
    qtype = QUESTION_TYPES[item.qtype]
    text_format = item.snapshot["text_format"]
    public = qtype.public(item.data, item.presentation)
    for key in ("options", "stems"):
        if key in public:
            public[key] = [{**option, "html": inline(option["text"], text_format, prefix)} for option in public[key]]
    if values is None:
        values = qtype.form_values(item.data, item.presentation, item.response)
    return ShownQuestion(item.position, item.qtype, rich(item.snapshot["text"], text_format, prefix),
                         public, values, graded=qtype.graded)


def review_options(attempt: Attempt, full: bool) -> dict[str, bool]:
    """What the review shows: the course's review options, or everything for a trainer.

    :param attempt: a submitted attempt
    :param full: whether the viewer grades quizzes
    """
    if full:
        return dict.fromkeys(REVIEW_OPTIONS, True)
    settings = attempt.course.quiz.get("review") or {}
    return {option: bool(settings.get(option, True)) for option in REVIEW_OPTIONS}


def review_view(attempt: Attempt, options: dict[str, bool]) -> list[ShownQuestion]:
    """The questions of a submitted attempt with what ``options`` allow to show.

    :param attempt: a submitted attempt
    :param options: from :func:`review_options`
    """
    prefix = media_prefix(attempt.course)
    shown = []
    for item in attempt.questions:
        question = _public(item, prefix, None)
        question.response = item.response
        question.comment = item.comment
        _add_grading(question, item, options, prefix)
        shown.append(question)
    return shown


def _add_grading(question: ShownQuestion, item: AttemptQuestion, options: dict[str, bool], prefix: str) -> None:
    qtype = QUESTION_TYPES[item.qtype]
    text_format = item.snapshot["text_format"]
    if options["correctness"] and qtype.graded:
        question.status = _status(item)
        question.fraction = item.fraction
        question.right_answer = qtype.right_answer_text(item.data)
    if options["feedback"]:
        question.feedback = [rich(text, text_format, prefix) for text in qtype.feedback(item.data, item.response)]
    if options["general_feedback"]:
        question.general_feedback = rich(item.snapshot["general_feedback"], text_format, prefix)


def _status(item: AttemptQuestion) -> str:
    if item.fraction is None:
        return "pending"
    if item.response is None:
        return "unanswered"
    if item.fraction >= 1 - 1e-9:
        return "right"
    return "partial" if item.fraction > 0 else "wrong"
