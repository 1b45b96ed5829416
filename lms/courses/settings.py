"""The settings of a course's quiz and certificate, with their defaults and checks."""

from __future__ import annotations

from lms.core.text import nfc

GRADING_METHODS = ("highest", "average", "first", "last")
REVIEW_OPTIONS = ("score", "correctness", "feedback", "general_feedback")
QUIZ_DEFAULTS = {
    "title": "Bài kiểm tra cuối khóa",
    "time_limit_minutes": 0,
    "attempts_allowed": 0,
    "grading": "highest",
    "shuffle_questions": True,
    "shuffle_answers": True,
    "draw": {},
    "review": {option: True for option in REVIEW_OPTIONS},
}


class QuizSettingsError(ValueError):
    """A bad value in the quiz settings; ``key`` names the setting."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _whole_number(settings: dict, key: str, high: int) -> int:
    value = settings.get(key, QUIZ_DEFAULTS[key])
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise QuizSettingsError(key, f"quiz '{key}' must be a whole number from 0 to {high}")
    return value


def _draw(settings: dict) -> dict[str, int]:
    draw = settings.get("draw") or {}
    if not isinstance(draw, dict):
        raise QuizSettingsError("draw", "quiz 'draw' must map category names to counts")
    result = {}
    for category, count in draw.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise QuizSettingsError("draw", f"quiz draw count for '{category}' must be a positive whole number")
        result[nfc(str(category))] = count
    return result


def normalise_quiz(settings: dict) -> dict:
    """Quiz settings with defaults filled in and every value checked.

    :param settings: the ``quiz`` mapping of ``course.yaml`` (or of the course form)
    :raises QuizSettingsError: naming the bad setting
    """
    if not isinstance(settings, dict):
        raise QuizSettingsError("quiz", "'quiz' must be a mapping of settings")
    grading = settings.get("grading", QUIZ_DEFAULTS["grading"])
    if grading not in GRADING_METHODS:
        raise QuizSettingsError("grading", f"quiz 'grading' must be one of {', '.join(GRADING_METHODS)}")
    review = settings.get("review") or {}
    if not isinstance(review, dict) or set(review) - set(REVIEW_OPTIONS):
        raise QuizSettingsError("review", f"quiz 'review' may set {', '.join(REVIEW_OPTIONS)}")
    return {
        "title": nfc(str(settings.get("title") or QUIZ_DEFAULTS["title"])),
        "time_limit_minutes": _whole_number(settings, "time_limit_minutes", 600),
        "attempts_allowed": _whole_number(settings, "attempts_allowed", 100),
        "grading": grading,
        "shuffle_questions": bool(settings.get("shuffle_questions", True)),
        "shuffle_answers": bool(settings.get("shuffle_answers", True)),
        "draw": _draw(settings),
        "review": {option: bool(review.get(option, True)) for option in REVIEW_OPTIONS},
    }


def normalise_certificate(settings: dict) -> dict:
    """Certificate settings with defaults (``enabled``: true).

    :param settings: the ``certificate`` mapping of ``course.yaml``
    """
    settings = settings if isinstance(settings, dict) else {}
    return {"enabled": bool(settings.get("enabled", True))}
