"""The optional second factor (TOTP) for HR and admin accounts, with recovery codes."""

import re

import pyotp
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.core.models import utcnow
from lms.extensions import db

PASSWORD = "mot-cau-dai-de-nho"


def _code(secret, offset_steps=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(utcnow()) + offset_steps)


def _enrol(browser):
    page = browser.get("/account/2fa").get_data(as_text=True)
    assert '<img src="data:image/svg+xml' in page
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page).group(1)
    done = browser.post_form("/account/2fa", {"code": _code(secret)}).get_data(as_text=True)
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done)
    assert len(codes) == 10
    return secret, codes


def _password_step(browser, staff_code):
    return browser.post_form("/login", {"identifier": staff_code, "password": PASSWORD})


def _actions():
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_enrolment_shows_secret_and_qr_and_stores_only_hashes_of_recovery_codes(app, province, make_person, login):
    hr = make_person(province, staff_code="5001", password=PASSWORD, roles=[("hr", province)])
    secret, codes = _enrol(login(hr, app.test_client()))
    user = db.session.get(User, hr.id)
    assert user.totp_secret == secret
    assert all(code.replace("-", "") not in r.code_hash for code in codes for r in user.recovery_codes)
    assert {"auth.2fa_enabled", "auth.recovery_codes_issued"} <= set(_actions())


def test_enrolment_refuses_a_wrong_code(app, province, make_person, login):
    hr = make_person(province, roles=[("hr", province)])
    browser = login(hr, app.test_client())
    browser.get("/account/2fa")
    page = browser.post_form("/account/2fa", {"code": "000000"}).get_data(as_text=True)
    assert "Mã không đúng" in page
    assert db.session.get(User, hr.id).totp_secret is None


def test_learners_are_not_offered_a_second_factor(client, province, make_person, login):
    login(make_person(province))
    assert client.get("/account/2fa").status_code == 403


def test_login_asks_for_the_code_after_the_password(app, province, make_person, login):
    admin = make_person(province, staff_code="5002", password=PASSWORD, roles=["admin"])
    secret, _ = _enrol(login(admin, app.test_client()))
    browser = app.test_client()
    response = _password_step(browser, "5002")
    assert response.headers["Location"].endswith("/login/verify")
    assert browser.get("/admin/").status_code == 302  # not logged in yet
    wrong = str((int(_code(secret)) + 500_000) % 1_000_000).zfill(6)
    assert browser.post_form("/login/verify", {"code": wrong}).status_code == 401
    assert browser.post_form("/login/verify", {"code": _code(secret)}).status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert _actions()[-2:] == ["auth.2fa_failed", "auth.login"]


def test_a_code_cannot_be_used_twice(app, province, make_person, login):
    admin = make_person(province, staff_code="5003", password=PASSWORD, roles=["admin"])
    secret, _ = _enrol(login(admin, app.test_client()))
    first = app.test_client()
    _password_step(first, "5003")
    code = _code(secret, 1)  # the next step's code: unused so far
    assert first.post_form("/login/verify", {"code": code}).status_code == 302
    second = app.test_client()
    _password_step(second, "5003")
    assert second.post_form("/login/verify", {"code": code}).status_code == 401


def test_a_recovery_code_works_once(app, province, make_person, login):
    hr = make_person(province, staff_code="5004", password=PASSWORD, roles=[("hr", province)])
    _, codes = _enrol(login(hr, app.test_client()))
    first = app.test_client()
    _password_step(first, "5004")
    assert first.post_form("/login/verify", {"code": codes[0].upper().replace("-", " ")}).status_code == 302
    second = app.test_client()
    _password_step(second, "5004")
    assert second.post_form("/login/verify", {"code": codes[0]}).status_code == 401
    assert "auth.recovery_code_used" in _actions()


def test_wrong_codes_lock_the_account(app, province, make_person, login):
    admin = make_person(province, staff_code="5005", password=PASSWORD, roles=["admin"])
    secret, _ = _enrol(login(admin, app.test_client()))
    browser = app.test_client()
    _password_step(browser, "5005")
    for _ in range(5):
        browser.post_form("/login/verify", {"code": "00000"})
    assert db.session.get(User, admin.id).is_locked()
    assert browser.post_form("/login/verify", {"code": _code(secret)}).status_code == 401
    assert "auth.lockout" in _actions() and _actions()[-1] == "auth.locked"


def test_the_code_page_without_a_password_step_goes_back_to_login(client, app_ctx):
    assert client.get("/login/verify").headers["Location"].endswith("/login")


def test_enforcement_sends_staff_roles_to_enrol_first(app, province, make_person, login, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA_FOR_STAFF_ROLES", True)
    hr = make_person(province, roles=[("hr", province)])
    learner = make_person(province, "Lê Văn Học")
    officer = login(hr, app.test_client())
    for url in ("/units", "/staff", "/"):
        assert officer.get(url).headers["Location"].endswith("/account/2fa"), url
    assert login(learner, app.test_client()).get("/").status_code in (200, 302)
    _enrol(officer)
    assert officer.get("/units").status_code in (200, 302)
    assert not officer.get("/units").headers.get("Location", "").endswith("/account/2fa")


def test_disabling_needs_password_and_code_and_is_refused_when_enforced(app, province, make_person, login, monkeypatch):
    admin = make_person(province, password=PASSWORD, roles=["admin"])
    browser = login(admin, app.test_client())
    secret, _ = _enrol(browser)
    assert browser.post_form("/account/2fa/disable", {"password": "sai", "code": _code(secret)}).status_code == 400
    monkeypatch.setitem(app.config, "REQUIRE_2FA_FOR_STAFF_ROLES", True)
    assert browser.post_form("/account/2fa/disable", {"password": PASSWORD, "code": _code(secret)}).status_code == 403
    monkeypatch.setitem(app.config, "REQUIRE_2FA_FOR_STAFF_ROLES", False)
    assert browser.post_form("/account/2fa/disable", {"password": PASSWORD, "code": _code(secret)}).status_code == 302
    user = db.session.get(User, admin.id)
    assert user.totp_secret is None and user.recovery_codes == []
    assert "auth.2fa_disabled" in _actions()


def test_new_recovery_codes_replace_the_old_ones(app, province, make_person, login):
    admin = make_person(province, staff_code="5006", password=PASSWORD, roles=["admin"])
    browser = login(admin, app.test_client())
    secret, old = _enrol(browser)
    page = browser.post_form("/account/2fa/recovery-codes", {"code": _code(secret)}).get_data(as_text=True)
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    other = app.test_client()
    _password_step(other, "5006")
    assert other.post_form("/login/verify", {"code": old[0]}).status_code == 401


def test_the_code_step_is_limited_per_pending_account_not_for_everyone(app, province, make_person, login, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 100)
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    first = make_person(province, staff_code="5101", password=PASSWORD, roles=["admin"])
    second = make_person(province, staff_code="5102", password=PASSWORD, roles=["admin"])
    _enrol(login(first, app.test_client()))
    secret, _ = _enrol(login(second, app.test_client()))
    attacker = app.test_client()
    _password_step(attacker, "5101")
    statuses = [attacker.post_form("/login/verify", {"code": "00000"}).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    owner = app.test_client()
    _password_step(owner, "5102")
    assert owner.post_form("/login/verify", {"code": _code(secret)}).status_code == 302
