"""Benchmark: certificates rendered (and signed) per second on one core.

Usage::

    .venv/bin/python bench/certificates.py [-n 500] [--signed 100]

Rates are given per CPU second of this process (what one core sustains,
robust against other load on the machine) and per wall-clock second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms.certificates.pdf import CertificateData, render_certificate  # noqa: E402
from lms.certificates.signing import make_dev_signer, sign_pdf  # noqa: E402

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Ngọc", "Quỳnh", "Hữu", "Thu", "Xuân"]
GIVEN_NAMES = ["Hương", "Trường", "Dũng", "Thảo", "Quyết", "Yến", "Nghĩa", "Lưu"]
COURSES = [
    "Kỹ năng ứng dụng công nghệ thông tin cơ bản",
    "Bồi dưỡng kỹ năng chuyển đổi số và an toàn thông tin cho công chức cấp xã",
    "Soạn thảo văn bản hành chính theo Nghị định 30/2020/NĐ-CP",
]


def _write_seal(path: Path) -> None:
    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 20, 400, 380), outline=(200, 30, 30, 220), width=12)
    draw.line([(180, 250), (300, 150), (420, 260), (560, 140)], fill=(20, 40, 140, 255), width=8)
    image.save(path)


def _sample(index: int, seal: Path) -> CertificateData:
    name = " ".join(
        (FAMILY_NAMES[index % 8], MIDDLE_NAMES[index // 8 % 8], GIVEN_NAMES[index // 64 % 8])
    )
    return CertificateData(
        holder_name=name,
        date_of_birth=dt.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
        unit_name="Văn phòng HĐND và UBND huyện Quảng Xương",
        course_title=COURSES[index % len(COURSES)],
        study_hours=40,
        period_start=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 2, 27),
        issue_date=dt.date(2026, 3, 5),
        issuer_name="SỞ NỘI VỤ TỈNH THANH HÓA",
        issuer_parent="UBND TỈNH THANH HÓA",
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Trường",
        signature_image=seal,
        serial=f"TH-2026-{index:06d}",
        register_number=f"{index}/2026",
        verify_url=f"https://lms.thanhhoa.gov.vn/xac-minh/7K3M9QXD{index:06d}",
        verify_code_display=f"7K3M-9QXD-{index:06d}",
    )


def _measure(label: str, count: int, work) -> None:
    """Run ``work(i)`` for i < count and print the rates."""
    wall, cpu = time.perf_counter(), time.process_time()
    for index in range(count):
        work(index)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:<10} {count:>5} certificates: {count / cpu:7.1f}/s per CPU second, "
        f"{count / wall:7.1f}/s wall clock ({1000 * cpu / count:.1f} ms CPU each)"
    )


def main() -> None:
    """Parse the arguments and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="certificates to render")
    parser.add_argument("--signed", type=int, default=100, help="certificates to render and sign")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        seal, p12 = Path(folder) / "seal.png", Path(folder) / "signer.p12"
        _write_seal(seal)
        make_dev_signer(p12, "bench")
        render_certificate(_sample(0, seal))  # fonts and image caches warm
        sign_pdf(render_certificate(_sample(0, seal)), p12, "bench")
        _measure("unsigned", args.n, lambda i: render_certificate(_sample(i, seal)))
        _measure(
            "signed",
            args.signed,
            lambda i: sign_pdf(render_certificate(_sample(i, seal)), p12, "bench"),
        )


if __name__ == "__main__":
    main()
