"""Trainers' pages: their courses, the course editor, lessons and media, publishing, staff."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import User
from lms.authoring import operations
from lms.authoring.drafts import SETTINGS, EditConflict, edit_version, find_draft, lesson_ref, open_draft, removed_object
from lms.authoring.forms import ActionForm, CourseCreateForm, LessonForm, MediaForm, SettingsForm, StaffForm
from lms.authoring.models import CourseDraft, DraftMedia
from lms.authoring.operations import AuthoringError
from lms.authoring.queries import authored_courses, course_staff, missing_media_names
from lms.core.access import authored_course_or_404, is_admin, role_required
from lms.core.i18n import vn_datetime
from lms.courses.models import Course
from lms.courses.rendering import render_markdown
from lms.courses.views import MEDIA_CSP
from lms.extensions import db

bp = Blueprint("authoring", __name__, url_prefix="/authoring")


def require_draft(course: Course) -> CourseDraft:
    """The course's open draft; without one, back to the course page (GET never opens one).

    A POST changes the draft, so its row is locked: two editors' saves, and the version
    checks before them, happen in turn (on PostgreSQL; SQLite's write lock already does it).
    """
    draft = find_draft(course, lock=request.method == "POST")
    if draft is None:
        flash(_("Hãy bấm “Sửa khóa học” để mở bản nháp trước."), "info")
        abort(redirect(url_for("authoring.course", code=course.code)))
    return draft


def flash_problems(error: AuthoringError) -> None:
    for problem in error.problems:
        flash(problem, "error")


def edited_object(draft: CourseDraft, ref: str, found: dict | None) -> dict | None:
    """The object an edit form is about: the one found in the draft or, when a save arrives
    for an object someone removed meanwhile, its last content (the save then gets a conflict)."""
    if found is None and request.method == "POST":
        return removed_object(draft, ref)
    return found


def conflict_notice(conflict: EditConflict, what: str, latest_url: str) -> dict:
    """What a trainer reads when their save came after someone else's (answered with 409)."""
    who = db.session.get(User, conflict.by_id) if conflict.by_id else None
    values = {"what": what, "when": vn_datetime(conflict.at), "who": who.full_name if who else _("không rõ")}
    if conflict.at is None:
        message = _("%(what)s đã thay đổi từ khi bạn mở trang này.", what=what)
    elif conflict.removed is not None:
        message = _("%(what)s vừa bị người khác xóa khỏi bản nháp (lúc %(when)s, bởi %(who)s).", **values)
    else:
        message = _("%(what)s vừa được người khác sửa (lúc %(when)s, bởi %(who)s).", **values)
    keep = _("Nội dung của bạn vẫn còn bên dưới, chưa được lưu; hãy mở bản mới nhất để xem rồi sửa lại.")
    return {"message": f"{message} {keep}", "url": latest_url}


def media_prefix(course: Course) -> str:
    """The URL that replaces ``media/`` in the draft's lessons."""
    return url_for("authoring.draft_media", code=course.code, filename="x")[:-1]


@bp.route("/courses", methods=["GET", "POST"])
@role_required("trainer", "admin")
def courses():
    """The courses the trainer owns or edits, and the form to create one."""
    form = CourseCreateForm()
    if form.validate_on_submit():
        try:
            course = operations.create_course(current_user, form.code.data, form.title.data)
        except AuthoringError as error:
            form.code.errors.extend(error.problems)
        else:
            db.session.commit()
            flash(_("Đã tạo khóa học. Hãy thêm bài học và câu hỏi rồi xuất bản."), "success")
            return redirect(url_for("authoring.course", code=course.code))
    return render_template("authoring/courses.html", rows=authored_courses(current_user), form=form)


@bp.get("/courses/<code>")
@role_required("trainer", "admin")
def course(code: str):
    """The course editor: state, settings, lessons, media, bank, publishing."""
    course = authored_course_or_404(current_user, code)
    draft = find_draft(course)
    names = {m.filename for m in draft.media} if draft else set()
    warnings = {lesson["slug"]: missing_media_names(lesson["body"], names) for lesson in draft.lessons} if draft else {}
    return render_template("authoring/course.html", course=course, draft=draft, warnings=warnings,
                           action=ActionForm(), media_form=MediaForm(), staff=course_staff(course),
                           staff_form=StaffForm() if is_admin(current_user) else None)


@bp.post("/courses/<code>/edit")
@role_required("trainer", "admin")
def edit(code: str):
    """Open the draft (a copy of the published course) to edit it."""
    course = authored_course_or_404(current_user, code)
    if ActionForm().validate_on_submit():
        open_draft(course)
        db.session.commit()
    return redirect(url_for("authoring.course", code=code))


@bp.route("/courses/<code>/settings", methods=["GET", "POST"])
@role_required("trainer", "admin")
def settings(code: str):
    """The course's settings, quiz and certificate (course.yaml)."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    form = SettingsForm()
    conflict = None
    if not form.is_submitted():
        form.load(draft.settings)
        form.version.data = edit_version(draft, SETTINGS)
    elif form.validate():
        try:
            operations.save_settings(draft, form.settings(), version=form.version.data)
        except EditConflict as error:
            conflict = conflict_notice(error, _("Cài đặt khóa học"), url_for("authoring.settings", code=code))
        except AuthoringError as error:
            flash_problems(error)
        else:
            db.session.commit()
            flash(_("Đã lưu cài đặt vào bản nháp."), "success")
            return redirect(url_for("authoring.course", code=code))
    return render_template("authoring/settings.html", course=course, form=form, conflict=conflict), \
        409 if conflict else 200


@bp.route("/courses/<code>/lessons/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/courses/<code>/lessons/<slug>", methods=["GET", "POST"])
@role_required("trainer", "admin")
def lesson(code: str, slug: str | None):
    """Write a lesson in Markdown, with a preview exactly as learners will see it."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    current = None
    if slug is not None:
        current = edited_object(draft, lesson_ref(slug), next((i for i in draft.lessons if i["slug"] == slug), None))
        if current is None:
            abort(404)
    form = LessonForm(data=current)
    if slug is not None and not form.is_submitted():
        form.version.data = edit_version(draft, lesson_ref(slug))
    conflict = None
    if form.validate_on_submit() and request.form.get("action") != "preview":
        try:
            slug = operations.save_lesson(draft, slug, form.title.data, form.minutes.data, form.body.data,
                                          version=form.version.data)
        except EditConflict as error:
            latest = url_for("authoring.course", code=code) if error.removed else request.path
            conflict = conflict_notice(error, _("Bài học này"), latest)
        else:
            db.session.commit()
            flash(_("Đã lưu bài học vào bản nháp."), "success")
            return redirect(url_for("authoring.lesson", code=code, slug=slug))
    body = form.body.data or ""
    return render_template("authoring/lesson.html", course=course, draft=draft, slug=slug, form=form,
                           preview=render_markdown(body, media_prefix(course)), media_form=MediaForm(),
                           missing=missing_media_names(body, {m.filename for m in draft.media}),
                           conflict=conflict), 409 if conflict else 200


@bp.post("/courses/<code>/preview")
@role_required("trainer", "admin")
def preview(code: str):
    """The Markdown of a lesson as learners will see it (JSON, for the live preview)."""
    course = authored_course_or_404(current_user, code)
    draft = find_draft(course)  # only read: no lock, so previews never wait for a save
    if draft is None:
        abort(404)
    body = str((request.get_json(silent=True) or {}).get("body", ""))[:500_000]
    return jsonify(html=render_markdown(body, media_prefix(course)),
                   missing=missing_media_names(body, {m.filename for m in draft.media}))


@bp.post("/courses/<code>/lessons/<slug>/<any(up, down, remove):action>")
@role_required("trainer", "admin")
def lesson_action(code: str, slug: str, action: str):
    """Move a lesson up or down, or take it out of the course."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    if ActionForm().validate_on_submit():
        try:
            if action == "remove":
                operations.remove_lesson(draft, slug)
            else:
                operations.move_lesson(draft, slug, -1 if action == "up" else 1)
        except LookupError:
            abort(404)
        db.session.commit()
    return redirect(url_for("authoring.course", code=code) + "#lessons")


@bp.post("/courses/<code>/media")
@role_required("trainer", "admin")
def upload_media(code: str):
    """Add an image, PDF or MP4 to the draft (its type is judged by its content)."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    form = MediaForm()
    back = request.form.get("back_slug")
    if form.validate_on_submit():
        try:
            item = operations.add_media(draft, form.file.data.filename or "tep", form.file.data.read())
        except AuthoringError as error:
            flash_problems(error)
        else:
            db.session.commit()
            flash(_("Đã tải lên. Chèn vào bài bằng: ![mô tả](media/%(name)s)", name=item.filename), "success")
    else:
        flash(_("Hãy chọn một tệp."), "error")
    if back and any(lesson["slug"] == back for lesson in draft.lessons):
        return redirect(url_for("authoring.lesson", code=code, slug=back) + "#media")
    return redirect(url_for("authoring.course", code=code) + "#media")


@bp.post("/courses/<code>/media/<filename>/remove")
@role_required("trainer", "admin")
def remove_media(code: str, filename: str):
    """Delete a media file from the draft."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    if ActionForm().validate_on_submit():
        try:
            operations.remove_media(draft, filename)
        except LookupError:
            abort(404)
        db.session.commit()
    return redirect(url_for("authoring.course", code=code) + "#media")


@bp.get("/courses/<code>/draft-media/<filename>")
@role_required("trainer", "admin")
def draft_media(code: str, filename: str):
    """A media file of the draft, for the trainer's preview (never cached, never sniffed)."""
    course = authored_course_or_404(current_user, code)
    item = db.session.scalar(select(DraftMedia).join(CourseDraft).where(
        CourseDraft.course_id == course.id, DraftMedia.filename == filename))
    if item is None:
        abort(404)
    response: Response = send_file(io.BytesIO(item.data), mimetype=item.content_type,
                                   download_name=item.filename, as_attachment=item.content_type == "application/pdf")
    response.headers.update({"Content-Security-Policy": MEDIA_CSP, "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, no-store"})
    return response


@bp.post("/courses/<code>/<any(publish, unpublish, discard):action>")
@role_required("trainer", "admin")
def state(code: str, action: str):
    """Publish the draft, hide the course from learners, or throw the draft away."""
    course = authored_course_or_404(current_user, code)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "publish":
        return _publish(course)
    if action == "unpublish":
        operations.unpublish(course)
        flash(_("Khóa học đã được ẩn khỏi học viên."), "success")
    else:
        operations.discard_draft(course)
        flash(_("Đã bỏ bản nháp; khóa học giữ nguyên bản đã xuất bản."), "success")
    db.session.commit()
    return redirect(url_for("authoring.course", code=code))


def _publish(course: Course):
    draft = require_draft(course)
    try:
        report = operations.publish(draft)
    except AuthoringError as error:
        flash(_("Chưa xuất bản được. Hãy sửa các lỗi sau:"), "error")
        flash_problems(error)
        return redirect(url_for("authoring.course", code=course.code))
    db.session.commit()
    flash(_("Đã xuất bản khóa học (%(n)d thay đổi).", n=len(report.changes)), "success")
    return redirect(url_for("authoring.course", code=course.code))


@bp.post("/courses/<code>/staff")
@role_required("admin")
def staff(code: str):
    """Admin: let a trainer edit or own the course."""
    course = authored_course_or_404(current_user, code)
    form = StaffForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.staff_code == form.staff_code.data.strip()))
        if user is None:
            flash(_("Không có cán bộ với số hiệu này."), "error")
        else:
            operations.assign_staff(course, user, form.role.data)
            db.session.commit()
            flash(_("Đã phân công %(name)s.", name=user.full_name), "success")
    return redirect(url_for("authoring.course", code=code) + "#staff")


@bp.post("/courses/<code>/staff/<int:user_id>/remove")
@role_required("admin")
def remove_staff(code: str, user_id: int):
    """Admin: take a trainer off the course."""
    course = authored_course_or_404(current_user, code)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if ActionForm().validate_on_submit():
        operations.remove_staff(course, user)
        db.session.commit()
    return redirect(url_for("authoring.course", code=code) + "#staff")
