"""What every visitor meets: language, error pages, health check, headers."""

from flask import Blueprint


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Mật khẩu" in page


def test_english_switch(client):
    client.post_form("/lang/en", {"next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Password" in page and "Log in" in page


def test_logged_in_pages_follow_the_language_and_escape_what_they_insert(client, login, province, make_person):
    login(make_person(province, "Lê <b>Văn</b> An"))
    page = client.get("/learn").get_data(as_text=True)
    assert "Xin chào, Lê &lt;b&gt;Văn&lt;/b&gt; An" in page and "<b>Văn</b>" not in page
    client.post_form("/lang/en", {"next": "/learn"})
    page = client.get("/learn").get_data(as_text=True)
    assert '<html lang="en">' in page and "Hello, Lê &lt;b&gt;Văn&lt;/b&gt; An" in page
    assert "Log out" in page and "Đăng xuất" not in page


def test_unknown_url_gets_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_server_error_is_vietnamese_500_and_writes_nothing(app, province, make_person, caplog):
    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db

    person_id = make_person(province, "Lê Văn Lỗi").id
    boom = Blueprint("boom", __name__)

    @boom.post("/__boom__")
    def explode():
        db.session.get(User, person_id).position = "half-written"
        db.session.flush()
        raise RuntimeError("simulated failure")

    failing_app = create_app(dict(app.config))  # routes cannot be added once an app has served
    failing_app.test_client_class = app.test_client_class
    failing_app.register_blueprint(boom)
    client = failing_app.test_client()
    response = client.post_form("/__boom__")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
    assert "simulated failure" in caplog.text
    db.session.expire_all()
    assert db.session.get(User, person_id).position != "half-written"


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_logged_in_pages_are_not_cached(client, province, make_person, login):
    login(make_person(province))
    assert client.get("/").headers.get("Cache-Control") == "no-store"


def test_every_asset_is_local(client):
    page = client.get("/login").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "") and "https://" not in page


def _menu_and_roles(page: str) -> tuple[list[str], str]:
    import re

    menu = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', page, re.S)
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", menu.group(1)) if menu else []
    return labels, re.search(r'<span class="roles">([^<]*)</span>', page).group(1)


def test_menu_and_role_names_follow_the_grants_and_the_language(client, login, province, make_person):
    from lms.auth.operations import grant_role
    from lms.extensions import db

    person = make_person(province, "Trần Thị Bình", roles=[("hr", province)])
    login(person)
    labels, roles = _menu_and_roles(client.get("/learn").get_data(as_text=True))
    assert labels[:2] == ["Học tập", "Khóa học"] and "Đơn vị" in labels and "Soạn bài giảng" not in labels
    assert roles == "Tổ chức cán bộ, Học viên"

    grant_role(person, "trainer")
    db.session.commit()
    client.post_form("/lang/en", {"next": "/learn"})
    labels, roles = _menu_and_roles(client.get("/learn").get_data(as_text=True))
    assert labels[:3] == ["Learning", "Courses", "Authoring"] and "Units" in labels and "Administration" not in labels
    assert roles == "HR, Trainer, Learner"
