"""Spreadsheets of a target's figures: the unit table and the list of people not finished."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core.xlsx import workbook_bytes
from lms.targets.models import TargetMember
from lms.targets.queries import Figures, UnitReport

STATUS_LABELS = {"not_started": _l("Chưa bắt đầu"), "in_progress": _l("Đang học"), "completed": _l("Đã hoàn thành")}


def _figure_cells(figures: Figures) -> list:
    return [figures.audience, figures.completed, figures.in_progress, figures.not_started, figures.overdue,
            round(figures.percent, 1), figures.gap]


def units_workbook(report: UnitReport) -> bytes:
    """The drill-down table of ``report`` (child units, own staff, total) as an XLSX file."""
    header = [_("Đơn vị"), _("Mã"), _("Số người"), _("Đã hoàn thành"), _("Đang học"), _("Chưa bắt đầu"),
              _("Quá hạn"), _("Tỷ lệ (%)"), _("Còn thiếu so với chỉ tiêu")]
    rows = [[(_("Trực thuộc trực tiếp") if row.own else row.unit.name), row.unit.code, *_figure_cells(row.figures)]
            for row in report.rows]
    rows.append([_("Tổng cộng: %(unit)s", unit=report.unit.name), report.unit.code, *_figure_cells(report.total)])
    return workbook_bytes([(_("Đơn vị"), header, rows)])


def not_finished_workbook(members: list[TargetMember], required: int) -> bytes:
    """The people not finished, in Vietnamese name order, as an XLSX file."""
    header = [_("Họ và tên"), _("Số hiệu"), _("Đơn vị"), _("Chức vụ"), _("Tình trạng"), _("Số khóa đã hoàn thành")]
    rows = ([m.user.full_name, m.user.staff_code, m.unit.name, m.user.position, str(STATUS_LABELS[m.status]),
             f"{m.done_courses}/{required}"] for m in members)
    return workbook_bytes([(_("Chưa hoàn thành"), header, rows)])
