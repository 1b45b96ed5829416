"""Fixtures for certificates: settings, courses, completions through the learning area."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lms.courses.models import Course
from lms.courses.settings import normalise_certificate, normalise_quiz
from lms.extensions import db

PUBLIC_BASE_URL = "https://lms.thanhhoa.gov.vn"


@pytest.fixture(autouse=True)
def certificate_settings(app, monkeypatch):
    """The issuing body's settings as a real deployment would set them."""
    for key, value in {
        "LMS_CERT_ISSUER": "SỞ NỘI VỤ TỈNH THANH HÓA",
        "LMS_CERT_ISSUER_PARENT": "UBND TỈNH THANH HÓA",
        "LMS_CERT_SIGNER_TITLE": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "LMS_CERT_SIGNER_NAME": "Lê Văn Trường",
        "LMS_CERT_PLACE": "Thanh Hóa",
        "LMS_CERT_P12": None,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def make_course(app_ctx):
    """Factory: ``make_course(code, title=…, hours=40, enabled=True)``: a course without lessons
    or quiz, so that checking its completion completes it."""

    def make(code: str = "IU01", title: str = "Hiểu biết cơ bản về công nghệ thông tin",
             hours: float = 40, enabled: bool = True) -> Course:
        course = Course(code=code, slug=code.lower(), title=title, study_hours=hours, quiz=normalise_quiz({}),
                        certificate=normalise_certificate({"enabled": enabled}), status="published")
        db.session.add(course)
        db.session.commit()
        return course

    return make


@pytest.fixture
def complete(app_ctx):
    """``complete(person, course)``: the learning area records the completion (and the
    certificate is issued in the same transaction), committed."""
    from lms.learning.operations import refresh_completion

    def do(person, course):
        completion = refresh_completion(person, course)
        db.session.commit()
        return completion

    return do


@pytest.fixture
def commune(province, make_unit):
    return make_unit("16378", "Xã Quảng Hòa", "commune", province)


def pdf_lines(pdf: bytes, *args: str) -> list[str]:
    """The text lines of a PDF as ``pdftotext`` extracts them, spaces collapsed."""
    text = subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
