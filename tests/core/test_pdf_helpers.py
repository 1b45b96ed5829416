"""Shared PDF helpers: fonts, official headings, Vietnamese dates, QR drawing."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import unicodedata

import pytest
import segno
from PIL import Image
from reportlab.lib.fonts import tt2ps
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from lms.core import pdf
from lms.core.fonts import FONT_BOLD, FONT_BOLD_ITALIC, FONT_DIR, FONT_ITALIC, FONT_REGULAR, register_fonts
from lms.core.pdf import (
    draw_agency_heading,
    draw_national_heading,
    draw_prepared_image,
    draw_qr,
    fit_text,
    prepare_image,
    qr_runs,
    vn_date_line,
    vn_numeric_date,
    wrap_text,
)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)
URL = "https://lms.thanhhoa.gov.vn/xac-minh/7K3M9QXD2PWA"


def _page(draw, size=(595, 842), compress=1) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=size, initialFontName=FONT_REGULAR, pageCompression=compress, invariant=1
    )
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _run(tool: str, pdf_bytes: bytes, *args: str) -> str:
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf_bytes,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_register_fonts_is_idempotent_and_maps_the_family():
    register_fonts()
    register_fonts()
    names = set(pdfmetrics.getRegisteredFontNames())
    assert {FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC} <= names
    assert tt2ps("liberationserif", 1, 0) == FONT_BOLD
    assert tt2ps("liberationserif", 0, 1) == FONT_ITALIC
    assert tt2ps("liberationserif", 1, 1) == FONT_BOLD_ITALIC


def test_bundled_fonts_cover_the_whole_vietnamese_alphabet():
    register_fonts()
    letters = "".join(chr(c) for c in range(0x1EA0, 0x1EFA)) + "ăâđêôơưĂÂĐÊÔƠƯ"
    for name in (FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        char_to_glyph = pdfmetrics.getFont(name).face.charToGlyph
        missing = [char for char in letters if ord(char) not in char_to_glyph]
        assert missing == [], name
    assert (FONT_DIR / "LICENSE-LiberationSerif.txt").is_file()


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 5), "Thanh Hóa, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 2, 15), "Thanh Hóa, ngày 15 tháng 02 năm 2026"),
        (dt.date(2026, 1, 9), "Thanh Hóa, ngày 09 tháng 01 năm 2026"),
        (dt.date(2025, 10, 1), "Thanh Hóa, ngày 01 tháng 10 năm 2025"),
        (dt.date(2025, 12, 31), "Thanh Hóa, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_vn_date_line_pads_days_below_ten_and_months_one_and_two(date, expected):
    assert vn_date_line("Thanh Hóa", date) == expected


def test_vn_numeric_date():
    assert vn_numeric_date(dt.date(1985, 3, 5)) == "05/03/1985"


def test_fixed_texts_are_nfc():
    for text in (pdf.NATIONAL_NAME, pdf.NATIONAL_MOTTO, vn_date_line("Thanh Hóa", dt.date.today())):
        assert unicodedata.is_normalized("NFC", text)


def test_wrap_text_keeps_every_word_and_respects_the_width():
    register_fonts()
    text = "Bồi dưỡng kỹ năng chuyển đổi số và an toàn thông tin cho công chức cấp xã"
    lines = wrap_text(text, FONT_BOLD, 15, 200)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(pdfmetrics.stringWidth(line, FONT_BOLD, 15) <= 200 for line in lines)


def test_wrap_text_cuts_a_word_longer_than_the_line():
    register_fonts()
    lines = wrap_text("x" * 80, FONT_REGULAR, 10, 100)
    assert "".join(lines) == "x" * 80
    assert all(pdfmetrics.stringWidth(line, FONT_REGULAR, 10) <= 100 for line in lines)


def test_fit_text_keeps_the_size_when_the_text_fits():
    register_fonts()
    assert fit_text("Lê Văn Trường", FONT_BOLD, 300, 14, 10) == (14, ["Lê Văn Trường"])


def test_fit_text_shrinks_before_it_overflows():
    register_fonts()
    text = "Tôn Nữ Thị Phương Thảo Công Huyền Tôn Nữ Ngọc Diệp Hoàng Thị Minh Châu"
    size, lines = fit_text(text, FONT_BOLD_ITALIC, 400, 28, 14, max_lines=1)
    assert 6 <= size < 28
    assert lines == [text]
    assert pdfmetrics.stringWidth(text, FONT_BOLD_ITALIC, size) <= 400


@needs_poppler
def test_headings_follow_decree_30():
    def draw(canvas):
        draw_agency_heading(canvas, 150, 800, "Sở Nội vụ tỉnh Thanh Hóa", "UBND tỉnh Thanh Hóa")
        bottom = draw_national_heading(canvas, 420, 800)
        assert 760 < bottom < 775

    pdf_bytes = _page(draw)
    lines = _lines(_run("pdftotext", pdf_bytes))
    assert lines == [
        "UBND TỈNH THANH HÓA",
        "SỞ NỘI VỤ TỈNH THANH HÓA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    fonts = _run("pdffonts", pdf_bytes)
    assert "Helvetica" not in fonts
    assert re.search(r"\+LiberationSerif-Bold\s+TrueType.*\byes\s+yes\s+yes\b", fonts)


def _independent_run_count(data: str) -> tuple[int, int]:
    matrix = segno.make(data, error="m", micro=False, mask=pdf.QR_MASK).matrix
    runs = sum(
        1
        for row in matrix
        for index, dark in enumerate(row)
        if dark and (index == 0 or not row[index - 1])
    )
    return len(matrix), runs


def test_qr_is_drawn_as_one_path_of_one_rectangle_per_dark_run():
    # Uncompressed page stream, so the operators can be read directly.
    pdf_bytes = _page(lambda canvas: draw_qr(canvas, URL, 100, 100, 80), compress=0)
    stream = pdf_bytes.decode("latin-1")
    rectangles = re.findall(r"^\d+ \d+ \d+ 1 re$", stream, flags=re.MULTILINE)
    modules, runs = _independent_run_count(URL)
    assert qr_runs(URL)[0] == modules
    assert len(rectangles) == runs
    # All rectangles are one path: a single fill right after the last one.
    assert re.search(r"\d+ \d+ \d+ 1 re\nf\n", stream)
    assert len(re.findall(r"^f$", stream, flags=re.MULTILINE)) == 1


@needs_poppler
def test_rasterised_qr_matches_segno_matrix(tmp_path):
    """Sample every module centre of the rendered page: catches flips and offsets."""
    matrix = segno.make(URL, error="m", micro=False, mask=pdf.QR_MASK).matrix
    modules, margin, scale = len(matrix), 16, 4  # 4 pt per module, 72 dpi
    side = modules * scale + 2 * margin
    pdf_bytes = _page(
        lambda canvas: draw_qr(canvas, URL, margin, margin, modules * scale), size=(side, side)
    )
    (tmp_path / "qr.pdf").write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-png", "-singlefile", "qr.pdf", "qr"],
        cwd=tmp_path,
        check=True,
    )
    image = Image.open(tmp_path / "qr.png").convert("L")
    for row in range(modules):
        for column in range(modules):
            x = margin + column * scale + scale // 2
            y = margin + row * scale + scale // 2
            assert (image.getpixel((x, y)) < 128) == bool(matrix[row][column]), (row, column)


def _seal(mode: str) -> Image.Image:
    image = Image.new(mode, (90, 60), (200, 30, 30, 0)[: len(mode)])
    for x in range(10, 80):
        image.putpixel((x, 30 + x % 7), (20, 40, 140, 255)[: len(mode)])
    return image


@pytest.mark.parametrize("mode", ["RGBA", "RGB"])
def test_prepared_image_writes_the_bytes_of_draw_image(mode):
    """Cached compression must not change a stored certificate's hash."""

    def with_reportlab(canvas):
        for x in (50, 200):  # the second draw reuses the first XObject
            canvas.drawImage(ImageReader(_seal(mode)), x, 100, 90, 60, mask="auto")

    prepared = prepare_image(ImageReader(_seal(mode)))

    def with_prepared(canvas):
        for x in (50, 200):
            draw_prepared_image(canvas, prepared, x, 100, 90, 60)

    assert prepared.size == (90, 60)
    assert _page(with_prepared) == _page(with_reportlab)
    assert _page(with_prepared) == _page(with_prepared)  # the template is not consumed
