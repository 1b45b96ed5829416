"""PAdES signing of certificates and its verification."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import stat
import subprocess

import pytest
from asn1crypto import pem
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader

from lms.certificates.pdf import CertificateData, render_certificate
from lms.certificates.signing import (
    SignatureCheck,
    load_trust_root,
    make_dev_signer,
    sign_pdf,
    verify_pdf,
)

PASSWORD = "mat-khau-ky-so"
NOT_AUTHENTIC = SignatureCheck(intact=False, valid=False, signer="")


@pytest.fixture(scope="module")
def p12(tmp_path_factory):
    path = tmp_path_factory.mktemp("signer") / "signer.p12"
    make_dev_signer(path, PASSWORD)
    return path


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_certificate(
        CertificateData(
            holder_name="Nguyễn Thị Hương",
            date_of_birth=dt.date(1985, 3, 5),
            unit_name="UBND xã Quảng Hòa",
            course_title="Kỹ năng ứng dụng công nghệ thông tin cơ bản",
            study_hours=40,
            period_start=None,
            period_end=dt.date(2026, 2, 27),
            issue_date=dt.date(2026, 3, 5),
            issuer_name="SỞ NỘI VỤ TỈNH THANH HÓA",
            issuer_parent="UBND TỈNH THANH HÓA",
            signer_title="GIÁM ĐỐC",
            signer_name="Lê Văn Trường",
            serial="TH-2026-000123",
            register_number="123/2026",
            verify_url="https://lms.thanhhoa.gov.vn/xac-minh/7K3M9QXD2PWA",
            verify_code_display="7K3M-9QXD-2PWA",
        )
    )


@pytest.fixture(scope="module")
def signed(unsigned, p12) -> bytes:
    return sign_pdf(unsigned, p12, PASSWORD)


def test_dev_signer_certificate(p12):
    key, certificate, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), PASSWORD.encode())
    assert key is not None
    common_name = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    assert common_name[0].value == "LMS Thanh Hóa (demo)"
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert dt.timedelta(days=5 * 365) < lifetime < dt.timedelta(days=5 * 366 + 2)
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600


def test_signed_pdf_is_intact_and_valid(signed, p12):
    assert verify_pdf(signed, p12, PASSWORD) == SignatureCheck(
        intact=True, valid=True, signer="LMS Thanh Hóa (demo)"
    )


def test_signature_is_an_incremental_pades_update(unsigned, signed):
    assert signed.startswith(unsigned)
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Cấp giấy chứng nhận"
    assert signature.sig_object["/Location"] == "Thanh Hóa"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils is not installed")
def test_poppler_agrees_the_signature_is_valid(signed, tmp_path):
    (tmp_path / "signed.pdf").write_bytes(signed)
    report = subprocess.run(
        ["pdfsig", "signed.pdf"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report


def _byte_range_end(signed: bytes) -> int:
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    start, first_length, _, _ = signature.sig_object["/ByteRange"]
    return start + first_length


def test_editing_a_signed_string_breaks_integrity(signed, p12):
    offset = signed.index(b"ReportLab")
    assert offset < _byte_range_end(signed)
    tampered = signed[:offset] + b"X" + signed[offset + 1 :]
    check = verify_pdf(tampered, p12, PASSWORD)
    assert (check.intact, check.valid) == (False, False)


def test_flipping_any_byte_in_the_signed_range_breaks_integrity(signed, p12):
    # Mid-file the byte may be compressed data or PDF syntax: whether the
    # digest fails or the parser does, the result must be "not intact".
    for offset in (1000, _byte_range_end(signed) // 2, _byte_range_end(signed) - 100):
        tampered = bytearray(signed)
        tampered[offset] ^= 0x01
        check = verify_pdf(bytes(tampered), p12, PASSWORD)
        assert (check.intact, check.valid) == (False, False), offset


def test_another_trust_root_keeps_intact_but_not_valid(signed, tmp_path):
    other = tmp_path / "other.p12"
    make_dev_signer(other, "khac", common_name="Người khác")
    assert verify_pdf(signed, other, "khac") == SignatureCheck(
        intact=True, valid=False, signer="LMS Thanh Hóa (demo)"
    )


def test_unsigned_pdf_is_not_authentic(unsigned, p12):
    assert verify_pdf(unsigned, p12, PASSWORD) == NOT_AUTHENTIC


def test_garbage_is_not_authentic(p12):
    assert verify_pdf(b"%PDF-1.7\nnot really", p12, PASSWORD) == NOT_AUTHENTIC


def test_trust_root_from_a_pem_file_or_a_certificate_object(signed, p12, tmp_path):
    certificate = load_trust_root(p12, PASSWORD)
    pem_path = tmp_path / "root.pem"
    pem_path.write_bytes(pem.armor("CERTIFICATE", certificate.dump()))
    assert verify_pdf(signed, pem_path).valid
    assert verify_pdf(signed, certificate).valid


def test_wrong_password_is_refused(unsigned, p12):
    with pytest.raises(ValueError):
        sign_pdf(unsigned, p12, "sai-mat-khau")
