"""Reorganisation pages: HR places the people of split units; admins rename, move, merge, split, close."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.operations import audit
from lms.core.access import role_required, unit_or_404, unit_scope_condition
from lms.extensions import db
from lms.org.forms import CloseForm, MergeForm, MoveForm, PlaceForm, RenameForm, SplitForm
from lms.org.models import OrgUnit, PendingPlacement
from lms.org.operations import UnitNotEmpty, close_unit, create_unit, move_unit, rename_unit
from lms.org.queries import current_unit_by_code, pending_placements, successors
from lms.org.reorganisation import merge_unit, place_person, split_unit

bp = Blueprint("reorg", __name__)


def _place_form(placement: PendingPlacement) -> PlaceForm:
    form = PlaceForm(prefix=f"p{placement.id}")
    form.unit.choices = [(unit.id, unit.name) for unit in successors(placement.old_unit)]
    return form


@bp.get("/placements")
@role_required("hr", "admin")
def placements():
    """People of split units waiting for HR to choose their new unit, with the candidates."""
    rows = [(placement, _place_form(placement)) for placement in pending_placements(unit_scope_condition(current_user))]
    return render_template("org/placements.html", rows=rows)


@bp.post("/placements/<int:placement_id>")
@role_required("hr", "admin")
def place(placement_id: int):
    """Post one waiting person to the chosen successor unit, from the reorganisation day."""
    placement = db.session.get(PendingPlacement, placement_id)
    if placement is None:
        abort(404)
    unit_or_404(current_user, placement.old_unit_id)
    form = _place_form(placement)
    if not form.validate_on_submit():
        abort(400)
    name = placement.user.full_name
    place_person(placement, db.session.get(OrgUnit, form.unit.data))
    db.session.commit()
    flash(_("Đã xếp %(name)s vào đơn vị mới.", name=name), "success")
    return redirect(url_for("reorg.placements"))


def _forms() -> dict:
    return {"rename": RenameForm(prefix="rename"), "move": MoveForm(prefix="move"), "merge": MergeForm(prefix="merge"),
            "split": SplitForm(prefix="split"), "close": CloseForm(prefix="close")}


@bp.get("/units/<int:unit_id>/manage")
@role_required("admin")
def manage(unit_id: int):
    """The admin's reorganisation forms for one unit."""
    unit = unit_or_404(current_user, unit_id)
    return render_template("org/manage.html", unit=unit, forms=_forms())


@bp.post("/units/<int:unit_id>/manage/<action>")
@role_required("admin")
def manage_action(unit_id: int, action: str):
    """Apply one reorganisation action; a refusal re-shows the forms with the reason."""
    unit = unit_or_404(current_user, unit_id)
    forms = _forms()
    if action not in forms:
        abort(404)
    form = forms[action]
    if form.validate_on_submit():
        problem = _ACTIONS[action](unit, form)
        if problem is None:
            db.session.commit()
            flash(_("Đã cập nhật đơn vị."), "success")
            return redirect(url_for("org.unit", unit_id=unit.id))
        db.session.rollback()
        form.form_errors.append(problem)
    return render_template("org/manage.html", unit=unit, forms=forms), 400


# Merge and split are audited by their operations (with what moved); these three here.
def _rename(unit: OrgUnit, form: RenameForm) -> str | None:
    rename_unit(unit, form.name.data)
    audit("org.unit_rename", unit, unit_id=unit.id)
    return None


def _move(unit: OrgUnit, form: MoveForm) -> str | None:
    parent = current_unit_by_code(form.parent_code.data)
    if parent is None:
        return _("Không có đơn vị mã %(code)s.", code=form.parent_code.data)
    try:
        move_unit(unit, parent)
    except ValueError:
        return _("Không thể chuyển đơn vị vào chính nhánh của nó.")
    audit("org.unit_move", unit, unit_id=unit.id)
    return None


def _merge(unit: OrgUnit, form: MergeForm) -> str | None:
    target = current_unit_by_code(form.target_code.data)
    if target is None and not form.target_name.data:
        return _("Mã %(code)s chưa có: hãy nhập tên đơn vị mới.", code=form.target_code.data)
    if target is None:
        target = create_unit(form.target_code.data, form.target_name.data, unit.kind, unit.parent,
                             valid_from=form.effective.data)
    return _guarded(lambda: merge_unit(unit, target, form.effective.data), unit, target)


def _split(unit: OrgUnit, form: SplitForm) -> str | None:
    codes = [code.strip() for code in form.target_codes.data.split(",") if code.strip()]
    targets = [current_unit_by_code(code) for code in codes]
    if len(targets) < 2 or None in targets:
        return _("Cần ít nhất hai mã đơn vị đang hoạt động.")
    return _guarded(lambda: split_unit(unit, targets, form.effective.data), unit, *targets)


def _close(unit: OrgUnit, form: CloseForm) -> str | None:
    try:
        close_unit(unit, form.effective.data)
    except UnitNotEmpty:
        return _("Đơn vị còn đơn vị trực thuộc hoặc cán bộ: hãy sáp nhập hoặc chia tách.")
    except ValueError:
        return _("Ngày giải thể phải sau ngày thành lập.")
    audit("org.unit_close", unit, unit_id=unit.id)
    return None


def _guarded(run, unit: OrgUnit, *targets: OrgUnit) -> str | None:
    """Run a merge or split unless it targets the unit itself, or the unit still has units below."""
    if unit in targets:
        return _("Đơn vị nhận phải khác đơn vị bị tổ chức lại.")
    try:
        run()
    except ValueError:
        return _("Đơn vị còn đơn vị trực thuộc: hãy tổ chức lại các đơn vị đó trước.")
    return None


_ACTIONS = {"rename": _rename, "move": _move, "merge": _merge, "split": _split, "close": _close}
