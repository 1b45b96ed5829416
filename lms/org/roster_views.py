"""HR pages for roster import (upload, preview, confirm) and the printable one-time passwords."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.operations import audit
from lms.core.access import role_required, unit_or_404
from lms.core.forms import BaseForm
from lms.extensions import db
from lms.org.forms import PrintedForm, RosterUploadForm
from lms.org.models import OrgUnit
from lms.org.one_time_passwords import forget_printed, passwords_to_print, render_password_list, waiting_passwords
from lms.org.queries import subtree
from lms.org.staff_import import import_roster
from lms.org.uploads import BadUpload, Upload, discard_upload, load_upload, save_upload
from lms.org.views import root_units

bp = Blueprint("roster", __name__)
PREVIEW_ROWS = 200


def _unit_choices() -> list[tuple[int, str]]:
    units = [unit for root in root_units() for unit in subtree(root)]
    return [(unit.id, f"{'— ' * unit.depth}{unit.name} ({unit.code})") for unit in units]


@bp.route("/staff/import", methods=["GET", "POST"])
@role_required("hr", "admin")
def upload():
    """Upload a roster file; a valid file is stored and its preview shown."""
    form = RosterUploadForm(unit=request.args.get("unit", type=int))
    form.unit.choices = _unit_choices()
    if form.validate_on_submit():
        unit = unit_or_404(current_user, form.unit.data)
        try:
            stored = save_upload(form.file.data.stream, form.file.data.filename or "", user_id=current_user.id,
                                 unit_id=unit.id, deactivate_missing=form.deactivate_missing.data)
        except BadUpload as error:
            form.file.errors.append(str(error))
        else:
            return redirect(url_for("roster.preview", token=stored.token))
    return render_template("org/import.html", form=form)


def _upload_or_404(token: str) -> tuple[Upload, OrgUnit]:
    stored = load_upload(token, current_user.id)
    if stored is None:
        abort(404)
    return stored, unit_or_404(current_user, stored.unit_id)


def _run(stored: Upload, unit: OrgUnit, *, apply: bool):
    return import_roster(stored.path, stored.filename, unit=unit, viewer=current_user, apply=apply,
                         deactivate_missing=stored.deactivate_missing)


@bp.get("/staff/import/<token>")
@role_required("hr", "admin")
def preview(token: str):
    """What the stored file would change, or every error in it; nothing is written."""
    stored, unit = _upload_or_404(token)
    plan = _run(stored, unit, apply=False)
    db.session.rollback()
    return render_template("org/import_preview.html", stored=stored, unit=unit, plan=plan, form=BaseForm(),
                           limit=PREVIEW_ROWS)


@bp.post("/staff/import/<token>")
@role_required("hr", "admin")
def confirm(token: str):
    """Apply the stored file (read and checked again: the database may have changed)."""
    stored, unit = _upload_or_404(token)
    if not BaseForm().validate_on_submit():
        abort(400)
    plan = _run(stored, unit, apply=True)
    if plan.errors:
        db.session.rollback()
        flash(_("Tệp có lỗi nên chưa ghi gì; hãy sửa rồi tải lên lại."), "error")
        return redirect(url_for("roster.preview", token=token))
    db.session.commit()
    discard_upload(stored)
    summary = plan.summary()
    flash(_("Đã nhập: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi, %(deactivated)d cho nghỉ.",
            **{k: v for k, v in summary.items() if k != "errors"}), "success")
    return redirect(url_for("roster.passwords", unit_id=unit.id) if plan.creates else url_for("org.unit", unit_id=unit.id))


@bp.get("/units/<int:unit_id>/passwords")
@role_required("hr", "admin")
def passwords(unit_id: int):
    """How many one-time passwords wait to be printed for the unit, and the print and confirm forms."""
    unit = unit_or_404(current_user, unit_id)
    waiting, issued = waiting_passwords(unit)
    return render_template("org/passwords.html", unit=unit, waiting=waiting, form=BaseForm(),
                           printed=PrintedForm(issued_until=issued.isoformat() if issued else ""))


@bp.post("/units/<int:unit_id>/passwords.pdf")
@role_required("hr", "admin")
def passwords_pdf(unit_id: int):
    """The printable list of one-time passwords of the unit's subtree (audited)."""
    unit = unit_or_404(current_user, unit_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    entries = passwords_to_print(unit)
    audit("staff.passwords_printed", unit, unit_id=unit.id, people=len(entries))
    db.session.commit()
    pdf = render_password_list(unit, entries, date.today())
    return pdf, 200, {"Content-Type": "application/pdf",
                      "Content-Disposition": f'attachment; filename="mat-khau-{unit.code}.pdf"'}


@bp.post("/units/<int:unit_id>/passwords/printed")
@role_required("hr", "admin")
def passwords_printed(unit_id: int):
    """HR confirms the list was printed and handed out: the kept passwords are deleted."""
    unit = unit_or_404(current_user, unit_id)
    form = PrintedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issued_until = datetime.fromisoformat(form.issued_until.data)
    except ValueError:
        abort(400)
    forgotten = forget_printed(unit, issued_until)
    audit("staff.passwords_forgotten", unit, unit_id=unit.id, people=forgotten)
    db.session.commit()
    flash(_("Đã xoá %(n)d mật khẩu dùng một lần khỏi hệ thống.", n=forgotten), "success")
    return redirect(url_for("roster.passwords", unit_id=unit.id))

