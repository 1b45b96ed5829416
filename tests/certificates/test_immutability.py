"""An issued certificate never changes, except valid → replaced and valid → revoked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.core.models import utcnow
from lms.extensions import db


@pytest.fixture
def certificate(commune, make_person, make_course, complete):
    complete(make_person(commune), make_course())
    return db.session.scalar(select(Certificate))


@pytest.mark.parametrize("field, value", [
    ("holder_name", "Người Khác"), ("title", "Khóa khác"), ("pdf_sha256", "0" * 64),
    ("serial", "TH-2026-999999"), ("verification_code", "0" * 26),
])
def test_printed_facts_cannot_change(certificate, field, value):
    setattr(certificate, field, value)
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_a_certificate_cannot_be_deleted(certificate):
    db.session.delete(certificate)
    with pytest.raises(RuntimeError, match="never deleted"):
        db.session.flush()
    db.session.rollback()


def test_revoked_is_final(certificate):
    certificate.revoke("Hồ sơ giả mạo", utcnow())
    db.session.commit()
    certificate.status = "valid"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()
    certificate.revoked_reason = "Lý do khác"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_a_revoked_certificate_cannot_become_replaced(certificate):
    certificate.revoke("Nhầm người", utcnow())
    db.session.commit()
    certificate.status = "replaced"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()
