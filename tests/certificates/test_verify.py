"""The public verification page: the status and four facts, nothing personal; rate-limited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from lms.certificates import codes
from lms.certificates.models import Certificate
from lms.certificates.storage import pdf_path
from lms.extensions import db


@pytest.fixture
def certificate(commune, make_person, make_course, complete):
    complete(make_person(commune, "Nguyễn Thị Hương", date_of_birth=date(1985, 3, 5)), make_course())
    return db.session.scalar(select(Certificate))


def test_the_page_shows_status_holder_course_date_and_serial_only(client, certificate):
    response = client.get(f"/verify/{certificate.verification_code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for fact in ("Còn hiệu lực", "Nguyễn Thị Hương", "Hiểu biết cơ bản về công nghệ thông tin",
                 certificate.issue_date.strftime("%d/%m/%Y"), certificate.serial):
        assert fact in page
    for private in ("05/03/1985", "Xã Quảng Hòa", "16378", "/staff/", "Số vào sổ"):
        assert private not in page


def test_a_typed_code_in_groups_leads_to_the_page(client, certificate):
    typed = codes.display(certificate.verification_code).lower()
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.verification_code}")


@pytest.mark.parametrize("url", ["/verify/{other}", "/verify?code=nonsense", "/verify/{truncated}"])
def test_a_miss_says_only_not_found(client, certificate, url):
    response = client.get(url.format(other=codes.new_code(), truncated=certificate.verification_code[:-1]))
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Không tìm thấy." in page and "Nguyễn" not in page


def test_requests_are_rate_limited_per_address(client, certificate, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_CERT_VERIFY_LIMIT", "5 per minute")
    statuses = [client.get(f"/verify/{codes.new_code()}").status_code for _ in range(5)]
    assert statuses == [404] * 5
    assert client.get(f"/verify/{certificate.verification_code}").status_code == 429
    assert client.get("/verify", query_string={"code": "x"}).status_code == 429


def _upload(client, data: bytes):
    return client.post_form("/verify", {"pdf": (io.BytesIO(data), "gcn.pdf")},
                            content_type="multipart/form-data")


def test_an_uploaded_pdf_is_checked_against_the_issued_hashes(client, certificate):
    original = pdf_path(certificate).read_bytes()
    matching = _upload(client, original).get_data(as_text=True)
    assert "Tệp trùng khớp với giấy chứng nhận đã cấp." in matching and certificate.serial in matching
    altered = original.replace(b"/Producer", b"/Producex", 1)
    page = _upload(client, altered).get_data(as_text=True)
    assert "Tệp không trùng khớp với giấy chứng nhận nào đã cấp." in page and certificate.serial not in page


def test_an_upload_needs_the_form_token(client, certificate):
    response = client.post("/verify", data={"pdf": (io.BytesIO(b"%PDF-1.7"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
