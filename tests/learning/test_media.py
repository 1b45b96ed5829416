"""Course media: served to logged-in users with safe headers and a day of private caching."""

import hashlib

from tests.learning.conftest import SVG


def test_media_is_served_with_safe_headers(client, login, learner, make_course):
    make_course()
    login(learner)
    response = client.get("/courses/KH01/media/hinh.svg")
    assert response.status_code == 200 and response.data == SVG
    assert response.mimetype == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    assert response.get_etag() == (hashlib.sha256(SVG).hexdigest(), False)


def test_media_answers_304_when_the_browser_has_it(client, login, learner, make_course):
    make_course()
    login(learner)
    etag = hashlib.sha256(SVG).hexdigest()
    response = client.get("/courses/KH01/media/hinh.svg", headers={"If-None-Match": f'"{etag}"'})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    stale = client.get("/courses/KH01/media/hinh.svg", headers={"If-None-Match": '"cu"'})
    assert stale.status_code == 200 and stale.data == SVG


def test_unknown_files_and_unpublished_courses_are_404(client, login, learner, make_course, make_person, province):
    make_course()
    make_course("NHAP", status="draft")
    login(learner)
    assert client.get("/courses/KH01/media/khong-co.svg").status_code == 404
    assert client.get("/courses/KHONGCO/media/hinh.svg").status_code == 404
    assert client.get("/courses/NHAP/media/hinh.svg").status_code == 404
    login(make_person(province, "Lê Minh Quân", roles=["admin"]))
    assert client.get("/courses/NHAP/media/hinh.svg").status_code == 200


def test_media_needs_a_login(client, make_course):
    make_course()
    response = client.get("/courses/KH01/media/hinh.svg")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_media_answers_range_requests(client, login, learner, make_course):
    make_course()
    login(learner)
    response = client.get("/courses/KH01/media/hinh.svg", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206 and response.data == SVG[:10]
    assert response.headers["Content-Range"] == f"bytes 0-9/{len(SVG)}"
