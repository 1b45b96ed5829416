"""Logging in and out, as a member of staff would."""

from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db


def test_login_with_staff_code_then_logout(client, province, make_person):
    person = make_person(province, "Lê Thị Hoa", staff_code="000123", password="mot-cau-dai-de-nho")
    response = client.post_form("/login", {"identifier": "000123", "password": "mot-cau-dai-de-nho"})
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Lê Thị Hoa" in page
    assert client.post_form("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == person.id)).all()
    assert actions == ["auth.login", "auth.logout"]


def test_login_with_email_is_case_insensitive(client, province, make_person):
    make_person(province, "Trần Văn Bình", email="binh.tv@thanhhoa.gov.vn", password="mot-cau-dai-de-nho")
    response = client.post_form("/login", {"identifier": "Binh.TV@ThanhHoa.gov.vn", "password": "mot-cau-dai-de-nho"})
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_generic_message(client, province, make_person):
    make_person(province, staff_code="555", password="mot-cau-dai-de-nho")
    wrong = client.post_form("/login", {"identifier": "555", "password": "sai-mat-khau"})
    unknown = client.post_form("/login", {"identifier": "999", "password": "sai-mat-khau"})
    assert wrong.status_code == unknown.status_code == 401
    message = "Số hiệu/email hoặc mật khẩu không đúng."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert len(failures) == 2


def test_deactivated_account_cannot_log_in(client, province, make_person):
    person = make_person(province, staff_code="777", password="mot-cau-dai-de-nho")
    person.active = False
    db.session.commit()
    response = client.post_form("/login", {"identifier": "777", "password": "mot-cau-dai-de-nho"})
    assert response.status_code == 401


def test_login_without_csrf_token_is_refused(client, province, make_person):
    make_person(province, staff_code="888", password="mot-cau-dai-de-nho")
    response = client.post("/login", data={"identifier": "888", "password": "mot-cau-dai-de-nho"})
    assert response.status_code == 400
    assert "Phiên biểu mẫu đã hết hạn" in response.get_data(as_text=True)


def test_login_redirects_only_to_local_pages(client, province, make_person):
    make_person(province, staff_code="321", password="mot-cau-dai-de-nho")
    response = client.post_form(
        "/login", {"identifier": "321", "password": "mot-cau-dai-de-nho", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_session_ends_when_password_changes_elsewhere(client, app, province, make_person, login):
    person = make_person(province, password="mot-cau-dai-de-nho")
    login(person)
    assert client.get("/").status_code in (200, 302)
    other = app.test_client()
    login(person, other)
    user = db.session.get(User, person.id)
    from lms.auth.operations import end_sessions

    end_sessions(user)
    db.session.commit()
    response = other.get("/units")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
