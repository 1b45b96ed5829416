"""Fixtures for the authoring tests: a trainer, and a course created through the pages."""

import re

import pytest

from lms.courses.models import Course
from lms.extensions import db

GIFT = """\
$CATEGORY: Cơ bản

::Thủ đô::Thủ đô của Việt Nam là {=Hà Nội ~Huế ~Đà Nẵng}

::Đúng sai::Thanh Hóa thuộc Bắc Trung Bộ. {T}

::Kilobyte::1 KB bằng bao nhiêu byte? {#1024}
"""


@pytest.fixture
def trainer(province, make_person):
    return make_person(province, "Lê Văn Giảng", roles=["trainer"], staff_code="GV01")


@pytest.fixture
def learner(province, make_person):
    return make_person(province, "Trần Thị Học", staff_code="HV01")


VERSION_RE = re.compile(r'name="version" type="hidden" value="([^"]*)"')


@pytest.fixture
def authoring(client, login, trainer):
    """The trainer's logged-in client."""
    login(trainer)
    return client


@pytest.fixture
def new_course(authoring):
    """Course AU01 created by the trainer, with one lesson and three questions in its draft."""
    response = authoring.post_form("/authoring/courses", {"code": "au01", "title": "Khóa học soạn thử"})
    assert response.status_code == 302, response.get_data(as_text=True)
    authoring.post_form("/authoring/courses/AU01/lessons/new",
                        {"title": "Bài mở đầu", "minutes": "5", "body": "Xin chào **học viên**.", "action": "save"})
    upload_questions(authoring, "AU01", GIFT.encode(), "bank.gift")
    authoring.post_form("/authoring/courses/AU01/import/confirm")
    return db.session.scalar(db.select(Course).where(Course.code == "AU01"))


def upload_questions(client, code: str, data: bytes, filename: str, fmt: str = "auto"):
    import io

    return client.post_form(f"/authoring/courses/{code}/import",
                            {"file": (io.BytesIO(data), filename), "format": fmt}, content_type="multipart/form-data")


def loaded_version(client, url: str) -> str:
    """The version the edit form at ``url`` carries, as a browser opening it gets it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return VERSION_RE.search(page.get_data(as_text=True)).group(1)


def edit(client, url: str, data: dict, **kwargs):
    """Open the edit form at ``url`` and save ``data`` with the version it was loaded with."""
    return client.post_form(url, {**data, "version": loaded_version(client, url)}, **kwargs)
