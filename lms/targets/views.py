"""Pages where admin and HR create and edit training targets and exclude people from them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import User
from lms.core.access import (can_manage_target, can_manage_unit, can_target_units, role_required, target_or_404,
                             unit_scope_condition)
from lms.core.forms import BaseForm
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.targets.forms import ExclusionForm, TargetForm
from lms.targets.models import TargetExclusion
from lms.targets.operations import TargetData, create_target, exclude_person, include_again, update_target
from lms.targets.queries import visible_targets

bp = Blueprint("targets", __name__, url_prefix="/targets")


@bp.get("")
@role_required("hr", "admin")
def index():
    """The training targets the user can see, active or not."""
    targets = visible_targets(current_user, include_inactive=True)
    return render_template("targets/index.html", targets=targets, can_manage=lambda t: can_manage_target(current_user, t))


def _form(target=None) -> TargetForm:
    form = TargetForm(obj=target)
    courses = db.session.scalars(select(Course).where(Course.status != "archived").order_by(Course.code))
    form.courses.choices = [(c.id, f"{c.code} · {c.title}") for c in courses]
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.valid_to.is_(None), unit_scope_condition(current_user))
                               .order_by(OrgUnit.path))
    form.units.choices = [(u.id, f"{'— ' * u.depth}{u.name}") for u in units]
    if target is not None and not form.is_submitted():
        form.courses.data, form.units.data = [c.id for c in target.courses], [u.id for u in target.units]
        form.positions.data = "\n".join(target.positions)
    return form


def _data(form: TargetForm) -> TargetData | None:
    units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(form.units.data))))
    if not can_target_units(current_user, units):
        abort(404)
    courses = list(db.session.scalars(select(Course).where(Course.id.in_(form.courses.data))))
    return TargetData(
        name=form.name.data, year=form.year.data, start_date=form.start_date.data, deadline=form.deadline.data,
        courses=courses, units=units, target_percent=form.target_percent.data, active=form.active.data,
        categories=form.categories.data, levels=form.levels.data, positions=form.position_list(),
        programme_certificate=form.programme_certificate.data, programme_title=(form.programme_title.data or "").strip(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("hr", "admin")
def new():
    """Create a training target for units the user manages."""
    form = _form()
    if form.validate_on_submit():
        target = create_target(_data(form), by=current_user)
        db.session.commit()
        flash(_("Đã tạo kế hoạch; số liệu đã được tính."), "success")
        return redirect(url_for("targets.edit", target_id=target.id))
    return render_template("targets/form.html", form=form, target=None)


@bp.route("/<int:target_id>/edit", methods=["GET", "POST"])
@role_required("hr", "admin")
def edit(target_id: int):
    """Change a target; its members and figures are recomputed."""
    target = target_or_404(current_user, target_id, manage=True)
    form = _form(target)
    if form.validate_on_submit():
        update_target(target, _data(form), by=current_user)
        db.session.commit()
        flash(_("Đã lưu kế hoạch; số liệu đã được tính lại."), "success")
        return redirect(url_for("targets.edit", target_id=target.id))
    return render_template("targets/form.html", form=form, target=target, exclusion_form=ExclusionForm(),
                           remove_form=BaseForm())


@bp.post("/<int:target_id>/exclusions")
@role_required("hr", "admin")
def exclude(target_id: int):
    """Leave a person out of the target's audience, with the reason."""
    target = target_or_404(current_user, target_id, manage=True)
    form = ExclusionForm()
    if not form.validate_on_submit():
        abort(400)
    person = db.session.scalar(select(User).where(User.staff_code == form.staff_code.data.strip()))
    if person is None or not can_manage_unit(current_user, person.unit):
        flash(_("Không tìm thấy cán bộ có số hiệu này trong đơn vị của bạn."), "error")
    else:
        exclude_person(target, person, form.reason.data, by=current_user)
        db.session.commit()
        flash(_("Đã loại %(name)s khỏi đối tượng.", name=person.full_name), "success")
    return redirect(url_for("targets.edit", target_id=target.id))


@bp.post("/<int:target_id>/exclusions/<int:exclusion_id>/delete")
@role_required("hr", "admin")
def include(target_id: int, exclusion_id: int):
    """Put an excluded person back in the audience."""
    target = target_or_404(current_user, target_id, manage=True)
    exclusion = db.session.get(TargetExclusion, exclusion_id)
    if exclusion is None or exclusion.target_id != target.id or not BaseForm().validate_on_submit():
        abort(404)
    include_again(exclusion, by=current_user)
    db.session.commit()
    return redirect(url_for("targets.edit", target_id=target.id))
