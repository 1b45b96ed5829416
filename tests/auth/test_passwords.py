"""Password change, the forced change after a one-time password, and HR resets."""

import re

from lms.auth.models import User
from lms.auth.passwords import verify_password
from lms.extensions import db


def test_change_password_checks_policy(client, province, make_person, login):
    person = make_person(province, password="mat-khau-cu-dai")
    login(person)
    for bad, message in [("ngan", "ít nhất 8 ký tự"), ("matkhau123", "quá phổ biến")]:
        page = client.post_form(
            "/account/password", {"current_password": "mat-khau-cu-dai", "new_password": bad, "confirm": bad}
        ).get_data(as_text=True)
        assert message in page
    response = client.post_form(
        "/account/password",
        {"current_password": "mat-khau-cu-dai", "new_password": "hoa sen nở giữa đầm", "confirm": "hoa sen nở giữa đầm"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(db.session.get(User, person.id).password_hash, "hoa sen nở giữa đầm")


def test_wrong_current_password_is_refused(client, province, make_person, login):
    person = make_person(province, password="mat-khau-cu-dai")
    login(person)
    page = client.post_form(
        "/account/password", {"current_password": "khong-dung", "new_password": "mot-mat-khau-moi", "confirm": "mot-mat-khau-moi"}
    ).get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng." in page
    db.session.expire_all()
    assert verify_password(db.session.get(User, person.id).password_hash, "mat-khau-cu-dai")


def test_hr_reset_gives_one_time_password_that_must_be_changed(client, app, province, make_unit, make_person, login):
    commune = make_unit("14797", "Phường Hạc Thành", parent=province)
    hr = make_person(commune, "Trịnh Văn Hùng", roles=[("hr", commune)])
    clerk = make_person(commune, "Mai Thị Lan", staff_code="0042", password=None)
    login(hr)
    page = client.post_form(f"/staff/{clerk.id}/reset-password", follow_redirects=True).get_data(as_text=True)
    one_time = re.search(r"Mai Thị Lan: ([a-z0-9]{10})", page).group(1)

    learner = app.test_client()
    learner.post_form("/login", {"identifier": "0042", "password": one_time})
    forced = learner.get("/units")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/account/password")
    learner.post_form("/account/password", {"current_password": one_time, "new_password": "que-huong-xu-thanh", "confirm": "que-huong-xu-thanh"})
    db.session.expire_all()
    assert db.session.get(User, clerk.id).must_change_password is False


def test_long_passphrases_up_to_128_characters_are_accepted(client, province, make_person, login):
    person = make_person(province, password="mat-khau-cu-dai")
    login(person)
    current = "mat-khau-cu-dai"
    for length in (64, 100, 128):
        new = ("sông Mã chảy qua xứ Thanh " * 6)[:length - 3] + f"{length:03d}"
        assert len(new) == length
        response = client.post_form("/account/password", {"current_password": current, "new_password": new, "confirm": new})
        assert response.status_code == 302, length
        current = new
    db.session.expire_all()
    assert verify_password(db.session.get(User, person.id).password_hash, current)


def test_a_password_over_128_characters_is_refused(client, province, make_person, login):
    login(make_person(province, password="mat-khau-cu-dai"))
    new = "x" * 60 + "sông Mã" * 10
    page = client.post_form("/account/password", {"current_password": "mat-khau-cu-dai", "new_password": new, "confirm": new})
    assert "dài quá 128 ký tự" in page.get_data(as_text=True)


def test_the_common_password_list_holds_the_10000_most_common_and_vietnamese_ones(app):
    from lms.auth.passwords import _common_passwords, password_problems

    assert len(_common_passwords()) >= 10_000
    with app.test_request_context():
        for weak in ("password", "qwertyuiop", "iloveyou", "12345678", "anhyeuem", "thanhhoa123", "PassWord1"):
            assert password_problems(weak), weak
        assert password_problems("nguyenvana", identifiers=("NguyenVanA",))
        assert password_problems("hoa sen nở giữa đầm") == []


def test_learners_are_never_asked_to_rotate_their_password(client, province, make_person, login):
    login(make_person(province, password="mat-khau-cu-dai"))
    response = client.get("/")
    assert "/account/password" not in response.headers.get("Location", "")
