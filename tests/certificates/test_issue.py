"""A completed course gives a certificate once, with what was true at issue, stored as PDF."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from lms.certificates import codes
from lms.certificates.models import Certificate, CertificateCounter
from lms.certificates.issuing import allocate_number
from lms.certificates.operations import issue_certificate
from lms.certificates.storage import pdf_path, sha256_hex
from lms.extensions import db
from lms.learning.models import CourseCompletion

from .conftest import PUBLIC_BASE_URL, needs_poppler, pdf_lines


def _certificates():
    return list(db.session.scalars(select(Certificate).order_by(Certificate.number)))


def test_completing_a_course_issues_one_certificate_with_the_facts_at_issue(commune, make_person, make_course, complete):
    person = make_person(commune, "Nguyễn Thị Hương", date_of_birth=date(1985, 3, 5))
    complete(person, make_course())
    [certificate] = _certificates()
    year = certificate.issue_date.year
    assert certificate.serial == f"TH-{year}-000001" and certificate.register_number == f"1/{year}"
    assert (certificate.holder_name, certificate.holder_birth_date) == ("Nguyễn Thị Hương", date(1985, 3, 5))
    assert (certificate.holder_unit_name, certificate.unit_id) == ("Xã Quảng Hòa", commune.id)
    assert (certificate.title, certificate.study_hours, certificate.status) == (
        "Hiểu biết cơ bản về công nghệ thông tin", 40, "valid")
    assert certificate.verify_url == f"{PUBLIC_BASE_URL}/verify/{certificate.verification_code}"
    assert codes.normalise(certificate.verification_code) == certificate.verification_code
    assert pdf_path(certificate).name == f"{certificate.serial}.pdf"
    assert sha256_hex(pdf_path(certificate).read_bytes()) == certificate.pdf_sha256
    # Checking the completion again changes nothing.
    complete(person, certificate.course)
    assert len(_certificates()) == 1


@needs_poppler
def test_the_stored_pdf_reads_back_as_the_exact_vietnamese_text(commune, make_person, make_course, complete):
    person = make_person(commune, "Nguyễn Thị Hương", date_of_birth=date(1985, 3, 5))
    complete(person, make_course())
    [certificate] = _certificates()
    lines = pdf_lines(pdf_path(certificate).read_bytes())
    for expected in [
        "UBND TỈNH THANH HÓA", "SỞ NỘI VỤ TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "GIẤY CHỨNG NHẬN", "Ngày sinh: 05/03/1985",
        "Đơn vị công tác: Xã Quảng Hòa", "Đã hoàn thành khóa học: Hiểu biết cơ bản về công nghệ thông tin",
        "Thời lượng: 40 giờ", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Trường",
        f"Số hiệu: {certificate.serial}", f"Số vào sổ: {certificate.register_number}",
        f"Mã xác minh: {codes.display(certificate.verification_code)}",
    ]:
        assert expected in lines
    assert "Cấp cho: Ông/Bà Nguyễn Thị Hương" in pdf_lines(pdf_path(certificate).read_bytes(), "-layout")


def test_a_course_without_certificates_gives_none(commune, make_person, make_course, complete):
    complete(make_person(commune), make_course(enabled=False))
    assert _certificates() == []


def test_a_profile_without_date_of_birth_still_gets_a_certificate(commune, make_person, make_course, complete):
    complete(make_person(commune, date_of_birth=None), make_course())
    assert _certificates()[0].holder_birth_date is None


def test_serials_run_per_year_and_a_rollback_gives_the_number_back(app_ctx):
    assert [allocate_number(2026), allocate_number(2026), allocate_number(2027)] == [1, 2, 1]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CertificateCounter)) == 0
    assert allocate_number(2026) == 1
    db.session.commit()


def test_issue_pending_issues_what_is_owed_once(commune, make_person, make_course, runner):
    course, off = make_course("IU01"), make_course("IU02", enabled=False)
    people = [make_person(commune, name) for name in ("Lê Văn Bình", "Trần Thị Cúc")]
    now = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)
    # Completions recorded before certificates existed (no signal was heard).
    db.session.add_all([CourseCompletion(user_id=p.id, course_id=c.id, completed_at=now)
                        for p in people for c in (course, off)])
    db.session.commit()
    result = runner.invoke(args=["lms", "certificates", "issue-pending"])
    assert result.exit_code == 0, result.output
    assert "Đã cấp 2 giấy chứng nhận khóa học, 0 giấy chứng nhận chương trình." in result.output
    assert [c.number for c in _certificates()] == [1, 2]
    assert {c.period_end for c in _certificates()} == {date(2026, 3, 5)}
    again = runner.invoke(args=["lms", "certificates", "issue-pending"])
    assert "Đã cấp 0 giấy chứng nhận khóa học, 0 giấy chứng nhận chương trình." in again.output


def test_issue_certificate_returns_the_existing_one(commune, make_person, make_course, complete):
    completion = complete(make_person(commune), make_course())
    assert issue_certificate(completion).number == 1
    assert len(_certificates()) == 1


@pytest.mark.parametrize("typed", ["{g}", "{g_lower}", " {plain} ", "{confusable}"])
def test_codes_are_read_back_forgivingly(typed):
    code = codes.new_code()
    assert len(code) == 26
    variants = {"g": codes.display(code), "g_lower": codes.display(code).lower(), "plain": code,
                "confusable": code.replace("1", "I").replace("0", "O")}
    assert codes.normalise(typed.format(**variants)) == code
    assert codes.normalise(code[:-1]) is None and codes.normalise(code[:-1] + "U") is None
