"""With a PKCS#12 configured, issued certificates carry a PAdES signature that survives repair."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.certificates.signing import verify_pdf
from lms.certificates.storage import pdf_path, sha256_hex
from lms.extensions import db

PASSWORD = "mat-khau-ky-so"


@pytest.fixture
def signer(app, runner, tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("signer") / "signer.p12"
    result = runner.invoke(args=["lms", "certificates", "dev-signer", str(path), "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    monkeypatch.setitem(app.config, "LMS_CERT_P12", str(path))
    monkeypatch.setitem(app.config, "LMS_CERT_P12_PASSWORD", PASSWORD)
    return path


@pytest.fixture
def certificate(signer, commune, make_person, make_course, complete):
    complete(make_person(commune, "Nguyễn Thị Hương"), make_course())
    return db.session.scalar(select(Certificate))


def test_the_stored_pdf_is_signed_and_one_changed_byte_breaks_it(signer, certificate):
    stored = pdf_path(certificate).read_bytes()
    assert certificate.signed
    check = verify_pdf(stored, signer, PASSWORD)
    assert check.intact and check.valid and check.signer == "LMS Thanh Hóa (demo)"
    position = stored.index(b"Hi") + 1  # a byte of the rendered page, inside the signed range
    tampered = stored[:position] + bytes([stored[position] ^ 1]) + stored[position + 1:]
    assert not verify_pdf(tampered, signer, PASSWORD).intact


def test_a_lost_signed_file_is_rebuilt_byte_for_byte(runner, certificate):
    pdf_path(certificate).unlink()
    result = runner.invoke(args=["lms", "certificates", "verify-storage", "--repair"])
    assert result.exit_code == 0, result.output
    assert sha256_hex(pdf_path(certificate).read_bytes()) == certificate.pdf_sha256
