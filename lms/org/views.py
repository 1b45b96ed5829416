"""HR pages on the organisation: the unit tree, staff lists, a person's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import CATEGORIES
from lms.auth.operations import reset_password
from lms.core.access import can_manage_unit, hr_units, is_admin, person_or_404, role_required, unit_or_404
from lms.core.forms import BaseForm
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.org.queries import children_with_counts, staff_in_subtree

bp = Blueprint("org", __name__)


def _root_units() -> list[OrgUnit]:
    if is_admin(current_user):
        return list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None), OrgUnit.valid_to.is_(None))))
    return hr_units(current_user)


@bp.get("/units")
@role_required("hr", "admin")
def units():
    """The units the HR officer manages."""
    roots = _root_units()
    if len(roots) == 1:
        return redirect(url_for("org.unit", unit_id=roots[0].id))
    return render_template("org/units.html", roots=roots)


@bp.get("/units/<int:unit_id>")
@role_required("hr", "admin")
def unit(unit_id: int):
    """One unit: its place in the tree and its child units with staff counts."""
    current = unit_or_404(current_user, unit_id)
    ancestors = [db.session.get(OrgUnit, i) for i in current.ancestors_ids()[:-1]]
    visible_ancestors = [a for a in ancestors if a is not None and can_manage_unit(current_user, a)]
    return render_template(
        "org/unit.html", unit=current, ancestors=visible_ancestors, children=children_with_counts(current)
    )


@bp.get("/staff")
@role_required("hr", "admin")
def staff_list():
    """Staff of a unit and its subtree, searchable without accents, in Vietnamese order."""
    roots = _root_units()
    if not roots:
        abort(404)
    unit_id = request.args.get("unit", type=int) or roots[0].id
    current = unit_or_404(current_user, unit_id)
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    stmt = staff_in_subtree(current, query=request.args.get("q", ""), category=category)
    page = db.paginate(stmt, per_page=50, error_out=False)
    return render_template("org/staff_list.html", unit=current, page=page, q=request.args.get("q", ""), category=category)


@bp.get("/staff/<int:user_id>")
@role_required("hr", "admin")
def staff(user_id: int):
    """A person's details and postings."""
    person = person_or_404(current_user, user_id)
    return render_template("org/staff.html", person=person, form=BaseForm())


@bp.post("/staff/<int:user_id>/reset-password")
@role_required("hr", "admin")
def staff_reset_password(user_id: int):
    """Give a person a one-time password to hand to them (shown once)."""
    person = person_or_404(current_user, user_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    password = reset_password(person, by=current_user)
    db.session.commit()
    flash(_("Mật khẩu dùng một lần của %(name)s: %(password)s (người dùng phải đổi khi đăng nhập).",
            name=person.full_name, password=password), "success")
    return redirect(url_for("org.staff", user_id=person.id))
