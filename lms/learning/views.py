"""The learner's pages: dashboard, catalogue, course page and lesson player."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.core.access import can_view_course, course_or_404
from lms.courses.models import Course, Lesson
from lms.courses.rendering import render_markdown
from lms.extensions import db
from lms.learning import operations, queries
from lms.quizzes.queries import course_has_quiz, quiz_state

bp = Blueprint("learning", __name__)


@bp.before_request
@login_required
def require_login():
    """Every learning page is for logged-in users."""


def _lesson_or_404(course: Course, slug: str) -> Lesson:
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == slug))
    if lesson is None or lesson.retired:
        abort(404)
    return lesson


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/learn")
def dashboard():
    """The learner's dashboard: required trainings, courses in progress and completed, the catalogue."""
    board = queries.dashboard(current_user)
    return render_template("learning/dashboard.html", board=board)


@bp.get("/courses")
def catalogue():
    """Every published course, with the learner's progress where they started it."""
    courses = queries.published_courses()
    progress = queries.progress_for(current_user, courses) if courses else {}
    return render_template("learning/catalogue.html", courses=courses, progress_by_course=progress)


def _quiz_block(course: Course) -> dict | None:
    """What the course page shows of the final quiz, or ``None`` when the course has none."""
    if not course_has_quiz(course):
        return None
    start_url = None
    if "quizzes.start" in current_app.view_functions:
        start_url = url_for("quizzes.start", code=course.code)
    return {"state": quiz_state(current_user, course), "start_url": start_url, "settings": course.quiz}


@bp.get("/courses/<code>")
def course(code: str):
    """A course: summary, study hours, lessons with what is done, time left, the quiz."""
    course = course_or_404(current_user, code)
    progress = queries.course_progress(current_user, course)
    return render_template("learning/course.html", course=course, progress=progress, quiz=_quiz_block(course))


@bp.post("/courses/<code>/enrol")
def enrol(code: str):
    """Join a course, then go to its first lesson."""
    course = course_or_404(current_user, code)
    operations.enrol(current_user, course)
    db.session.commit()
    resume = queries.course_progress(current_user, course).resume_lesson()
    if resume is None:
        return redirect(url_for("learning.course", code=course.code))
    return redirect(url_for("learning.lesson", code=course.code, slug=resume.slug))


@bp.get("/courses/<code>/lessons/<slug>")
def lesson(code: str, slug: str):
    """The lesson player: the text, next/previous, and the "read" button."""
    page = queries.lesson_page(current_user, code, slug)
    if page is None or not can_view_course(current_user, page.course):
        abort(404)
    previous, following = page.progress.neighbours(page.lesson.id)
    body = render_markdown(page.body, media_prefix=url_for("courses.media", code=page.course.code, filename=""))
    return render_template(
        "learning/lesson.html", course=page.course, lesson=page.lesson, body=body, progress=page.progress,
        number=page.progress.number(page.lesson.id), previous=previous, following=following,
    )


@bp.post("/courses/<code>/lessons/<slug>/visit")
def visit(code: str, slug: str):
    """Remember the lesson as the learner's place in the course (sent by lesson.js on load)."""
    course = course_or_404(current_user, code)
    operations.record_visit(current_user, _lesson_or_404(course, slug))
    db.session.commit()
    return "", 204


@bp.post("/courses/<code>/lessons/<slug>/read")
def mark_read(code: str, slug: str):
    """Mark the lesson read: by lesson.js at the lesson's end (JSON), or by the button (then go on)."""
    course = course_or_404(current_user, code)
    lesson = _lesson_or_404(course, slug)
    before = queries.course_progress(current_user, course)
    completion = operations.mark_lesson_read(current_user, lesson)
    db.session.commit()
    if _wants_json():
        return {"read": True, "completed": completion is not None}
    if completion is not None and before.completion is None:
        flash(_("Chúc mừng! Bạn đã hoàn thành khóa học “%(title)s”.", title=course.title), "success")
    _previous, following = before.neighbours(lesson.id)
    if following is None:
        return redirect(url_for("learning.course", code=course.code))
    return redirect(url_for("learning.lesson", code=course.code, slug=following.slug))
