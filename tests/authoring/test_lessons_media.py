"""Lessons and media: the preview learners would see, uploads judged by content, draft media served safely."""

import io

from sqlalchemy import select

from lms.authoring.models import DraftMedia
from lms.extensions import db
from tests.authoring.conftest import edit

COURSE = "/authoring/courses/AU01"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, data: bytes, name: str, back_slug: str = ""):
    return client.post_form(f"{COURSE}/media", {"file": (io.BytesIO(data), name), "back_slug": back_slug},
                            content_type="multipart/form-data")


def test_preview_uses_the_learners_renderer_and_sanitiser(authoring, new_course):
    response = authoring.post(f"{COURSE}/preview", json={"body": "**Đậm** <script>alert(1)</script> ![a](media/a.png)"},
                              headers={"X-CSRFToken": authoring.csrf_token()})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>Đậm</strong>" in html and "<script" not in html
    assert 'src="/authoring/courses/AU01/draft-media/a.png"' in html
    assert response.get_json()["missing"] == ["a.png"]


def test_preview_without_javascript_is_a_form_button(authoring, new_course):
    page = authoring.post_form(f"{COURSE}/lessons/bai-mo-dau", {"title": "T", "minutes": "5", "body": "# Tiêu đề mới",
                                                               "action": "preview"}).get_data(as_text=True)
    assert "<h1>Tiêu đề mới</h1>" in page and "missing-media" in page
    page = authoring.get(f"{COURSE}/lessons/bai-mo-dau").get_data(as_text=True)
    assert "Tiêu đề mới" not in page  # previewing saves nothing


def test_preview_needs_the_csrf_token(authoring, new_course):
    assert authoring.post(f"{COURSE}/preview", json={"body": "x"}).status_code == 400


def test_upload_is_judged_by_content_and_named_safely(authoring, new_course):
    _upload(authoring, PNG, "Sơ đồ máy tính.JPG", back_slug="bai-mo-dau")
    item = db.session.scalars(select(DraftMedia)).one()
    assert (item.filename, item.content_type) == ("so-do-may-tinh.png", "image/png")
    page = _upload(authoring, b"MZ\x90\x00 not an image", "virus.png").headers["Location"]
    assert page.endswith("#media")
    assert db.session.scalar(select(DraftMedia.filename).where(DraftMedia.filename == "virus.png")) is None


def test_draft_media_is_served_with_nosniff_and_a_sandbox(authoring, new_course):
    _upload(authoring, PNG, "a.png")
    response = authoring.get(f"{COURSE}/draft-media/a.png")
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_published_media_goes_to_the_course_media_route(authoring, new_course):
    _upload(authoring, PNG, "a.png")
    edit(authoring, f"{COURSE}/lessons/bai-mo-dau", {"title": "Bài", "minutes": "5", "body": "![a](media/a.png)"})
    authoring.post_form(f"{COURSE}/publish")
    assert new_course.media[0].filename == "a.png"
    assert authoring.get("/courses/AU01/media/a.png").data == PNG


def test_the_course_page_warns_about_a_missing_file(authoring, new_course):
    edit(authoring, f"{COURSE}/lessons/bai-mo-dau", {"title": "Bài", "minutes": "5", "body": "[tài liệu](media/tl.pdf)"})
    assert "Thiếu tệp: tl.pdf" in authoring.get(COURSE).get_data(as_text=True)
