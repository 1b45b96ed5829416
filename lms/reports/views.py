"""The HR dashboard of training targets: progress, drill-down, people not finished, exports, reminders."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.operations import audit
from lms.core.access import can_manage_unit, role_required, target_or_404, unit_or_404
from lms.core.forms import BaseForm
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.reports.charts import burnup_chart
from lms.reports.pdf import ReportInput, render_report
from lms.reports.wording import category_label, level_label, projection_sentence
from lms.reports.xlsx import STATUS_LABELS, not_finished_workbook, units_workbook
from lms.targets.queries import dashboard_cards, not_finished, not_finished_page, trend, unit_report
from lms.targets.reminders import send_reminders
from lms.targets.rollups import local_today

bp = Blueprint("reports", __name__, url_prefix="/hr/targets")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("")
@role_required("hr", "admin")
def dashboard():
    """Each target's progress in the units the HR officer manages."""
    cards = [(card.target, card.unit, card.figures, projection_sentence(card.target, card.projection))
             for card in dashboard_cards(current_user)]
    return render_template("reports/dashboard.html", cards=cards)


def _target_and_unit(target_id: int, unit_id: int):
    return target_or_404(current_user, target_id), unit_or_404(current_user, unit_id)


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    ancestors = [db.session.get(OrgUnit, i) for i in unit.ancestors_ids()[:-1]]
    return [a for a in ancestors if a is not None and can_manage_unit(current_user, a)]


def _figures_chart_projection(target, unit: OrgUnit):
    """What the unit page and the PDF show: the same figures, chart and projection."""
    report = unit_report(target, unit)
    series, projected = trend(target, unit, report.total)
    return report, burnup_chart(series), projection_sentence(target, projected)


@bp.get("/<int:target_id>/units/<int:unit_id>")
@role_required("hr", "admin")
def unit(target_id: int, unit_id: int):
    """A target in one unit: figures, burn-up chart, projection, child units, breakdowns."""
    target, current = _target_and_unit(target_id, unit_id)
    report, chart, projection = _figures_chart_projection(target, current)
    return render_template(
        "reports/unit.html", target=target, unit=current, report=report, chart=chart, projection=projection,
        ancestors=_ancestors(current), level_label=level_label, category_label=category_label,
    )


@bp.get("/<int:target_id>/units/<int:unit_id>/not-finished")
@role_required("hr", "admin")
def unfinished(target_id: int, unit_id: int):
    """The people of the unit's subtree who have not finished, in Vietnamese name order."""
    target, current = _target_and_unit(target_id, unit_id)
    page = not_finished_page(target, current, per_page=50)
    return render_template("reports/not_finished.html", target=target, unit=current, page=page, form=BaseForm(),
                           status_labels=STATUS_LABELS, required=len(target.courses))


@bp.post("/<int:target_id>/units/<int:unit_id>/remind")
@role_required("hr", "admin")
def remind(target_id: int, unit_id: int):
    """E-mail a reminder to everyone not finished in the unit's subtree, and a digest to their HR."""
    target, current = _target_and_unit(target_id, unit_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    result = send_reminders(target, current, by=current_user)
    db.session.commit()
    flash(_("Đã gửi nhắc nhở cho %(learners)d người và thư tổng hợp cho %(digests)d cán bộ tổ chức; %(skipped)d người "
            "không có e-mail hoặc vừa được nhắc.", learners=result.learners, digests=result.digests,
            skipped=result.skipped), "success")
    return redirect(url_for("reports.unfinished", target_id=target.id, unit_id=current.id))


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/<int:target_id>/units/<int:unit_id>/units.xlsx")
@role_required("hr", "admin")
def units_xlsx(target_id: int, unit_id: int):
    """The drill-down table as a spreadsheet."""
    target, current = _target_and_unit(target_id, unit_id)
    data = units_workbook(unit_report(target, current))
    audit("target.export", target, unit_id=current.id, format="xlsx", content="units")
    db.session.commit()
    return _download(data, XLSX, f"tien-do-{target.id}-{current.code}.xlsx")


@bp.get("/<int:target_id>/units/<int:unit_id>/not-finished.xlsx")
@role_required("hr", "admin")
def not_finished_xlsx(target_id: int, unit_id: int):
    """The people not finished as a spreadsheet (personal data: audited)."""
    target, current = _target_and_unit(target_id, unit_id)
    stmt = not_finished(target, current)
    members = db.session.scalars(stmt).all()
    audit("target.export", target, unit_id=current.id, format="xlsx", content="not_finished", people=len(members))
    db.session.commit()
    return _download(not_finished_workbook(members, len(target.courses)), XLSX,
                     f"chua-hoan-thanh-{target.id}-{current.code}.xlsx")


@bp.get("/<int:target_id>/units/<int:unit_id>/report.pdf")
@role_required("hr", "admin")
def report_pdf(target_id: int, unit_id: int):
    """The official report, to print and sign."""
    target, current = _target_and_unit(target_id, unit_id)
    report, chart, projection = _figures_chart_projection(target, current)
    parent = current.parent.name if current.parent else None
    data = render_report(ReportInput(report, chart, projection, place="Thanh Hóa", parent_agency=parent,
                                     today=local_today()))
    audit("target.export", target, unit_id=current.id, format="pdf", content="report")
    db.session.commit()
    return _download(data, "application/pdf", f"bao-cao-{target.id}-{current.code}.pdf")
