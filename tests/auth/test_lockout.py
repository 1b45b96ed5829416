"""Login protection: the account lock after repeated failures, unlocking, the rate limits."""

from datetime import timedelta

from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.core.models import utcnow
from lms.extensions import db

GENERIC = "Số hiệu/email hoặc mật khẩu không đúng."
PASSWORD = "mot-cau-dai-de-nho"


def _try(client, identifier, password="sai-mat-khau"):
    return client.post_form("/login", {"identifier": identifier, "password": password})


def _actions(person=None):
    stmt = select(AuditEvent.action).order_by(AuditEvent.id)
    if person is not None:
        stmt = stmt.where(AuditEvent.object_id == str(person.id))
    return db.session.scalars(stmt).all()


def test_five_failures_lock_the_account_and_the_right_password_then_fails_like_a_wrong_one(client, province, make_person):
    person = make_person(province, staff_code="1001", password=PASSWORD)
    for _ in range(5):
        assert _try(client, "1001").status_code == 401
    locked = _try(client, "1001", PASSWORD)
    assert locked.status_code == 401
    assert GENERIC in locked.get_data(as_text=True)
    assert _actions(person) == ["auth.login_failed"] * 5 + ["auth.lockout", "auth.locked"]
    user = db.session.get(User, person.id)
    assert user.locked_until - utcnow() > timedelta(minutes=14)


def test_the_lock_expires_after_its_period(client, province, make_person):
    person = make_person(province, staff_code="1002", password=PASSWORD)
    for _ in range(5):
        _try(client, "1002")
    db.session.get(User, person.id).locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _try(client, "1002", PASSWORD).status_code == 302
    user = db.session.get(User, person.id)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_failures_older_than_the_window_are_forgotten(client, province, make_person):
    person = make_person(province, staff_code="1003", password=PASSWORD)
    for _ in range(4):
        _try(client, "1003")
    db.session.get(User, person.id).first_failed_login_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    _try(client, "1003")
    user = db.session.get(User, person.id)
    assert user.failed_logins == 1 and user.locked_until is None


def test_a_success_resets_the_failure_count(client, province, make_person):
    person = make_person(province, staff_code="1004", password=PASSWORD)
    for _ in range(4):
        _try(client, "1004")
    assert _try(client, "1004", PASSWORD).status_code == 302
    assert db.session.get(User, person.id).failed_logins == 0


def test_lock_threshold_and_period_are_configurable(app, client, province, make_person, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 2)
    monkeypatch.setitem(app.config, "LOCKOUT_MINUTES", 60)
    person = make_person(province, staff_code="1005", password=PASSWORD)
    _try(client, "1005")
    _try(client, "1005")
    remaining = db.session.get(User, person.id).locked_until - utcnow()
    assert timedelta(minutes=59) < remaining <= timedelta(minutes=60)


def _locked_person(client, unit, make_person, staff_code):
    person = make_person(unit, "Đỗ Thị Khóa", staff_code=staff_code, password=PASSWORD)
    for _ in range(5):
        _try(client, staff_code)
    return person


def test_hr_unlocks_an_account_of_their_subtree_from_the_staff_page(app, province, make_unit, make_person, login):
    commune = make_unit("14797", "Phường Hạc Thành", parent=province)
    hr = make_person(commune, "Trịnh Văn Hùng", roles=[("hr", commune)])
    person = _locked_person(app.test_client(), commune, make_person, "2001")
    officer = login(hr, app.test_client())
    assert "Mở khóa tài khoản" in officer.get(f"/staff/{person.id}").get_data(as_text=True)
    response = officer.post_form(f"/staff/{person.id}/unlock")
    assert response.status_code == 302
    assert db.session.get(User, person.id).locked_until is None
    unlocked = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.unlocked")).one()
    assert (unlocked.actor_id, unlocked.object_id, unlocked.unit_id) == (hr.id, str(person.id), commune.id)
    assert _try(app.test_client(), "2001", PASSWORD).status_code == 302


def test_hr_of_another_unit_cannot_unlock_and_learners_cannot_either(app, province, make_unit, make_person, login):
    commune = make_unit("14797", "Phường Hạc Thành", parent=province)
    other = make_unit("14800", "Xã Khác", parent=province)
    outsider = make_person(other, "Hồ Văn Ngoài", roles=[("hr", other)])
    learner = make_person(commune, "Lê Văn Học")
    person = _locked_person(app.test_client(), commune, make_person, "2002")
    assert login(outsider, app.test_client()).post_form(f"/staff/{person.id}/unlock").status_code == 404
    assert login(learner, app.test_client()).post_form(f"/staff/{person.id}/unlock").status_code == 403
    assert db.session.get(User, person.id).is_locked()


def test_admin_unlocks_anyone_and_unlock_needs_csrf(app, province, make_person, login):
    admin = make_person(province, "Quản Trị Viên", roles=["admin"])
    person = _locked_person(app.test_client(), province, make_person, "2003")
    browser = login(admin, app.test_client())
    assert browser.post(f"/staff/{person.id}/unlock").status_code == 400
    assert browser.post_form(f"/staff/{person.id}/unlock").status_code == 302
    assert not db.session.get(User, person.id).is_locked()


def test_per_account_limit_answers_429_even_for_an_unknown_account(client, app_ctx):
    for _ in range(10):
        assert _try(client, "khong-ton-tai").status_code == 401
    assert _try(client, "khong-ton-tai").status_code == 429
    assert _try(client, "tai-khoan-khac").status_code == 401  # another account is not limited


def test_per_ip_limit_counts_failures_across_accounts(app, client, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per 15 minutes")
    for name in ("a1", "a2", "a3"):
        assert _try(client, name).status_code == 401
    assert _try(client, "a4").status_code == 429
    other_ip = app.test_client()
    other_ip.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert _try(other_ip, "a5").status_code == 401


def test_successful_logins_do_not_use_up_the_limits(app, province, make_person, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "2 per 15 minutes")
    for n in range(4):
        make_person(province, staff_code=f"30{n}", password=PASSWORD)
        assert _try(app.test_client(), f"30{n}", PASSWORD).status_code == 302
