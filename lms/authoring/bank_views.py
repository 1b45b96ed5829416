"""Trainers' pages on a course's question bank: list, edit, import, export, item analysis."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.authoring import bank
from lms.authoring.analysis import quiz_statistics
from lms.authoring.drafts import EditConflict, edit_version, question_ref
from lms.authoring.forms import ActionForm, ImportForm, MoveForm
from lms.authoring.operations import AuthoringError
from lms.authoring.queries import BankFilter, bank_by_category, categories
from lms.authoring.question_files import read_question_file
from lms.authoring.question_forms import QUESTION_FORMS
from lms.authoring.views import conflict_notice, edited_object, flash_problems, require_draft
from lms.authoring.xlsx_questions import template_xlsx
from lms.core.access import authored_course_or_404, role_required
from lms.core.xlsx import XLSX_MIMETYPE
from lms.courses.export import course_zip
from lms.extensions import db
from lms.quizzes.qtypes import QUESTION_TYPES

bp = Blueprint("authoring_bank", __name__, url_prefix="/authoring")


@bp.get("/courses/<code>/questions")
@role_required("trainer", "admin")
def questions(code: str):
    """The draft's bank by category, filtered by type, category and text (accents ignored)."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    category = request.args.get("category", "")  # "c:<name>" (the empty name too), or "" for every category
    wanted = BankFilter(qtype=request.args.get("type", ""), category=category[2:] if category.startswith("c:") else None,
                        text=request.args.get("q", ""))
    return render_template("authoring/questions.html", course=course, draft=draft, wanted=wanted,
                           groups=bank_by_category(draft.questions, wanted), categories=categories(draft.questions),
                           qtypes=QUESTION_TYPES, action=ActionForm(), move_form=MoveForm())


@bp.route("/courses/<code>/questions/new/<qtype>", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/courses/<code>/questions/<key>", methods=["GET", "POST"])
@role_required("trainer", "admin")
def question(code: str, key: str | None, qtype: str | None = None):
    """Create or edit one question, with the form of its type."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    item = None
    if key is not None:
        item = edited_object(draft, question_ref(key), next((q for q in draft.questions if q["key"] == key), None))
    if (key is not None and item is None) or (key is None and qtype not in QUESTION_FORMS):
        abort(404)
    form_class = QUESTION_FORMS[item["type"] if item else qtype]
    form = form_class(data=form_class.initial(item) if item else {"category": request.args.get("category", "")})
    if key is not None and not form.is_submitted():
        form.version.data = edit_version(draft, question_ref(key))
    conflict = None
    if form.validate_on_submit():
        try:
            bank.save_question(draft, key, form.question(), version=form.version.data)
        except EditConflict as error:
            latest = url_for("authoring_bank.questions", code=code) if error.removed else request.path
            conflict = conflict_notice(error, _("Câu hỏi này"), latest)
        except AuthoringError as error:
            flash_problems(error)
        else:
            db.session.commit()
            flash(_("Đã lưu câu hỏi vào bản nháp."), "success")
            return redirect(url_for("authoring_bank.questions", code=code))
    return render_template("authoring/question_form.html", course=course, form=form, item=item,
                           qtype=QUESTION_TYPES[form.qtype], conflict=conflict), 409 if conflict else 200


@bp.post("/courses/<code>/questions/<key>/<any(duplicate, retire):action>")
@role_required("trainer", "admin")
def question_action(code: str, key: str, action: str):
    """Duplicate a question, or retire it from the bank."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    if ActionForm().validate_on_submit():
        try:
            bank.duplicate_question(draft, key) if action == "duplicate" else bank.retire_question(draft, key)
        except LookupError:
            abort(404)
        db.session.commit()
    return redirect(url_for("authoring_bank.questions", code=code))


@bp.post("/courses/<code>/questions/move")
@role_required("trainer", "admin")
def move(code: str):
    """Move the ticked questions to another category."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    form = MoveForm()
    if form.validate_on_submit():
        moved = bank.move_questions(draft, request.form.getlist("key"), form.category.data or "")
        db.session.commit()
        flash(_("Đã chuyển %(n)d câu hỏi.", n=moved), "success")
    return redirect(url_for("authoring_bank.questions", code=code))


@bp.route("/courses/<code>/import", methods=["GET", "POST"])
@role_required("trainer", "admin")
def import_questions(code: str):
    """Upload a GIFT, Aiken or XLSX file: see what it holds, or its errors, before confirming."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("authoring/import.html", course=course, form=form)
    upload = form.file.data
    filename = upload.filename or "questions"
    questions, problems = read_question_file(filename, upload.read(), form.format.data)
    if not problems:
        problems = bank.stage_import(draft, questions, filename)
        db.session.commit()
    names = {q["name"] for q in draft.questions}
    return render_template("authoring/import_preview.html", course=course, filename=filename,
                           problems=problems, staged=draft.pending_import or [], existing=names,
                           qtypes=QUESTION_TYPES, action=ActionForm())


@bp.post("/courses/<code>/import/<any(confirm, cancel):action>")
@role_required("trainer", "admin")
def finish_import(code: str, action: str):
    """Add every staged question at once, or forget them."""
    course = authored_course_or_404(current_user, code)
    draft = require_draft(course)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "cancel":
        bank.cancel_import(draft)
    else:
        try:
            created, replaced = bank.confirm_import(draft)
        except AuthoringError as error:
            flash_problems(error)
            return redirect(url_for("authoring_bank.import_questions", code=code))
        flash(_("Đã nhập %(created)d câu hỏi mới, thay %(replaced)d câu cùng tên.", created=created,
                replaced=replaced), "success")
    db.session.commit()
    return redirect(url_for("authoring_bank.questions", code=code))


@bp.get("/question-template.xlsx")
@role_required("trainer", "admin")
def template():
    """The XLSX template: one filled example row per question type."""
    return template_xlsx(), 200, {"Content-Type": XLSX_MIMETYPE,
                                  "Content-Disposition": "attachment; filename=mau-cau-hoi.xlsx"}


@bp.get("/courses/<code>/export.zip")
@role_required("trainer", "admin")
def export(code: str):
    """The published course (or only its bank, ``?bank=1``) as a course folder in a ZIP."""
    course = authored_course_or_404(current_user, code)
    bank_only = request.args.get("bank") == "1"
    name = f"{course.slug}{'-ngan-hang' if bank_only else ''}.zip"
    return course_zip(course, bank_only=bank_only), 200, {
        "Content-Type": "application/zip", "Content-Disposition": f"attachment; filename={name}"}


@bp.get("/courses/<code>/analysis")
@role_required("trainer", "admin")
def analysis(code: str):
    """Item analysis of the course's quiz, as Moodle's quiz statistics."""
    course = authored_course_or_404(current_user, code)
    all_attempts = request.args.get("all") == "1"
    return render_template("authoring/analysis.html", course=course, all_attempts=all_attempts,
                           stats=quiz_statistics(course, first_only=not all_attempts), qtypes=QUESTION_TYPES)
