"""Shared reportlab helpers for Vietnamese official documents.

Layout rules follow Nghị định 30/2020/NĐ-CP (Phụ lục I) on the format of
administrative documents: national heading, issuing-body heading and the
place-and-date line.  Every text is set in Liberation Serif (``lms.core.fonts``).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from itertools import groupby

import segno
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase import pdfdoc, pdfmetrics

from lms.core.fonts import FONT_BOLD, FONT_REGULAR

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Absolute floor for shrink-to-fit: below this, text is unreadable in print.
_MIN_READABLE_SIZE = 6.0
_SIZE_STEP = 0.5
_LINE_HEIGHT = 1.25
_RULE_WIDTH = 0.6
# Gap from baseline to rule: clears descenders and Vietnamese dots below.
_RULE_GAP = 0.5
# ISO 18004 allows any of the eight masks.  Choosing the best one scores all
# eight (three quarters of segno's encoding time, ~6 ms a symbol); mask 2
# (column % 3) scored best on average over 900 verification URLs, within
# 4 % of the per-URL best penalty, so a fixed mask costs little scannability.
QR_MASK = 2


def _draw_rule(canvas, x_center: float, y: float, width: float) -> None:
    canvas.setLineWidth(_RULE_WIDTH)
    canvas.line(x_center - width / 2, y, x_center + width / 2, y)


def draw_national_heading(
    canvas, x_center: float, y_top: float, size: float = 13
) -> float:
    """Draw the Quốc hiệu and Tiêu ngữ centred on ``x_center``.

    Per Nghị định 30 both lines are bold; the motto is one point larger and
    is underlined by a solid rule as long as the motto itself.

    :param canvas: reportlab canvas; fonts must be registered.
    :param x_center: horizontal centre of the block, in points.
    :param y_top: top of the block, one font size above the first baseline.
    :param size: font size of the national name; the motto uses ``size + 1``.
    :return: the y of the rule, so callers can continue below it.
    """
    motto_size = size + 1
    y = y_top - size
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(x_center, y, NATIONAL_NAME)
    y -= motto_size * _LINE_HEIGHT
    canvas.setFont(FONT_BOLD, motto_size)
    canvas.drawCentredString(x_center, y, NATIONAL_MOTTO)
    y -= motto_size * _RULE_GAP
    width = pdfmetrics.stringWidth(NATIONAL_MOTTO, FONT_BOLD, motto_size)
    _draw_rule(canvas, x_center, y, width)
    return y


def draw_agency_heading(
    canvas,
    x_center: float,
    y_top: float,
    agency: str,
    parent: str | None = None,
    size: float = 13,
) -> float:
    """Draw the issuing body's name block (tên cơ quan ban hành).

    Per Nghị định 30 the parent body is upper case and regular, the issuing
    body upper case and bold, with a rule under it of 40 % of its width (the
    decree asks for a third to a half).

    :param canvas: reportlab canvas; fonts must be registered.
    :param x_center: horizontal centre of the block, in points.
    :param y_top: top of the block, one font size above the first baseline.
    :param agency: the issuing body, e.g. "SỞ NỘI VỤ TỈNH THANH HÓA".
    :param parent: the body it belongs to, e.g. "UBND TỈNH THANH HÓA".
    :param size: font size of both lines.
    :return: the y of the rule.
    """
    y = y_top - size
    if parent:
        canvas.setFont(FONT_REGULAR, size)
        canvas.drawCentredString(x_center, y, parent.upper())
        y -= size * _LINE_HEIGHT
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(x_center, y, agency.upper())
    y -= size * _RULE_GAP
    width = pdfmetrics.stringWidth(agency.upper(), FONT_BOLD, size)
    _draw_rule(canvas, x_center, y, width * 0.4)
    return y


def vn_date_line(place: str, date: dt.date) -> str:
    """Format the place-and-date line of an official document.

    Nghị định 30 writes days below 10 and the months January and February
    with a leading zero, other months without (the usual reading: "01" and
    "02" cannot be extended by hand into "11" and "12"):
    "Thanh Hóa, ngày 05 tháng 3 năm 2026".

    :param place: the place name, e.g. "Thanh Hóa".
    :param date: the date of issue.
    """
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def vn_numeric_date(date: dt.date) -> str:
    """Format a date as "dd/mm/yyyy", the usual Vietnamese numeric form.

    :param date: the date to format.
    """
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def _split_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    # A single token wider than the line (a URL, say) is cut by characters.
    pieces, current = [], ""
    for char in word:
        if current and pdfmetrics.stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current]


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (greedy, by words).

    :param text: the text to wrap; runs of whitespace collapse to one space.
    :param font: a registered font name.
    :param size: font size in points.
    :param width: available line width in points.
    :return: the lines, at least one (possibly empty).
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _split_long_word(word, font, size, width)
        lines.extend(full)
    lines.append(current)
    return lines


def fit_text(
    text: str,
    font: str,
    width: float,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
) -> tuple[float, list[str]]:
    """Find the largest size at which ``text`` fits in ``max_lines`` lines.

    Sizes are tried from ``max_size`` down in half-point steps.  When even
    ``min_size`` needs more lines, shrinking continues to a readable floor
    so the text never overflows its box.

    :param text: the text to fit.
    :param font: a registered font name.
    :param width: available line width in points.
    :param max_size: preferred font size.
    :param min_size: smallest size the design would like to go to.
    :param max_lines: how many lines the box holds.
    :return: ``(size, lines)``.
    """
    size = max_size
    floor = min(min_size, _MIN_READABLE_SIZE)
    while True:
        lines = wrap_text(text, font, size, width)
        if len(lines) <= max_lines or size - _SIZE_STEP < floor:
            return size, lines
        size -= _SIZE_STEP


def qr_runs(data: str, error: str = "m") -> tuple[int, list[tuple[int, int, int]]]:
    """Encode ``data`` as a QR code and list its dark horizontal runs.

    :param data: the payload, typically a verification URL.
    :param error: segno error-correction level ("l", "m", "q" or "h"), a
        minimum: segno raises it when the same version has room to spare.
    :return: ``(modules_per_side, [(row, first_column, length), ...])``
        without the quiet zone; row 0 is the top row.
    """
    matrix = segno.make(data, error=error, micro=False, mask=QR_MASK).matrix
    runs = []
    for row, modules in enumerate(matrix):
        column = 0
        for dark, group in groupby(modules):
            length = sum(1 for _ in group)
            if dark:
                runs.append((row, column, length))
            column += length
    return len(matrix), runs


def draw_qr(canvas, data: str, x: float, y: float, size: float, error: str = "m") -> None:
    """Draw a QR code for ``data`` as one filled path of rectangles.

    One ``re`` per horizontal run of dark modules, in a module-unit
    coordinate system so the operators are small integers, then a single
    fill.  The operators are written directly because reportlab's path
    objects format every number in pure Python.  The caller must leave a
    white quiet zone of four modules around the symbol.

    :param canvas: reportlab canvas.
    :param data: the payload, typically a verification URL.
    :param x: left edge of the symbol, in points.
    :param y: bottom edge of the symbol, in points.
    :param size: side of the symbol (without quiet zone), in points.
    :param error: segno error-correction level.
    """
    modules, runs = qr_runs(data, error)
    canvas.saveState()
    canvas.translate(x, y + size)
    canvas.scale(size / modules, -size / modules)
    canvas.setFillColorRGB(0, 0, 0)
    ops = [f"{column} {row} {length} 1 re" for row, column, length in runs]
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


@dataclasses.dataclass(frozen=True)
class PreparedImage:
    """A raster image hashed and compressed once, to be drawn into many PDFs.

    reportlab's ``drawImage`` hashes the pixels (for the XObject's name) and
    zlib-compresses them again for every document: ~9 ms for a 600x400
    signature with its alpha channel, a quarter of a certificate's render.
    ``xobject`` is a template that is copied into each document, never
    registered itself, so one instance serves every thread.
    """

    name: str
    xobject: pdfdoc.PDFImageXObject

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels."""
        return self.xobject.width, self.xobject.height


def prepare_image(reader: ImageReader) -> PreparedImage:
    """Hash and compress ``reader``'s pixels as ``drawImage(..., mask="auto")`` does.

    :param reader: the decoded image; an alpha channel becomes a soft mask.
    """
    pixels = reader.getRGBData()  # sets reader._dataA, the alpha channel
    alpha = reader._dataA
    name = _digester(pixels + (alpha.getRGBData() if alpha else b"auto"))
    xobject = pdfdoc.PDFImageXObject(name, reader, mask="auto")
    return PreparedImage(name, xobject)


def draw_prepared_image(
    canvas, image: PreparedImage, x: float, y: float, width: float, height: float
) -> None:
    """Draw ``image`` stretched to the box, writing the very bytes ``drawImage`` would.

    :param canvas: reportlab canvas.
    :param image: from :func:`prepare_image`.
    :param x: left edge, in points.
    :param y: bottom edge, in points.
    :param width: width of the box, in points (positive).
    :param height: height of the box, in points (positive).
    """
    doc = canvas._doc
    registered_name = doc.getXObjectName(image.name)
    if registered_name not in doc.idToObject:
        _register_image(canvas, image, registered_name)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{registered_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(image.name)


def _register_image(canvas, image: PreparedImage, registered_name: str) -> None:
    # The steps and their order of reportlab's Canvas.drawImage, so that the
    # objects are numbered alike; copies, because registering marks them.
    doc = canvas._doc
    xobject = copy.copy(image.xobject)
    soft_mask = xobject.__dict__.pop("_smask", None)
    canvas._setXObjects(xobject)
    doc.Reference(xobject, registered_name)
    doc.addForm(image.name, xobject)
    if soft_mask is None:
        return
    mask_name = doc.getXObjectName(soft_mask.name)
    if mask_name in doc.idToObject:
        xobject.smask = pdfdoc.PDFObjectReference(mask_name)
        return
    soft_mask = copy.copy(soft_mask)
    canvas._setXObjects(soft_mask)
    xobject.smask = doc.Reference(soft_mask, mask_name)
