"""Only the holder, HR of the holder's unit and admins download a certificate; others get 404."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.certificates.storage import pdf_path
from lms.core.models import utcnow
from lms.extensions import db


@pytest.fixture
def world(province, commune, make_unit, make_person, make_course, complete):
    other_commune = make_unit("16379", "Xã Quảng Bình", "commune", province)
    holder = make_person(commune, "Nguyễn Thị Hương")
    course, not_done = make_course("IU01"), make_course("IU02")
    complete(holder, course)
    people = {
        "holder": holder,
        "colleague": make_person(commune, "Trần Văn Bình"),
        "hr_commune": make_person(commune, "Lê Thị Cúc", roles=[("hr", commune)]),
        "hr_province": make_person(province, "Phạm Văn Dũng", roles=[("hr", province)]),
        "hr_elsewhere": make_person(other_commune, "Hoàng Thị Én", roles=[("hr", other_commune)]),
        "admin": make_person(province, "Vũ Văn Giang", roles=["admin"]),
        "trainer": make_person(province, "Đặng Thị Hoa", roles=["trainer"]),
    }
    return people, db.session.scalar(select(Certificate)), not_done


@pytest.mark.parametrize("who, status", [
    ("holder", 200), ("hr_commune", 200), ("hr_province", 200), ("admin", 200),
    ("colleague", 404), ("hr_elsewhere", 404), ("trainer", 404),
])
def test_download_and_detail_by_role(client, login, world, who, status):
    people, certificate, _ = world
    login(people[who])
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == status
    assert client.get(f"/certificates/{certificate.id}").status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == certificate.pdf_sha256


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    _, certificate, _ = world
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 302


def test_a_course_not_completed_has_no_certificate_to_ask_for(client, login, world):
    people, certificate, not_done = world
    login(people["holder"])
    assert client.get(f"/certificates/{certificate.id + 1}.pdf").status_code == 404
    assert db.session.scalar(select(Certificate).where(Certificate.course_id == not_done.id)) is None


def test_the_holder_no_longer_gets_a_revoked_certificate(client, login, world):
    people, certificate, _ = world
    certificate.revoke("Gian lận", utcnow())
    db.session.commit()
    login(people["holder"])
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_an_altered_file_is_never_served(client, login, world):
    people, certificate, _ = world
    path = pdf_path(certificate)
    path.write_bytes(path.read_bytes() + b"%")
    login(people["admin"])
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 500


def test_the_learners_dashboard_links_to_the_certificate(client, login, world):
    people, certificate, _ = world
    login(people["holder"])
    assert f'href="/certificates/{certificate.id}.pdf"' in client.get("/learn").get_data(as_text=True)


def test_the_dashboard_links_each_completed_course_to_its_own_valid_certificate(client, login, world, complete):
    people, first, not_done = world
    second = complete(people["holder"], not_done) and db.session.scalar(
        select(Certificate).where(Certificate.course_id == not_done.id))
    complete(people["colleague"], not_done)
    login(people["holder"])
    page = client.get("/learn").get_data(as_text=True)
    assert f'href="/certificates/{first.id}.pdf"' in page and f'href="/certificates/{second.id}.pdf"' in page
    assert page.count(".pdf\"") == 2  # not the colleague's
    first.revoke("Gian lận", utcnow())
    db.session.commit()
    page = client.get("/learn").get_data(as_text=True)
    assert f"/certificates/{first.id}.pdf" not in page and f'href="/certificates/{second.id}.pdf"' in page
    assert "Chưa có" in page
