"""Item analysis of a course's quiz, as Moodle's quiz statistics report computes it.

Moodle's definitions (docs.moodle.org, "Quiz statistics calculations"):

- only graded attempts count, and by default only each learner's **first** one (later
  attempts build on the first and break the assumptions of item analysis);
- **facility index**: the mean score on the question, as a fraction of its maximum;
- **discrimination index**: 100 × the correlation between the score on the question and
  the score on the *rest of the test* (the attempt's total without this question).

A question is followed by its id across its versions; attempts hold frozen copies, so a
question retired or edited since is still analysed. Flags: facility above 0.9 (too easy),
below 0.2 (too hard), a negative discrimination index.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from lms.courses.models import Course, Question
from lms.extensions import db
from lms.quizzes.models import Attempt, AttemptQuestion

TOO_EASY, TOO_HARD = 0.9, 0.2
NO_ANSWER = "—"


@dataclass
class QuestionStats:
    """The statistics of one question; ``discrimination`` is ``None`` when undefined."""

    question_id: int
    name: str
    qtype: str
    attempts: int = 0
    facility: float = 0.0
    sd: float = 0.0
    discrimination: float | None = None
    versions: list[int] = field(default_factory=list)
    distribution: list[tuple[str, float, int]] = field(default_factory=list)  # (answer, weight, count)

    @property
    def flags(self) -> list[str]:
        """``too_easy``, ``too_hard``, ``negative`` as they apply."""
        flags = ["too_easy"] if self.facility > TOO_EASY else ["too_hard"] if self.facility < TOO_HARD else []
        return flags + (["negative"] if self.discrimination is not None and self.discrimination < 0 else [])


@dataclass
class QuizStats:
    attempts: int
    mean_score: float | None
    questions: list[QuestionStats]


def _graded_attempts(course: Course, first_only: bool) -> list[Attempt]:
    stmt = (select(Attempt).where(Attempt.course_id == course.id, Attempt.state == "submitted",
                                  Attempt.score.isnot(None)).order_by(Attempt.user_id, Attempt.number))
    attempts = list(db.session.scalars(stmt))
    if not first_only:
        return attempts
    seen: set[int] = set()
    return [a for a in attempts if a.user_id not in seen and not seen.add(a.user_id)]


def _items(attempts: list[Attempt]) -> dict[int, list[AttemptQuestion]]:
    by_attempt: dict[int, list[AttemptQuestion]] = defaultdict(list)
    if attempts:
        stmt = select(AttemptQuestion).where(AttemptQuestion.attempt_id.in_([a.id for a in attempts]),
                                             AttemptQuestion.fraction.isnot(None))
        for item in db.session.scalars(stmt):
            by_attempt[item.attempt_id].append(item)
    return by_attempt


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's correlation coefficient, ``None`` when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx < 1e-12 or syy < 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def quiz_statistics(course: Course, *, first_only: bool = True) -> QuizStats:
    """Item analysis of the course's quiz.

    :param course: the course
    :param first_only: each learner's first graded attempt only (Moodle's default)
    """
    attempts = _graded_attempts(course, first_only)
    items = _items(attempts)
    totals = {attempt_id: sum(item.fraction for item in group) for attempt_id, group in items.items()}
    per_question: dict[int, list[AttemptQuestion]] = defaultdict(list)
    for group in items.values():
        for item in group:
            if item.question_id is not None:
                per_question[item.question_id].append(item)
    names = dict(db.session.execute(select(Question.id, Question.name).where(Question.id.in_(per_question))).all())
    stats = [_question_stats(qid, names.get(qid, f"#{qid}"), group, totals) for qid, group in per_question.items()]
    stats.sort(key=lambda s: s.name)
    scores = [a.score for a in attempts]
    return QuizStats(len(attempts), sum(scores) / len(scores) if scores else None, stats)


def _question_stats(question_id: int, name: str, group: list[AttemptQuestion], totals: dict[int, float]) -> QuestionStats:
    xs = [item.fraction for item in group]
    rest = [totals[item.attempt_id] - item.fraction for item in group]
    mean = sum(xs) / len(xs)
    r = correlation(xs, rest)
    latest = max(group, key=lambda item: item.question_version)
    return QuestionStats(
        question_id=question_id, name=name, qtype=latest.qtype, attempts=len(xs), facility=mean,
        sd=math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0,
        discrimination=None if r is None else 100 * r,
        versions=sorted({item.question_version for item in group}),
        distribution=answer_distribution(group),
    )


def answer_distribution(group: list[AttemptQuestion]) -> list[tuple[str, float, int]]:
    """``(answer text, weight, times chosen)`` for choice questions; empty for others.

    Answers are counted by their text, so versions that kept an answer's text share it.
    """
    counts: Counter[str] = Counter()
    weights: dict[str, float] = {}
    for item in group:
        chosen = _chosen(item)
        if chosen is None:
            return []
        counts.update(chosen or [NO_ANSWER])
        weights.update(_weights(item))
    weights.setdefault(NO_ANSWER, 0.0)
    order = list(weights)
    return [(text, weights[text], counts.get(text, 0)) for text in order if text != NO_ANSWER or counts[text]]


def _chosen(item: AttemptQuestion) -> list[str] | None:
    if item.qtype == "multichoice":
        return [item.data["answers"][index]["text"] for index in item.response or []]
    if item.qtype == "truefalse":
        return [] if item.response is None else ["Đúng" if item.response else "Sai"]
    return None


def _weights(item: AttemptQuestion) -> dict[str, float]:
    if item.qtype == "multichoice":
        return {answer["text"]: answer["fraction"] for answer in item.data["answers"]}
    correct = item.data["correct"]
    return {"Đúng": 1.0 if correct else 0.0, "Sai": 0.0 if correct else 1.0}
