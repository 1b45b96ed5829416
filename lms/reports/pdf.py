"""The official progress report of a target for a unit (A4, Vietnamese, ready to sign)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lms.core.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR, register_fonts
from lms.core.pdf import draw_agency_heading, draw_national_heading, vn_date_line, vn_numeric_date
from lms.reports.charts import Chart
from lms.targets.queries import Figures, UnitReport

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
ROW = 15
COLUMNS = (MARGIN, 250, 330, 400, 470)  # unit name, then the numbers (right-aligned at the next column)


@dataclass(frozen=True)
class ReportInput:
    report: UnitReport
    chart: Chart
    projection: str
    place: str
    parent_agency: str | None
    today: date


def render_report(data: ReportInput) -> bytes:
    """The PDF: headings, title, key figures, the burn-up chart, the unit table and the signature block."""
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Báo cáo tiến độ: %(target)s", target=data.report.target.name))
    y = _headings(canvas, data)
    y = _key_figures(canvas, data.report.total, data.projection, y)
    y = _chart(canvas, data.chart, y)
    y = _unit_table(canvas, data.report, y)
    _signature(canvas, y)
    canvas.save()
    return buffer.getvalue()


def _headings(canvas, data: ReportInput) -> float:
    top = PAGE_HEIGHT - 15 * mm
    left_x, right_x = MARGIN + 40 * mm, PAGE_WIDTH - MARGIN - 52 * mm
    draw_agency_heading(canvas, left_x, top, data.report.unit.name, data.parent_agency, size=11)
    y = draw_national_heading(canvas, right_x, top, size=11)
    canvas.setFont(FONT_ITALIC, 12)
    canvas.drawCentredString(right_x, y - 18, vn_date_line(data.place, data.today))
    canvas.setFont(FONT_BOLD, 14)
    y -= 56
    canvas.drawCentredString(PAGE_WIDTH / 2, y, _("BÁO CÁO TIẾN ĐỘ BỒI DƯỠNG"))
    canvas.setFont(FONT_BOLD, 12)
    canvas.drawCentredString(PAGE_WIDTH / 2, y - 17, data.report.target.name)
    canvas.setFont(FONT_REGULAR, 11)
    target = data.report.target
    canvas.drawCentredString(PAGE_WIDTH / 2, y - 33, _("Từ %(start)s đến %(deadline)s; chỉ tiêu %(percent)d%%",
                             start=vn_numeric_date(target.start_date), deadline=vn_numeric_date(target.deadline),
                             percent=target.target_percent))
    return y - 58


def _key_figures(canvas, figures: Figures, projection: str, y: float) -> float:
    lines = [
        (_("Số người thuộc đối tượng"), figures.audience),
        (_("Đã hoàn thành"), f"{figures.completed} ({figures.percent:.1f}%)"),
        (_("Đang học"), figures.in_progress),
        (_("Chưa bắt đầu"), figures.not_started),
        (_("Quá hạn"), figures.overdue),
        (_("Còn thiếu so với chỉ tiêu"), figures.gap),
    ]
    canvas.setFont(FONT_REGULAR, 12)
    for label, value in lines:
        canvas.drawString(MARGIN, y, f"{label}:")
        canvas.drawRightString(MARGIN + 95 * mm, y, str(value))
        y -= ROW
    canvas.setFont(FONT_ITALIC, 11)
    canvas.drawString(MARGIN, y - 2, projection)
    return y - 2 * ROW


def _chart(canvas, chart: Chart, y: float) -> float:
    """Draw the same geometry as the page's SVG, flipped (PDF y grows upwards) and scaled to the text width."""
    scale = (PAGE_WIDTH - 2 * MARGIN) / chart.width
    bottom = y - chart.height * scale
    point = lambda x, chart_y: (MARGIN + x * scale, bottom + (chart.height - chart_y) * scale)  # noqa: E731
    left, top, right, base = chart.plot
    canvas.setLineWidth(0.5)
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setFont(FONT_REGULAR, 8)
    for tick_y, label in chart.y_ticks:
        canvas.line(*point(left, tick_y), *point(right, tick_y))
        canvas.drawRightString(point(left, tick_y)[0] - 3, point(left, tick_y)[1] - 3, label)
    for tick_x, label in chart.x_ticks:
        canvas.drawCentredString(point(tick_x, base)[0], point(tick_x, base)[1] - 11, label)
    canvas.setDash(4, 3)
    canvas.setStrokeColorRGB(0.75, 0.2, 0.1)
    x1, y1, x2, y2 = chart.needed
    canvas.line(*point(x1, y1), *point(x2, y2))
    canvas.setDash()
    canvas.setStrokeColorRGB(0.05, 0.3, 0.6)
    canvas.setLineWidth(1.6)
    path = canvas.beginPath()
    path.moveTo(*point(*chart.actual[0]))
    for x, chart_y in chart.actual[1:]:
        path.lineTo(*point(x, chart_y))
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.5)
    canvas.setFont(FONT_ITALIC, 9)
    canvas.drawString(MARGIN, bottom - 8, _("Đường liền: số người đã hoàn thành; đường đứt: tiến độ cần đạt để kịp hạn."))
    return bottom - 28


def _table_header(canvas, y: float) -> float:
    canvas.setFont(FONT_BOLD, 10)
    labels = [_("Đơn vị"), _("Số người"), _("Hoàn thành"), _("Tỷ lệ (%)"), _("Còn thiếu")]
    canvas.drawString(COLUMNS[0], y, labels[0])
    for right, label in zip(COLUMNS[2:] + (PAGE_WIDTH - MARGIN,), labels[1:]):
        canvas.drawRightString(right, y, label)
    canvas.line(MARGIN, y - 4, PAGE_WIDTH - MARGIN, y - 4)
    return y - ROW


def _table_row(canvas, name: str, figures: Figures, y: float, font=FONT_REGULAR) -> None:
    canvas.setFont(font, 10)
    canvas.drawString(COLUMNS[0], y, name[:45])
    values = [figures.audience, figures.completed, f"{figures.percent:.1f}", figures.gap]
    for right, value in zip(COLUMNS[2:] + (PAGE_WIDTH - MARGIN,), values):
        canvas.drawRightString(right, y, str(value))


def _unit_table(canvas, report: UnitReport, y: float) -> float:
    y = _table_header(canvas, y)
    for row in report.rows:
        if y < MARGIN + 60:
            canvas.showPage()
            y = _table_header(canvas, PAGE_HEIGHT - MARGIN)
        _table_row(canvas, _("Trực thuộc trực tiếp") if row.own else row.unit.name, row.figures, y)
        y -= ROW
    _table_row(canvas, _("Tổng cộng"), report.total, y, FONT_BOLD)
    return y - 2 * ROW


def _signature(canvas, y: float) -> None:
    if y < MARGIN + 90:
        canvas.showPage()
        y = PAGE_HEIGHT - MARGIN
    x = PAGE_WIDTH - MARGIN - 45 * mm
    canvas.setFont(FONT_BOLD, 12)
    canvas.drawCentredString(x, y, _("THỦ TRƯỞNG ĐƠN VỊ"))
    canvas.setFont(FONT_ITALIC, 11)
    canvas.drawCentredString(x, y - 15, _("(Ký, ghi rõ họ tên và đóng dấu)"))
