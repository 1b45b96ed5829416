"""The completion certificate (giấy chứng nhận hoàn thành khóa bồi dưỡng).

One A4 landscape page laid out like a Vietnamese official certificate.  The
output is byte-for-byte deterministic for the same data, because the system
stores the SHA-256 of the issued PDF and must be able to reproduce it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from lms.core.fonts import FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, FONT_REGULAR, register_fonts
from lms.core.pdf import (
    PreparedImage,
    draw_agency_heading,
    draw_national_heading,
    draw_prepared_image,
    draw_qr,
    fit_text,
    prepare_image,
    vn_date_line,
    vn_numeric_date,
)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
TITLE = "GIẤY CHỨNG NHẬN"
SUBTITLE = "Hoàn thành khóa bồi dưỡng"
PROGRAMME_SUBTITLE = "Hoàn thành chương trình bồi dưỡng"
HONORIFIC = "Cấp cho: Ông/Bà "

# Red-brown for title and frame: dignified on screen, prints well in greyscale.
ACCENT = (0.55, 0.13, 0.09)
INK = (0.08, 0.08, 0.08)

_LEFT_COLUMN_X = PAGE_WIDTH * 0.25
_RIGHT_COLUMN_X = PAGE_WIDTH * 0.70
_HEADER_TOP = PAGE_HEIGHT - 50
_TITLE_BASELINE = 445.0
_HOLDER_BASELINE = 377.0
_HOLDER_WIDTH = PAGE_WIDTH - 2 * 90
_DETAILS_BASELINE = 343.0
_DETAILS_X = 170.0
_DETAILS_WIDTH = PAGE_WIDTH - 2 * _DETAILS_X
_DETAILS_SIZE = 15.0
_DETAILS_LEADING = 20.0
# Lines that fit at full leading above the bottom blocks; more lines share that height.
_DETAILS_LINES = 7
# The bottom blocks start here; the body (at most 7 lines) ends above it.
_BOTTOM_TOP = 200.0
_QR_SIZE = 78.0
_SIGNATURE_WIDTH = 170.0
_SIGNATURE_MAX_HEIGHT = 110.0
_SIGNER_NAME_BASELINE = 55.0


@dataclasses.dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate.

    ``issuer_name`` is the issuing body ("SỞ NỘI VỤ TỈNH THANH HÓA") and
    ``issuer_parent`` the body above it ("UBND TỈNH THANH HÓA").
    ``signer_title`` may hold several lines ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").
    ``signature_image`` is a PNG of the signature and seal, transparent
    background preferred.  ``verify_url`` is encoded in the QR code and
    ``verify_code_display`` is its short, grouped form for typing.
    ``programme_courses`` (course codes) makes it a programme certificate:
    the courses of a training target completed as a whole.
    """

    holder_name: str
    date_of_birth: dt.date | None
    unit_name: str
    course_title: str
    study_hours: int | float
    period_start: dt.date | None
    period_end: dt.date
    issue_date: dt.date
    issuer_name: str
    issuer_parent: str
    signer_title: str
    signer_name: str
    serial: str
    register_number: str
    verify_url: str
    verify_code_display: str
    signature_image: str | Path | None = None
    place: str = "Thanh Hóa"
    programme_courses: tuple[str, ...] = ()

    @property
    def subtitle(self) -> str:
        return PROGRAMME_SUBTITLE if self.programme_courses else SUBTITLE


def render_certificate(data: CertificateData) -> bytes:
    """Render one certificate as a PDF.

    :param data: what to print; strings are normalised to NFC first because
        the embedded font only has precomposed Vietnamese glyphs.
    :return: the PDF bytes, identical for identical ``data``.
    """
    data = _normalised(data)
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer)
    _set_metadata(canvas, data)
    _draw_page(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_certificates(items: Iterable[CertificateData], output: BinaryIO) -> int:
    """Render many certificates into one PDF, a page each, for printing in one go.

    Fonts and the signature image are embedded once for the whole file.

    :param items: what to print, in page order (may be a generator)
    :param output: a binary file to write the PDF to
    :return: the number of pages
    """
    canvas = _new_canvas(output)
    canvas.setTitle("Giấy chứng nhận")
    canvas.setCreator("LMS Thanh Hóa")
    pages = 0
    for data in items:
        _draw_page(canvas, _normalised(data))
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


def _new_canvas(output) -> Canvas:
    register_fonts()
    return Canvas(
        output,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        pageCompression=1,
        initialFontName=FONT_REGULAR,
        pdfVersion=(1, 7),
        lang="vi-VN",
    )


def _normalised(data: CertificateData) -> CertificateData:
    changes = {
        field.name: unicodedata.normalize("NFC", value)
        for field in dataclasses.fields(data)
        if isinstance(value := getattr(data, field.name), str)
    }
    return dataclasses.replace(data, **changes)


def _set_metadata(canvas: Canvas, data: CertificateData) -> None:
    canvas.setTitle(f"Giấy chứng nhận {data.serial} - {data.holder_name}")
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(f"{data.subtitle}: {data.course_title}")
    canvas.setKeywords(f"{data.serial}; {data.register_number}")
    canvas.setCreator("LMS Thanh Hóa")
    # invariant mode would stamp 2000-01-01; the issue date is just as
    # deterministic and tells the reader something true.
    stamp = f"D:{data.issue_date:%Y%m%d}000000+07'00'"
    canvas.setDateFormatter(lambda *_: stamp)


def _draw_page(canvas: Canvas, data: CertificateData) -> None:
    _draw_border(canvas)
    canvas.setFillColorRGB(*INK)
    canvas.setStrokeColorRGB(*INK)
    draw_agency_heading(
        canvas, _LEFT_COLUMN_X, _HEADER_TOP, data.issuer_name, data.issuer_parent
    )
    draw_national_heading(canvas, _RIGHT_COLUMN_X, _HEADER_TOP)
    _draw_title(canvas, data.subtitle)
    _draw_holder(canvas, data.holder_name)
    _draw_details(canvas, data)
    _draw_signature_block(canvas, data)
    _draw_verification_block(canvas, data)


def _draw_border(canvas: Canvas) -> None:
    """Double frame: a heavy outer line and a hairline inside it."""
    canvas.saveState()
    canvas.setStrokeColorRGB(*ACCENT)
    for inset, width in ((18, 3.0), (25, 0.8)):
        canvas.setLineWidth(width)
        canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)
    canvas.setFillColorRGB(*ACCENT)
    for x, y in _corners(25):
        _draw_diamond(canvas, x, y, 6)
    canvas.restoreState()


def _corners(inset: float) -> tuple[tuple[float, float], ...]:
    right, top = PAGE_WIDTH - inset, PAGE_HEIGHT - inset
    return ((inset, inset), (right, inset), (inset, top), (right, top))


def _draw_diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_title(canvas: Canvas, subtitle: str) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(*ACCENT)
    canvas.setFont(FONT_BOLD, 40)
    canvas.drawCentredString(PAGE_WIDTH / 2, _TITLE_BASELINE, TITLE)
    canvas.restoreState()
    canvas.setFont(FONT_BOLD, 17)
    canvas.drawCentredString(PAGE_WIDTH / 2, _TITLE_BASELINE - 30, subtitle)


def _draw_holder(canvas: Canvas, name: str) -> None:
    """Honorific in regular type, the name large in bold italic, one line."""
    label_size = 16.0
    label_width = pdfmetrics.stringWidth(HONORIFIC, FONT_REGULAR, label_size)
    available = _HOLDER_WIDTH - label_width
    size, lines = fit_text(name, FONT_BOLD_ITALIC, available, 28, 14)
    name_width = pdfmetrics.stringWidth(lines[0], FONT_BOLD_ITALIC, size)
    x = (PAGE_WIDTH - label_width - name_width) / 2
    canvas.setFont(FONT_REGULAR, label_size)
    canvas.drawString(x, _HOLDER_BASELINE, HONORIFIC)
    canvas.setFont(FONT_BOLD_ITALIC, size)
    canvas.drawString(x + label_width, _HOLDER_BASELINE, lines[0])
    # Only a name too long even at the floor size gets here: never drop text.
    for index, line in enumerate(lines[1:], start=1):
        canvas.drawString(x + label_width, _HOLDER_BASELINE - index * size * 1.2, line)


def _details(data: CertificateData) -> list[tuple[str, str, str, int]]:
    """(label, value, value font, max lines) for each line of the body."""
    # Staff records imported without a date of birth leave that line out.
    birth = [("Ngày sinh: ", vn_numeric_date(data.date_of_birth), FONT_REGULAR, 1)] if data.date_of_birth else []
    if data.programme_courses:
        completed = [("Chương trình: ", data.course_title, FONT_BOLD, 3),
                     ("Gồm các khóa học: ", ", ".join(data.programme_courses), FONT_REGULAR, 2)]
    else:
        completed = [("Đã hoàn thành khóa học: ", data.course_title, FONT_BOLD, 2)]
    return [
        *birth,
        ("Đơn vị công tác: ", data.unit_name, FONT_REGULAR, 2),
        *completed,
        ("Thời lượng: ", f"{_format_hours(data.study_hours)} giờ", FONT_REGULAR, 1),
        _period_line(data),
    ]


def _period_line(data: CertificateData) -> tuple[str, str, str, int]:
    # Self-paced courses have no start date: print the completion date alone.
    end = vn_numeric_date(data.period_end)
    if data.period_start is None:
        return ("Ngày hoàn thành: ", end, FONT_REGULAR, 1)
    start = vn_numeric_date(data.period_start)
    return ("Thời gian học: ", f"từ {start} đến {end}", FONT_REGULAR, 1)


def _format_hours(hours: int | float) -> str:
    # Vietnamese uses a decimal comma: 7,5 giờ.
    if float(hours).is_integer():
        return str(int(hours))
    return f"{hours:g}".replace(".", ",")


@dataclasses.dataclass(frozen=True)
class _Labelled:
    """One item of the body, fitted: label, then value lines hanging under the value."""

    label: str
    label_size: float
    indent: float
    font: str
    size: float
    lines: list[str]


def _fit_labelled(label: str, value: str, font: str, max_lines: int, max_size: float = _DETAILS_SIZE) -> _Labelled:
    indent = pdfmetrics.stringWidth(label, FONT_REGULAR, max_size)
    size, lines = fit_text(value, font, _DETAILS_WIDTH - indent, max_size, min(11, max_size), max_lines)
    return _Labelled(label, max_size, indent, font, size, lines)


def _fit_details(data: CertificateData) -> tuple[list[_Labelled], float]:
    """The body's items fitted, and their leading.

    Up to :data:`_DETAILS_LINES` lines (any course certificate) keep the full leading; more
    (a programme's long title and its courses) share the same height, in smaller type.
    """
    details = _details(data)
    items = [_fit_labelled(*item) for item in details]
    count = sum(len(item.lines) for item in items)
    if count <= _DETAILS_LINES:
        return items, _DETAILS_LEADING
    leading = _DETAILS_LEADING * (_DETAILS_LINES - 1) / (count - 1)
    return [_fit_labelled(*item, max_size=leading / 1.15) for item in details], leading


def _draw_details(canvas: Canvas, data: CertificateData) -> None:
    items, leading = _fit_details(data)
    baseline = _DETAILS_BASELINE
    for item in items:
        baseline = _draw_labelled(canvas, baseline, item, leading) - leading


def _draw_labelled(canvas: Canvas, baseline: float, item: _Labelled, leading: float) -> float:
    """Label then value, continuation lines hanging under the value.

    :return: the baseline of the last line drawn.
    """
    canvas.setFont(FONT_REGULAR, item.label_size)
    canvas.drawString(_DETAILS_X, baseline, item.label)
    canvas.setFont(item.font, item.size)
    for index, line in enumerate(item.lines):
        if index:
            baseline -= leading
        canvas.drawString(_DETAILS_X + item.indent, baseline, line)
    return baseline


def _draw_signature_block(canvas: Canvas, data: CertificateData) -> None:
    """Place-and-date line, signer title (one line per line of the title),
    the signature/seal image and the signer's name, centred in a column."""
    x = _RIGHT_COLUMN_X
    column_width = 2 * (PAGE_WIDTH - 45 - x)
    date_line = vn_date_line(data.place, data.issue_date)
    size, _ = fit_text(date_line, FONT_ITALIC, column_width, 14, 10)
    canvas.setFont(FONT_ITALIC, size)
    canvas.drawCentredString(x, _BOTTOM_TOP, date_line)
    baseline = _BOTTOM_TOP
    canvas.setFont(FONT_BOLD, 13)
    for line in data.signer_title.upper().splitlines():
        baseline -= 16
        canvas.drawCentredString(x, baseline, line)
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawCentredString(x, _SIGNER_NAME_BASELINE, data.signer_name)
    if data.signature_image:
        box = (baseline - 6, _SIGNER_NAME_BASELINE + 16)
        _draw_signature_image(canvas, x, box, data.signature_image)


def _draw_signature_image(
    canvas: Canvas, x_center: float, box: tuple[float, float], path: str | Path
) -> None:
    """Fit the image between ``box`` = (top, bottom), keeping its ratio."""
    image = _signature_image(str(path), Path(path).stat().st_mtime_ns)
    top, bottom = box
    image_width, image_height = image.size
    scale = min(_SIGNATURE_WIDTH / image_width, (top - bottom) / image_height)
    width, height = image_width * scale, image_height * scale
    y = bottom + (top - bottom - height) / 2
    draw_prepared_image(canvas, image, x_center - width / 2, y, width, height)


@lru_cache(maxsize=8)
def _signature_image(path: str, mtime_ns: int) -> PreparedImage:
    """Decode and compress once, at no more than 300 dpi for the signature box.

    A phone photo of a seal can be 4000 px wide, and reportlab would
    compress the raw pixels anew for every PDF.  The mtime in the cache key
    makes a replaced signature file take effect without a restart.
    """
    with Image.open(path) as image:
        image.load()
    pixels_per_point = 300 / 72
    box = (_SIGNATURE_WIDTH * pixels_per_point, _SIGNATURE_MAX_HEIGHT * pixels_per_point)
    image.thumbnail((round(box[0]), round(box[1])), Image.LANCZOS)
    return prepare_image(ImageReader(image))


def _draw_verification_block(canvas: Canvas, data: CertificateData) -> None:
    x = 58.0
    canvas.setFont(FONT_REGULAR, 11)
    canvas.drawString(x, _BOTTOM_TOP, f"Số hiệu: {data.serial}")
    canvas.drawString(x, _BOTTOM_TOP - 15, f"Số vào sổ: {data.register_number}")
    # Text stays four modules (~10 pt) clear of the symbol: its quiet zone.
    qr_bottom = _BOTTOM_TOP - 30 - _QR_SIZE
    draw_qr(canvas, data.verify_url, x, qr_bottom, _QR_SIZE)
    canvas.setFont(FONT_REGULAR, 10)
    canvas.drawString(x, qr_bottom - 17, f"Mã xác minh: {data.verify_code_display}")
    _draw_lookup_line(canvas, x, qr_bottom - 28, data.verify_url)


def _draw_lookup_line(canvas: Canvas, x: float, baseline: float, url: str) -> None:
    text = f"Tra cứu tại: {url}"
    width = _RIGHT_COLUMN_X - 120 - x
    size, lines = fit_text(text, FONT_ITALIC, width, 8.5, 6.5, max_lines=2)
    canvas.setFont(FONT_ITALIC, size)
    for line in lines:
        canvas.drawString(x, baseline, line)
        baseline -= size * 1.2
