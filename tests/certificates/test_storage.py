"""A record never lacks its file: files are written before commit, and repaired identically."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.certificates.storage import pdf_path, sha256_hex
from lms.extensions import db


@pytest.fixture
def certificate(commune, make_person, make_course, complete):
    complete(make_person(commune), make_course())
    return db.session.scalar(select(Certificate))


def test_a_rolled_back_issue_leaves_no_record_and_its_serial_is_reused(commune, make_person, make_course):
    from lms.learning.operations import refresh_completion

    course, person = make_course(), make_person(commune)
    refresh_completion(person, course)
    first = db.session.scalar(select(Certificate))
    assert pdf_path(first).exists()  # written before the commit
    db.session.rollback()
    assert db.session.scalar(select(Certificate)) is None
    refresh_completion(person, course)
    db.session.commit()
    assert db.session.scalar(select(Certificate.serial)).endswith("-000001")


def test_verify_storage_reports_and_repairs_a_missing_file(runner, certificate):
    assert runner.invoke(args=["lms", "certificates", "verify-storage"]).exit_code == 0
    pdf_path(certificate).unlink()
    report = runner.invoke(args=["lms", "certificates", "verify-storage"])
    assert report.exit_code == 1 and f"{certificate.serial}: file missing" in report.output
    repaired = runner.invoke(args=["lms", "certificates", "verify-storage", "--repair"])
    assert repaired.exit_code == 0 and "đã khôi phục 1" in repaired.output
    assert sha256_hex(pdf_path(certificate).read_bytes()) == certificate.pdf_sha256


def test_an_altered_file_is_restored(runner, certificate):
    path = pdf_path(certificate)
    path.write_bytes(b"%PDF-1.7 forged")
    assert "file altered" in runner.invoke(args=["lms", "certificates", "verify-storage"]).output
    runner.invoke(args=["lms", "certificates", "verify-storage", "--repair"])
    assert sha256_hex(path.read_bytes()) == certificate.pdf_sha256


def test_a_rebuild_that_would_differ_is_not_written(runner, certificate, app, monkeypatch):
    pdf_path(certificate).unlink()
    monkeypatch.setitem(app.config, "LMS_CERT_SIGNATURE_IMAGE", None)
    monkeypatch.setattr("lms.certificates.documents.render_certificate", lambda data: b"%PDF-other")
    result = runner.invoke(args=["lms", "certificates", "verify-storage", "--repair"])
    assert result.exit_code == 1 and "rebuilt file differs" in result.output
    assert not pdf_path(certificate).exists()
