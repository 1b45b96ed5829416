"""HR pages on the organisation: the unit tree, staff lists and their export, a person's page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms.admin.operations import audit
from lms.auth.models import CATEGORIES
from lms.auth.operations import reset_password
from lms.core.access import can_manage_unit, hr_units, is_admin, person_or_404, role_required, unit_or_404
from lms.core.forms import BaseForm
from lms.core.xlsx import XLSX_MIMETYPE, workbook_bytes
from lms.extensions import db
from lms.org.models import LEVELS, OrgUnit
from lms.org.queries import StaffFilter, positions_in_subtree, staff_in_subtree, unit_tree

bp = Blueprint("org", __name__)
PER_PAGE = 50
EXPORT_LIMIT = 200_000
CATEGORY_NAMES = {"can_bo": _l("Cán bộ"), "cong_chuc": _l("Công chức"), "vien_chuc": _l("Viên chức"),
                  "hop_dong": _l("Hợp đồng")}
LEVEL_NAMES = {"province": _l("Cấp tỉnh"), "district": _l("Cấp huyện"), "commune": _l("Cấp xã")}


@bp.app_context_processor
def _names() -> dict:
    return {"category_names": CATEGORY_NAMES, "level_names": LEVEL_NAMES}


def root_units() -> list[OrgUnit]:
    """The roots of what the current user manages (every current root for an admin)."""
    if is_admin(current_user):
        return list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None), OrgUnit.valid_to.is_(None))))
    return hr_units(current_user)


def _as_of() -> date | None:
    """The ``as_of`` query parameter (yyyy-mm-dd); a malformed one is a 400."""
    value = request.args.get("as_of", "")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400)


@bp.get("/units")
@role_required("hr", "admin")
def units():
    """The units the HR officer manages."""
    roots = root_units()
    if len(roots) == 1:
        return redirect(url_for("org.unit", unit_id=roots[0].id))
    return render_template("org/units.html", roots=roots)


@bp.get("/units/<int:unit_id>")
@role_required("hr", "admin")
def unit(unit_id: int):
    """One unit: its place in the tree and its whole subtree with staff counts, optionally as of a day."""
    current = unit_or_404(current_user, unit_id)
    ancestors = [db.session.get(OrgUnit, i) for i in current.ancestors_ids()[:-1]]
    visible_ancestors = [a for a in ancestors if a is not None and can_manage_unit(current_user, a)]
    as_of = _as_of()
    return render_template("org/unit.html", unit=current, ancestors=visible_ancestors,
                           tree=unit_tree(current, as_of), as_of=as_of, can_administer=is_admin(current_user))


def _staff_filter() -> StaffFilter:
    args = request.args
    active = {"1": True, "0": False, "all": None}.get(args.get("active", "1"), True)
    return StaffFilter(
        query=args.get("q", "").strip(),
        category=args.get("category") if args.get("category") in CATEGORIES else None,
        level=args.get("level") if args.get("level") in LEVELS else None,
        position=args.get("position", "").strip(),
        active=active,
        as_of=_as_of(),
    )


def _listed_unit() -> OrgUnit:
    roots = root_units()
    if not roots:
        abort(404)
    return unit_or_404(current_user, request.args.get("unit", type=int) or roots[0].id)


@bp.get("/staff")
@role_required("hr", "admin")
def staff_list():
    """Staff of a unit and its subtree: searchable without accents, filtered, in Vietnamese order."""
    current = _listed_unit()
    filters = _staff_filter()
    page = db.paginate(staff_in_subtree(current, filters), per_page=PER_PAGE, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page"}
    args["unit"] = current.id
    return render_template("org/staff_list.html", unit=current, page=page, filters=filters, args=args,
                           categories=CATEGORIES, levels=LEVELS, positions=positions_in_subtree(current),
                           form=BaseForm())


@bp.post("/staff/export.xlsx")
@role_required("hr", "admin")
def staff_export():
    """The staff list with the same filters, as an XLSX file (audited: it holds personal data)."""
    if not BaseForm().validate_on_submit():
        abort(400)
    current = _listed_unit()
    filters = _staff_filter()
    people = db.session.scalars(staff_in_subtree(current, filters).limit(EXPORT_LIMIT)).all()
    header = [_("Họ và tên"), _("Số hiệu"), _("Ngày sinh"), _("Giới tính"), _("Chức vụ"), _("Phân loại"),
              _("Đơn vị"), _("Email"), _("Điện thoại"), _("Trạng thái")]
    rows = ([p.full_name, p.staff_code, p.date_of_birth, p.gender or "", p.position, p.category or "",
             p.unit.name if p.unit else "", p.email or "", p.phone or "", "active" if p.active else "inactive"]
            for p in people)
    data = workbook_bytes([(_("Cán bộ"), header, rows)])
    audit("staff.exported", current, unit_id=current.id, rows=len(people),
          filters={k: v for k, v in request.args.items() if k != "csrf_token"})
    db.session.commit()
    return data, 200, {"Content-Type": XLSX_MIMETYPE,
                       "Content-Disposition": f'attachment; filename="can-bo-{current.code}.xlsx"'}


@bp.get("/staff/<int:user_id>")
@role_required("hr", "admin")
def staff(user_id: int):
    """A person's details, postings and training record."""
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
