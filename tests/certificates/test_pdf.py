"""The certificate PDF: text, fonts, layout limits, determinism, metadata."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader

from lms.certificates.pdf import PAGE_HEIGHT, PAGE_WIDTH, CertificateData, render_certificate
from lms.core.pdf import qr_runs

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)

LONG_NAME = "Tôn Nữ Thị Phương Thảo Công Huyền Tôn Nữ Ngọc Diệp Hoàng Thị Minh Châu"
LONG_COURSE = "Bồi dưỡng kỹ năng chuyển đổi số và an toàn thông tin, cấp xã"  # 60 chars
LONG_UNIT = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Quảng Xương, tỉnh Thanh Hóa"
LONG_PROGRAMME = ("Chương trình bồi dưỡng kỹ năng ứng dụng công nghệ thông tin, chuyển đổi số và an toàn "
                  "thông tin cho cán bộ, công chức cấp xã năm 2026")
IU = tuple(f"IU{n:02d}" for n in range(1, 7))


@pytest.fixture(scope="module")
def seal(tmp_path_factory):
    path = tmp_path_factory.mktemp("seal") / "seal.png"
    image = Image.new("RGBA", (360, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 10, 240, 230), outline=(200, 30, 30, 220), width=8)
    draw.line([(120, 150), (200, 90), (280, 160), (340, 80)], fill=(20, 40, 140, 255), width=5)
    image.save(path)
    return path


@pytest.fixture
def data(seal) -> CertificateData:
    return CertificateData(
        holder_name="Nguyễn Thị Hương",
        date_of_birth=dt.date(1985, 3, 5),
        unit_name="Văn phòng HĐND và UBND huyện Quảng Xương",
        course_title="Kỹ năng ứng dụng công nghệ thông tin cơ bản",
        study_hours=40,
        period_start=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 2, 27),
        issue_date=dt.date(2026, 3, 5),
        issuer_name="SỞ NỘI VỤ TỈNH THANH HÓA",
        issuer_parent="UBND TỈNH THANH HÓA",
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Trường",
        signature_image=seal,
        serial="TH-2026-000123",
        register_number="123/2026",
        verify_url="https://lms.thanhhoa.gov.vn/xac-minh/7K3M9QXD2PWA",
        verify_code_display="7K3M-9QXD-2PWA",
    )


def _tool(name: str, pdf_bytes: bytes, *args: str) -> str:
    command = [name, *args, "-", "-"] if name == "pdftotext" else [name, *args, "-"]
    return subprocess.run(command, input=pdf_bytes, capture_output=True, check=True).stdout.decode()


def _text_lines(pdf_bytes: bytes, *args: str) -> list[str]:
    text = _tool("pdftotext", pdf_bytes, *args)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_pdftotext_returns_the_exact_vietnamese_lines(data):
    lines = _text_lines(render_certificate(data))
    for expected in [
        "UBND TỈNH THANH HÓA",
        "SỞ NỘI VỤ TỈNH THANH HÓA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN",
        "Hoàn thành khóa bồi dưỡng",
        "Ngày sinh: 05/03/1985",
        "Đơn vị công tác: Văn phòng HĐND và UBND huyện Quảng Xương",
        "Đã hoàn thành khóa học: Kỹ năng ứng dụng công nghệ thông tin cơ bản",
        "Thời lượng: 40 giờ",
        "Thời gian học: từ 05/01/2026 đến 27/02/2026",
        "Thanh Hóa, ngày 05 tháng 3 năm 2026",
        "GIÁM ĐỐC",
        "Lê Văn Trường",
        "Số hiệu: TH-2026-000123",
        "Số vào sổ: 123/2026",
        "Mã xác minh: 7K3M-9QXD-2PWA",
        "Tra cứu tại: https://lms.thanhhoa.gov.vn/xac-minh/7K3M9QXD2PWA",
    ]:
        assert expected in lines
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_holder_line_reads_as_one_line(data):
    # Label and name differ in size, so only the layout mode joins them.
    lines = _text_lines(render_certificate(data), "-layout")
    assert "Cấp cho: Ông/Bà Nguyễn Thị Hương" in lines


def test_decomposed_input_is_printed_precomposed(data):
    decomposed = unicodedata.normalize("NFD", "Trần Thị Quỳnh")
    pdf_bytes = render_certificate(dataclasses.replace(data, holder_name=decomposed))
    assert "Cấp cho: Ông/Bà Trần Thị Quỳnh" in _text_lines(pdf_bytes, "-layout")


def test_only_embedded_liberation_serif_fonts(data):
    rows = _tool("pdffonts", render_certificate(data)).splitlines()[2:]
    faces = sorted(row.split()[0].split("+", 1)[1] for row in rows)
    assert faces == [
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-BoldItalic",
        "LiberationSerif-Italic",
    ]
    assert all(re.search(r"TrueType\s+\S+\s+yes\s+yes\s+yes", row) for row in rows)


def test_same_data_gives_the_same_bytes(data):
    first, second = render_certificate(data), render_certificate(data)
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render_certificate(dataclasses.replace(data, serial="TH-2026-000124")) != first


def test_same_bytes_in_a_fresh_process_with_another_hash_seed(data):
    # The stored SHA-256 must survive a restart: no per-process state such
    # as set ordering or font subset counters may leak into the file.
    script = (
        "import pickle, sys; from lms.certificates.pdf import render_certificate; "
        "sys.stdout.buffer.write(render_certificate(pickle.load(sys.stdin.buffer)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps(data),
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert result.stdout == render_certificate(data)


def test_metadata_and_page_size(data):
    info = _tool("pdfinfo", render_certificate(data))
    assert "Title:           Giấy chứng nhận TH-2026-000123 - Nguyễn Thị Hương" in info
    assert "Author:          SỞ NỘI VỤ TỈNH THANH HÓA" in info
    assert "Subject:         Hoàn thành khóa bồi dưỡng: Kỹ năng ứng dụng" in info
    assert "Page size:       841.89 x 595.276 pts (A4)" in info
    # The creation date is the issue date (deterministic), not "now".
    assert re.search(r"CreationDate:\s+\w+ Mar +[45] \d\d:00:00 2026", info)


def test_signature_image_is_embedded_with_its_transparency(data):
    listing = _tool("pdfimages", render_certificate(data), "-list").splitlines()[2:]
    assert [row.split()[2] for row in listing] == ["image", "smask"]
    without = render_certificate(dataclasses.replace(data, signature_image=None))
    assert _tool("pdfimages", without, "-list").splitlines()[2:] == []


def test_qr_code_encodes_the_verification_url(data):
    page = PdfFileReader(io.BytesIO(render_certificate(data))).root["/Pages"]["/Kids"][0]
    stream = page.get_object()["/Contents"].data.decode("latin-1")
    rectangles = re.findall(r"^\d+ \d+ \d+ 1 re$", stream, flags=re.MULTILINE)
    assert len(rectangles) == len(qr_runs(data.verify_url)[1])


def test_optional_start_date_and_fractional_hours(data):
    pdf_bytes = render_certificate(dataclasses.replace(data, period_start=None, study_hours=7.5))
    lines = _text_lines(pdf_bytes)
    assert "Ngày hoàn thành: 27/02/2026" in lines
    assert "Thời lượng: 7,5 giờ" in lines


def test_two_line_signer_title(data):
    title = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    lines = _text_lines(render_certificate(dataclasses.replace(data, signer_title=title)))
    assert lines.index("KT. GIÁM ĐỐC") + 1 == lines.index("PHÓ GIÁM ĐỐC")


def _word_boxes(pdf_bytes: bytes) -> list[tuple[float, float, float, float, str]]:
    html = _tool("pdftotext", pdf_bytes, "-bbox")
    number = r'"([\d.]+)"'
    pattern = rf"<word xMin={number} yMin={number} xMax={number} yMax={number}>([^<]*)</word>"
    return [(*map(float, match[:4]), match[4]) for match in re.findall(pattern, html)]


def _overlap(first, second) -> bool:
    # Half a point of slack: glyph boxes of neighbouring lines may touch.
    return (
        first[0] < second[2] - 0.5
        and second[0] < first[2] - 0.5
        and first[1] < second[3] - 0.5
        and second[1] < first[3] - 0.5
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"holder_name": LONG_NAME, "course_title": LONG_COURSE},
        {"holder_name": LONG_NAME * 2, "course_title": LONG_COURSE * 3, "unit_name": LONG_UNIT * 2},
        {"signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "unit_name": LONG_UNIT},
        {"programme_courses": IU, "course_title": LONG_PROGRAMME, "unit_name": LONG_UNIT},
        {"programme_courses": IU * 4, "course_title": LONG_PROGRAMME * 2, "unit_name": LONG_UNIT * 2},
    ],
)
def test_long_texts_stay_inside_the_frame_and_never_overlap(data, changes):
    long_data = dataclasses.replace(data, **changes)
    words = _word_boxes(render_certificate(long_data))
    frame = 25  # the inner line of the double border
    for x_min, y_min, x_max, y_max, word in words:
        assert frame < x_min and x_max < PAGE_WIDTH - frame, word
        assert frame < y_min and y_max < PAGE_HEIGHT - frame, word
    for index, first in enumerate(words):
        for second in words[index + 1 :]:
            assert not _overlap(first, second), (first, second)
    text = " ".join(word[4] for word in words)
    assert " ".join(long_data.course_title.split()[:4]) in text


def test_sixty_character_course_wraps_without_losing_words(data):
    assert len(LONG_COURSE) == 60
    lines = _text_lines(render_certificate(dataclasses.replace(data, course_title=LONG_COURSE)))
    start = next(i for i, line in enumerate(lines) if line.startswith("Đã hoàn thành khóa học:"))
    printed = " ".join(lines[start : start + 2]).removeprefix("Đã hoàn thành khóa học: ")
    assert printed == LONG_COURSE


def test_a_programme_certificate_names_the_programme_and_its_courses(data):
    programme = dataclasses.replace(data, course_title=LONG_PROGRAMME, programme_courses=IU, study_hours=24)
    lines = _text_lines(render_certificate(programme))
    assert "Hoàn thành chương trình bồi dưỡng" in lines and "Hoàn thành khóa bồi dưỡng" not in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("Chương trình:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Gồm các khóa học:"))
    assert " ".join(lines[start:end]).removeprefix("Chương trình: ") == LONG_PROGRAMME
    assert "Gồm các khóa học: IU01, IU02, IU03, IU04, IU05, IU06" in lines and "Thời lượng: 24 giờ" in lines
    assert "Subject:         Hoàn thành chương trình bồi dưỡng: Chương trình" in _tool("pdfinfo", render_certificate(programme))
