"""The quiz pages: start, answer (form and autosave), submit, review; trainers' attempt lists and essay grading."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.admin.operations import audit
from lms.core.access import attempt_or_404, can_grade_quizzes, course_or_404, role_required
from lms.core.database import begin_write, commit_without_expiring, writes_late
from lms.core.models import utcnow
from lms.extensions import db
from lms.quizzes import grading
from lms.quizzes.forms import EssayGradeForm
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.operations import (
    QuizError, answer_sheet, close_overdue, is_overdue, lock_attempt, parse_answers, save_answers, start_attempt,
    submit_attempt,
)
from lms.quizzes.presenting import open_view, review_options, review_view
from lms.quizzes.queries import course_attempts_query, quiz_state

bp = Blueprint("quizzes", __name__)

_ANSWER_FIELD = re.compile(r"q([0-9]{1,6})")
_MAX_SEQ = 2**62


def error_message(error: QuizError) -> str:
    """The learner's message for a refused request."""
    if error.code == "invalid_answer":
        return _("Câu %(n)d: câu trả lời không hợp lệ, chưa được lưu. Hãy kiểm tra lại.", n=error.position)
    return {
        "closed": _("Bài làm này đã nộp, không thể thay đổi câu trả lời nữa."),
        "too_late": _("Đã hết thời gian làm bài. Câu trả lời gửi sau thời hạn không được ghi nhận; "
                      "bài làm được chấm theo các câu trả lời đã lưu trước đó."),
        "unknown_question": _("Câu trả lời gửi lên không thuộc bài làm này; không có gì được lưu."),
        "no_attempts_left": _("Bạn đã dùng hết số lần làm bài kiểm tra của khóa học này."),
        "no_quiz": _("Khóa học này chưa có bài kiểm tra."),
    }[error.code]


@bp.app_template_filter("percent")
def percent(fraction: float | None) -> str:
    """A fraction as a percent in the user's language (``85,5%``)."""
    return "" if fraction is None else format_percent(fraction, "#,##0.#%")


def server_seq(now: datetime) -> int:
    """The sequence number of a save made without JavaScript: the server's clock in ms."""
    return int(now.timestamp() * 1000)


def _form_answers() -> dict[int, list[str]]:
    answers = {}
    form = request.form
    for name in form:
        match = _ANSWER_FIELD.fullmatch(name)
        if match:
            answers[int(match.group(1))] = form.getlist(name)
    return answers


def _course_page(course) -> str:
    if "learning.course" in current_app.view_functions:
        return url_for("learning.course", code=course.code)
    return url_for("core.home")


def _closed_overdue(attempt: Attempt, now: datetime) -> bool:
    """On a GET: close an overdue attempt in a write transaction of its own."""
    if not is_overdue(attempt, now):
        return False
    attempt_id = attempt.id
    db.session.rollback()  # SQLite: the closing UPDATE must open its transaction, not follow a read
    close_overdue(attempt_id, now)
    db.session.commit()
    flash(_("Đã hết thời gian làm bài: bài làm đã được nộp với các câu trả lời đã lưu."), "warning")
    return True


@bp.post("/courses/<code>/quiz/start")
@login_required
def start(code: str):
    """Start the course's quiz, or resume the open attempt."""
    course = course_or_404(current_user, code)
    try:
        attempt = start_attempt(current_user, course)
    except QuizError as error:
        flash(error_message(error), "error")
        return redirect(_course_page(course))
    db.session.commit()
    if not attempt.is_open:
        flash(_("Đã hết thời gian làm bài: bài làm đã được nộp với các câu trả lời đã lưu."), "warning")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@writes_late
@login_required
def attempt(attempt_id: int):
    """The attempt's form; a POST saves the answers (the "save" button, without JavaScript)."""
    current = attempt_or_404(current_user, attempt_id)
    now = utcnow()
    if request.method == "GET":
        if _closed_overdue(current, now) or not current.is_open:
            return redirect(url_for("quizzes.review", attempt_id=attempt_id))
        return _render_attempt(current, now)
    answers = _form_answers()
    try:
        sheet, responses = _checked_then_write(current, answers)
        save_answers(current, responses, server_seq(now), now, sheet)
    except QuizError as error:
        return _refused_form(current, error, answers, now)
    db.session.commit()
    flash(_("Đã lưu câu trả lời."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))


def _checked_then_write(current: Attempt, answers: dict[int, list[str]]):
    """Read the attempt's answer sheet and check ``answers`` against it before the write lock,
    then take it (:func:`begin_write`): the caller's save or submission writes next.

    :raises QuizError: an answer that does not fit its question (nothing locked or written)
    """
    sheet = answer_sheet(current)
    responses = parse_answers(sheet, answers)
    begin_write()
    return sheet, responses


def _render_attempt(current: Attempt, now: datetime, values=None, error: str = "", status: int = 200):
    return render_template(
        "quizzes/attempt.html", attempt=current, course=current.course, questions=open_view(current, values),
        now=now, server_ms=server_seq(now), error=error, course_url=_course_page(current.course),
    ), status


def _refused_form(current: Attempt, error: QuizError, answers, now: datetime):
    """Bad answers: show the form again as sent; a closed attempt: go to its review."""
    if error.code in ("closed", "too_late"):
        db.session.commit()  # keeps the closing of an overdue attempt
        flash(error_message(error), "warning")
        return redirect(url_for("quizzes.review", attempt_id=current.id))
    db.session.rollback()
    return _render_attempt(current, now, answers, error_message(error), 400)


@bp.post("/attempts/<int:attempt_id>/autosave")
@writes_late
@login_required
def autosave(attempt_id: int):
    """Save answers sent as JSON ``{"seq": n, "answers": {"<position>": [values]}}``."""
    current = attempt_or_404(current_user, attempt_id)
    now = utcnow()
    seq, answers = _json_answers(request.get_json(silent=True))
    try:
        sheet, responses = _checked_then_write(current, answers)
        stored = save_answers(current, responses, seq, now, sheet)
    except QuizError as error:
        if error.code in ("closed", "too_late"):
            db.session.commit()
            return {"error": error_message(error), "review_url": url_for("quizzes.review", attempt_id=attempt_id)}, 409
        db.session.rollback()
        return {"error": error_message(error), "position": error.position}, 400
    commit_without_expiring()
    return {"saved": stored, "seq": seq, "saved_at": now.isoformat()}


def _json_answers(payload) -> tuple[int, dict[int, list[str]]]:
    """Check the autosave payload's shape (400 for anything else)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        abort(400)
    seq = payload.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < _MAX_SEQ:
        abort(400)
    answers = {}
    for key, values in payload["answers"].items():
        if not str(key).isdigit() or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            abort(400)
        answers[int(key)] = values
    return seq, answers


@bp.post("/attempts/<int:attempt_id>/submit")
@writes_late
@login_required
def submit(attempt_id: int):
    """Save the last answers and submit; a second submission only shows the review."""
    current = attempt_or_404(current_user, attempt_id)
    now = utcnow()
    answers = _form_answers()
    try:
        sheet, responses = _checked_then_write(current, answers)
        submit_attempt(current, now, responses, server_seq(now), sheet)
    except QuizError as error:
        if error.code == "closed":
            return redirect(url_for("quizzes.review", attempt_id=attempt_id))
        return _refused_form(current, error, answers, now)
    commit_without_expiring()
    # The review page says "submitted": a flash would write (and re-sign) the session cookie.
    return redirect(url_for("quizzes.review", attempt_id=attempt_id, submitted=1))


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """A submitted attempt, with what the course's review options allow (everything for trainers)."""
    current = attempt_or_404(current_user, attempt_id, own=False)
    own = current.user_id == current_user.id
    if own:
        _closed_overdue(current, utcnow())
    if own and current.is_open:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    full = can_grade_quizzes(current_user)
    options = review_options(current, full)
    return render_template(
        "quizzes/review.html", attempt=current, course=current.course, options=options, full=full,
        questions=review_view(current, options), state=quiz_state(current.user, current.course),
        course_url=_course_page(current.course), just_submitted=own and "submitted" in request.args,
    )


@bp.get("/trainer/courses/<code>/attempts")
@role_required("trainer", "admin")
def course_attempts(code: str):
    """Every learner's attempts at the course's quiz; those waiting for an essay grade first."""
    course = course_or_404(current_user, code)
    awaiting = request.args.get("awaiting") == "1"
    page = db.paginate(course_attempts_query(course, awaiting), per_page=50, error_out=False)
    return render_template("quizzes/course_attempts.html", course=course, page=page, awaiting=awaiting)


@bp.post("/trainer/attempts/<int:attempt_id>/questions/<int:position>/grade")
@role_required("trainer", "admin")
def grade_essay(attempt_id: int, position: int):
    """Record a trainer's grade and comment for one essay of a submitted attempt."""
    current = lock_attempt(attempt_id) or abort(404)
    item = db.session.scalar(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == current.id, AttemptQuestion.position == position))
    if item is None or item.qtype != "essay" or current.is_open:
        abort(404)
    form = EssayGradeForm()
    if not form.validate_on_submit():
        flash(_("Điểm phải là một số từ 0 đến 100."), "error")
        return redirect(url_for("quizzes.review", attempt_id=attempt_id, _anchor=f"q{position}"))
    fraction = float(form.percent.data) / 100
    grading.grade_essay(current, item, fraction, form.comment.data or "", current_user)
    audit("quiz.essay_graded", current, position=position, fraction=fraction)
    db.session.commit()
    flash(_("Đã chấm câu %(n)d.", n=position), "success")
    return redirect(url_for("quizzes.review", attempt_id=attempt_id, _anchor=f"q{position}"))
