"""Sessions: a fresh session at login, idle and absolute timeouts, ending the other sessions."""

import time
from datetime import date

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.auth.operations import deactivate_account, grant_role
from lms.extensions import db

PASSWORD = "mot-cau-dai-de-nho"


def _log_in(client, staff_code):
    return client.post_form("/login", {"identifier": staff_code, "password": PASSWORD})


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_login_starts_a_brand_new_session(client, province, make_person):
    make_person(province, staff_code="4001", password=PASSWORD)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker who fixed the cookie"
    before = _session_cookie(client)
    assert _log_in(client, "4001").status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(str(db.session.scalar(select(User.id))))
    assert _session_cookie(client) != before


def test_idle_session_expires_after_the_configured_minutes(client, province, make_person, login):
    login(make_person(province, roles=["admin"]))
    assert client.get("/account/security").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 14 * 60
    assert client.get("/account/security").status_code == 200  # 14 minutes idle: still in, and the clock restarts
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 16 * 60
    response = client.get("/account/security")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_idle_clock_is_restamped_once_a_minute_not_on_every_page(client, province, make_person, login):
    login(make_person(province, roles=["admin"]))
    client.get("/account/security")  # the first page also stores the session's CSRF token
    with client.session_transaction() as session:
        session["seen_at"] = stamp = int(time.time()) - 20
    response = client.get("/account/security")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers  # nothing re-signed or re-sent
    with client.session_transaction() as session:
        assert session["seen_at"] == stamp
        session["seen_at"] = int(time.time()) - 61
    response = client.get("/account/security")
    assert "session=" in response.headers["Set-Cookie"]
    with client.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 1


def test_idle_limit_follows_the_setting(app, client, province, make_person, login, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    login(make_person(province, roles=["admin"]))
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 6 * 60
    assert client.get("/account/security").status_code == 302


def test_absolute_timeout_ends_even_an_active_session(client, province, make_person, login):
    login(make_person(province, roles=["admin"]))
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 12 * 3600 - 60
        session["seen_at"] = int(time.time())
    response = client.get("/account/security")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _two_browsers(app, person):
    first, second = app.test_client(), app.test_client()
    _log_in(first, person.staff_code)
    _log_in(second, person.staff_code)
    assert first.get("/account/security").status_code == second.get("/account/security").status_code == 200
    return first, second


def _logged_out(browser) -> bool:
    response = browser.get("/account/security")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_other_sessions_too(app, province, make_person):
    person = make_person(province, staff_code="4002", password=PASSWORD, roles=["admin"])
    first, second = _two_browsers(app, person)
    first.post_form("/logout")
    assert _logged_out(first) and _logged_out(second)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, province, make_person):
    person = make_person(province, staff_code="4003", password=PASSWORD, roles=["admin"])
    first, second = _two_browsers(app, person)
    first.post_form("/account/password", {"current_password": PASSWORD, "new_password": "song-ma-chay-qua", "confirm": "song-ma-chay-qua"})
    assert first.get("/account/security").status_code == 200
    assert _logged_out(second)


def test_log_out_everywhere_else_keeps_this_browser(app, province, make_person):
    person = make_person(province, staff_code="4004", password=PASSWORD, roles=["admin"])
    first, second = _two_browsers(app, person)
    assert "Đăng xuất khỏi mọi thiết bị khác" in first.get("/account/security").get_data(as_text=True)
    assert first.post_form("/account/sessions/end-others").status_code == 302
    assert first.get("/account/security").status_code == 200
    assert _logged_out(second)
    assert "auth.sessions_ended" in db.session.scalars(select(AuditEvent.action)).all()


def test_deactivation_ends_every_session(app, province, make_person):
    person = make_person(province, staff_code="4005", password=PASSWORD, roles=["admin"])
    first, second = _two_browsers(app, person)
    deactivate_account(db.session.get(User, person.id))
    db.session.commit()
    assert _logged_out(first) and _logged_out(second)
    assert _log_in(app.test_client(), "4005").status_code == 401


def test_logged_in_pages_are_no_store_and_the_login_page_is_not(client, province, make_person, login):
    assert client.get("/login").headers.get("Cache-Control") != "no-store"
    login(make_person(province, roles=["admin"]))
    for url in ("/", "/units", "/account/security", "/admin/audit"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def test_the_session_user_reads_like_the_user_and_is_changed_only_through_its_record(app, province, make_person):
    from lms.auth.session import load_user

    person = make_person(province, "Trần Thị Bình", roles=["trainer", ("hr", province)], date_of_birth=date(1990, 5, 17))
    with app.test_request_context():
        user = load_user(person.get_id())
        assert user.full_name == "Trần Thị Bình" and user.id == person.id and user.unit_id == province.id
        assert user.roles() == {"learner", "trainer", "hr"} and user == person
        assert user.date_of_birth == date(1990, 5, 17)  # not among the columns read: read from the entity
        assert user.record is db.session.get(User, person.id)
        with pytest.raises(AttributeError, match="current_user.record"):
            user.full_name = "Someone else"
        user.record.set_name("Trần", "Thị", "Hoa")
        assert user.full_name == "Trần Thị Hoa"  # once loaded, the entity is what is read
        db.session.rollback()
        assert load_user(f"{person.id}:not-the-token") is None and load_user("x:y") is None


def test_roles_are_read_on_every_request(client, province, make_person, login):
    person = make_person(province)
    login(person)
    assert "Tiến độ đơn vị" not in client.get("/learn").get_data(as_text=True)
    grant_role(db.session.get(User, person.id), "hr", province)
    db.session.commit()
    assert "Tiến độ đơn vị" in client.get("/learn").get_data(as_text=True)
    assert client.get("/hr/targets").status_code == 200
