"""Corrections are reissues, fraud is revocation; both audited, both told on verification."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.certificates.models import Certificate
from lms.extensions import db


@pytest.fixture
def holder(commune, make_person):
    return make_person(commune, "Nguyen Thi Huong")


@pytest.fixture
def certificate(holder, make_course, complete):
    complete(holder, make_course())
    return db.session.scalar(select(Certificate))


@pytest.fixture
def admin_client(client, login, province, make_person):
    return login(make_person(province, "Phạm Quản Trị", roles=["admin"]))


def test_admin_reissues_with_the_corrected_name(admin_client, holder, certificate):
    holder.set_name("Nguyễn", "Thị", "Hương")
    db.session.commit()
    response = admin_client.post_form(f"/certificates/{certificate.id}/reissue", {"reason": "Sửa họ tên có dấu"})
    assert response.status_code == 302
    old, new = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert (old.status, old.replaced_by_id, old.holder_name) == ("replaced", new.id, "Nguyen Thi Huong")
    assert (new.status, new.holder_name, new.number) == ("valid", "Nguyễn Thị Hương", 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.reissued"))
    assert event.details["new_serial"] == new.serial and event.details["reason"] == "Sửa họ tên có dấu"
    page = admin_client.get(f"/verify/{old.verification_code}").get_data(as_text=True)
    assert "Đã được cấp lại" in page and f"/verify/{new.verification_code}" in page


def test_admin_revokes_with_a_reason_shown_on_verification(admin_client, certificate):
    response = admin_client.post_form(f"/certificates/{certificate.id}/revoke", {"reason": "Hồ sơ giả mạo"})
    assert response.status_code == 302
    db.session.refresh(certificate)
    assert certificate.status == "revoked" and certificate.revoked_at is not None
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "Certificate", AuditEvent.object_id == str(certificate.id))) == "certificate.revoked"
    page = admin_client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Đã bị thu hồi" in page and "Hồ sơ giả mạo" in page


def test_a_reason_is_required(admin_client, certificate):
    admin_client.post_form(f"/certificates/{certificate.id}/revoke", {"reason": ""})
    db.session.refresh(certificate)
    assert certificate.status == "valid"


def test_hr_may_not_revoke(client, login, commune, make_person, certificate):
    login(make_person(commune, "Lê Thị Nhân Sự", roles=[("hr", commune)]))
    response = client.post_form(f"/certificates/{certificate.id}/revoke", {"reason": "Thử"})
    assert response.status_code == 403
    db.session.refresh(certificate)
    assert certificate.status == "valid"


def test_a_revoked_completion_is_not_owed_a_new_certificate(admin_client, certificate, runner):
    admin_client.post_form(f"/certificates/{certificate.id}/revoke", {"reason": "Gian lận"})
    result = runner.invoke(args=["lms", "certificates", "issue-pending"])
    assert "Đã cấp 0 giấy chứng nhận khóa học, 0 giấy chứng nhận chương trình." in result.output
