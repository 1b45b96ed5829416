"""Two trainers editing the same draft: the second save on an old version is refused (409),
keeps the trainer's text, and the database keeps the first save (optimistic concurrency)."""

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lms.authoring import operations
from lms.authoring.models import CourseDraft
from lms.authoring.operations import assign_staff
from lms.extensions import db
from tests.authoring.conftest import edit, loaded_version

COURSE = "/authoring/courses/AU01"
LESSON = f"{COURSE}/lessons/bai-mo-dau"
SETTINGS = {"summary": "", "audience": "", "study_hours": "1", "passing_score": "50", "quiz_title": "Kiểm tra",
            "time_limit_minutes": "0", "attempts_allowed": "0", "grading": "highest", "draw": ""}
QUESTION = {"category": "Cơ bản", "text_format": "plain", "general_feedback": "", "answers-0-text": "Hà Nội",
            "answers-0-weight": "100", "answers-1-text": "Huế", "answers-1-weight": "0", "single": "y"}


@pytest.fixture
def editor(new_course, province, make_person, login, app):
    """A second trainer on the course's staff, logged in in another browser."""
    person = make_person(province, "Phạm Thị Soạn", roles=["trainer"], staff_code="GV02")
    assign_staff(new_course, person, "editor")
    db.session.commit()
    return login(person, app.test_client())


def _draft() -> CourseDraft:
    db.session.expire_all()
    return db.session.scalars(select(CourseDraft)).one()


def _question_url() -> str:
    key = next(q["key"] for q in _draft().questions if q["name"] == "Thủ đô")
    return f"{COURSE}/questions/{key}"


EDITORS = {  # url, the form's fields for a given text, where the draft keeps that text
    "lesson": (lambda: LESSON, lambda text: {"title": "Bài mở đầu", "minutes": "5", "body": text, "action": "save"},
               lambda draft: draft.lessons[0]["body"], "Bài học này vừa được người khác sửa"),
    "settings": (lambda: f"{COURSE}/settings", lambda text: {**SETTINGS, "title": text},
                 lambda draft: draft.settings["title"], "Cài đặt khóa học vừa được người khác sửa"),
    "question": (_question_url, lambda text: {**QUESTION, "name": "Thủ đô", "text": text},
                 lambda draft: next(q["text"] for q in draft.questions if q["name"] == "Thủ đô"),
                 "Câu hỏi này vừa được người khác sửa"),
}


@pytest.mark.parametrize("kind", EDITORS)
def test_the_second_save_on_the_same_version_is_refused_and_keeps_its_text(authoring, editor, kind):
    url_of, fields, stored, message = EDITORS[kind]
    url = url_of()
    first, second = loaded_version(authoring, url), loaded_version(editor, url)
    assert first == second

    saved = authoring.post_form(url, {**fields("Bản của người thứ nhất"), "version": first})
    refused = editor.post_form(url, {**fields("Bản của người thứ hai"), "version": second})

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert message in page and "bởi Lê Văn Giảng" in page  # who saved first
    assert "Bản của người thứ hai" in page and "Nội dung của bạn vẫn còn bên dưới" in page
    assert stored(_draft()) == "Bản của người thứ nhất"
    again = editor.post_form(url, {**fields("Bản của người thứ hai"), "version": second})
    assert again.status_code == 409  # resending the same old form never overwrites
    assert edit(editor, url, fields("Bản đã xem lại")).status_code == 302  # after opening the new version
    assert stored(_draft()) == "Bản đã xem lại"


def test_editing_different_lessons_at_once_is_no_conflict(authoring, editor):
    authoring.post_form(f"{COURSE}/lessons/new", {"title": "Bài hai", "minutes": "5", "body": "Hai.", "action": "save"})
    first, second = loaded_version(authoring, LESSON), loaded_version(editor, f"{COURSE}/lessons/bai-hai")
    authoring.post_form(LESSON, {"title": "Bài mở đầu", "minutes": "5", "body": "Một (sửa).", "version": first})
    editor.post_form(f"{COURSE}/lessons/bai-hai", {"title": "Bài hai", "minutes": "5", "body": "Hai (sửa).",
                                                    "version": second})
    assert [lesson["body"] for lesson in _draft().lessons] == ["Một (sửa).", "Hai (sửa)."]


def test_a_save_without_a_version_is_refused(authoring, new_course):
    response = authoring.post_form(LESSON, {"title": "Bài", "minutes": "5", "body": "Mất?", "action": "save"})
    assert response.status_code == 409 and "Mất?" in response.get_data(as_text=True)
    assert _draft().lessons[0]["body"] == "Xin chào **học viên**."


def test_saving_a_lesson_someone_removed_is_refused_and_keeps_the_text(authoring, editor):
    version = loaded_version(editor, LESSON)
    authoring.post_form(f"{LESSON}/remove")
    response = editor.post_form(LESSON, {"title": "Bài mở đầu", "minutes": "5", "body": "Chữ của tôi", "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Chữ của tôi" in page
    assert "Bài học này vừa bị người khác xóa khỏi bản nháp" in page
    assert _draft().lessons == []  # not brought back


def test_moving_a_question_to_another_category_makes_open_forms_stale(authoring, editor):
    url = _question_url()
    version = loaded_version(editor, url)
    authoring.post_form(f"{COURSE}/questions/move", {"key": [url.rsplit("/", 1)[1]], "category": "Địa lý"})
    response = editor.post_form(url, {**QUESTION, "name": "Thủ đô", "text": "Sửa?", "version": version})
    assert response.status_code == 409
    assert next(q["category"] for q in _draft().questions if q["name"] == "Thủ đô") == "Địa lý"


def test_a_form_loaded_before_publishing_is_stale_in_the_reopened_draft(authoring, editor):
    version = loaded_version(editor, LESSON)
    assert version.startswith("1@")
    authoring.post_form(f"{COURSE}/publish")
    authoring.post_form(f"{COURSE}/edit")  # a new draft: its versions start again at 1
    response = editor.post_form(LESSON, {"title": "Bài mở đầu", "minutes": "5", "body": "Cũ", "version": version})
    assert response.status_code == 409
    assert _draft().lessons[0]["body"] == "Xin chào **học viên**.\n"


def test_the_preview_and_media_upload_still_work_while_editing(authoring, editor):
    import io

    version = loaded_version(editor, LESSON)
    authoring.post_form(f"{COURSE}/media", {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "a.png")},
                        content_type="multipart/form-data")
    preview = editor.post(f"{COURSE}/preview", json={"body": "![a](media/a.png)"},
                          headers={"X-CSRFToken": editor.csrf_token()})
    assert preview.status_code == 200 and preview.get_json()["missing"] == []
    response = editor.post_form(LESSON, {"title": "Bài", "minutes": "5", "body": "![a](media/a.png)", "version": version})
    assert response.status_code == 302  # a new file does not change the lesson


def test_the_draft_row_refuses_a_concurrent_flush(new_course, app):
    """Two transactions that read the same draft: the second UPDATE finds another version."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite takes the write lock at BEGIN: two writers never interleave")
    with Session(db.engine) as one, Session(db.engine) as two:
        first, second = (session.scalars(select(CourseDraft)).one() for session in (one, two))
        assert first.version == second.version
        first.pending_import, second.pending_import = [], []
        one.commit()
        with pytest.raises(StaleDataError):
            two.commit()


def test_two_saves_at_the_same_instant_exactly_one_wins(authoring, editor, monkeypatch):
    """Both requests check the same version; the row lock makes the second check see the first save."""
    version = loaded_version(authoring, LESSON)
    both_checked = threading.Barrier(2, timeout=1)
    check = operations.check_version

    def check_then_wait(*args):
        check(*args)
        try:
            both_checked.wait()  # without the lock both would get here, then both write
        except threading.BrokenBarrierError:
            pass  # the other request waits for our lock: go on

    monkeypatch.setattr(operations, "check_version", check_then_wait)
    statuses = {}

    def save(name, client):
        response = client.post_form(LESSON, {"title": "Bài", "minutes": "5", "body": name, "version": version})
        statuses[name] = response.status_code

    threads = [threading.Thread(target=save, args=item) for item in (("một", authoring), ("hai", editor))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [302, 409]
    winner = next(name for name, status in statuses.items() if status == 302)
    assert _draft().lessons[0]["body"] == winner
