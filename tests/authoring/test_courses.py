"""The course editor: drafts learners never see, publishing through the course-folder import, access."""

import pytest
from sqlalchemy import func, select

from lms.admin.models import AuditEvent
from lms.authoring.models import CourseDraft, CourseStaff
from lms.courses.models import Course, Lesson
from lms.extensions import db
from lms.learning.models import CourseCompletion, LessonProgress
from lms.learning.operations import mark_lesson_read
from tests.authoring.conftest import edit

COURSE = "/authoring/courses/AU01"


def test_a_new_course_is_a_draft_owned_by_its_creator_and_hidden_from_learners(
        new_course, trainer, learner, login, app):
    assert new_course.status == "draft"
    staff = db.session.scalars(select(CourseStaff)).one()
    assert (staff.user_id, staff.role) == (trainer.id, "owner")
    learner_client = login(learner, app.test_client())
    assert learner_client.get("/courses/AU01").status_code == 404


def test_publish_applies_the_draft_and_learners_keep_their_progress(authoring, new_course, learner):
    assert authoring.post_form(f"{COURSE}/publish").status_code == 302
    lesson = new_course.lessons[0]
    mark_lesson_read(learner, lesson)
    db.session.commit()

    authoring.post_form(f"{COURSE}/edit")
    edit(authoring, f"{COURSE}/lessons/bai-mo-dau", {"title": "Bài mở đầu (sửa)", "minutes": "6", "body": "Mới."})
    assert db.session.get(Lesson, lesson.id).title == "Bài mở đầu"  # learners still see the published lesson
    authoring.post_form(f"{COURSE}/publish")

    lesson = db.session.get(Lesson, lesson.id)
    assert lesson.title == "Bài mở đầu (sửa)" and lesson.body == "Mới.\n"
    assert db.session.scalar(select(func.count(LessonProgress.id)).where(LessonProgress.lesson_id == lesson.id)) == 1
    assert db.session.scalar(select(func.count(CourseDraft.id))) == 0


def test_publish_refuses_a_draft_with_problems_and_writes_nothing(authoring, new_course):
    edit(authoring, f"{COURSE}/lessons/bai-mo-dau", {"title": "Bài", "minutes": "5", "body": "![x](media/khong-co.png)"})
    page = authoring.post_form(f"{COURSE}/publish", follow_redirects=True).get_data(as_text=True)
    assert "lessons/01-bai-mo-dau.md: missing media file media/khong-co.png" in page
    db.session.expire_all()
    assert db.session.get(Course, new_course.id).status == "draft" and new_course.lessons == []


def test_lessons_move_up_and_down_without_javascript(authoring, new_course):
    authoring.post_form(f"{COURSE}/lessons/new", {"title": "Bài hai", "minutes": "5", "body": "Hai."})
    authoring.post_form(f"{COURSE}/lessons/bai-hai/up")
    draft = db.session.scalars(select(CourseDraft)).one()
    assert [lesson["slug"] for lesson in draft.lessons] == ["bai-hai", "bai-mo-dau"]


def test_settings_form_sets_everything_in_course_yaml(authoring, new_course):
    response = edit(authoring, f"{COURSE}/settings", {
        "title": "Khóa học mới", "summary": "Tóm tắt", "audience": "Mọi người", "study_hours": "2.5",
        "passing_score": "80", "quiz_title": "Kiểm tra", "time_limit_minutes": "15", "attempts_allowed": "3",
        "grading": "last", "shuffle_questions": "y", "draw": "Cơ bản: 2", "review_score": "y",
        "certificate_enabled": "y"})
    assert response.status_code == 302
    settings = db.session.scalars(select(CourseDraft)).one().settings
    assert settings["study_hours"] == 2.5 and settings["passing_score"] == 80
    assert settings["quiz"]["draw"] == {"Cơ bản": 2} and settings["quiz"]["grading"] == "last"
    assert settings["quiz"]["shuffle_answers"] is False and settings["quiz"]["review"]["correctness"] is False


def test_unpublish_hides_the_course_and_keeps_completions(authoring, new_course, learner, login, app):
    authoring.post_form(f"{COURSE}/publish")
    db.session.add(CourseCompletion(user_id=learner.id, course_id=new_course.id, score=1.0))
    db.session.commit()
    authoring.post_form(f"{COURSE}/unpublish")
    assert login(learner, app.test_client()).get("/courses/AU01").status_code == 404
    assert db.session.scalar(select(func.count(CourseCompletion.id))) == 1


def test_discard_keeps_the_published_course(authoring, new_course):
    authoring.post_form(f"{COURSE}/publish")
    authoring.post_form(f"{COURSE}/edit")
    authoring.post_form(f"{COURSE}/lessons/bai-mo-dau/remove")
    authoring.post_form(f"{COURSE}/discard")
    assert [lesson.slug for lesson in new_course.active_lessons] == ["bai-mo-dau"]


def test_every_change_is_audited(authoring, new_course):
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"authoring.course_create", "authoring.lesson_save", "authoring.import_confirm"} <= actions


@pytest.mark.parametrize("url", [COURSE, f"{COURSE}/settings", f"{COURSE}/questions", f"{COURSE}/analysis",
                                 f"{COURSE}/export.zip", f"{COURSE}/lessons/bai-mo-dau", f"{COURSE}/import"])
def test_trainers_who_do_not_own_the_course_get_404(new_course, province, make_person, login, app, url):
    other = make_person(province, "Đỗ Văn Khác", roles=["trainer"], staff_code="GV02")
    assert login(other, app.test_client()).get(url).status_code == 404


def test_admin_assigns_an_editor_who_then_sees_the_course(new_course, province, make_person, login, app):
    admin = make_person(province, "Vũ Quản Trị", roles=["admin"], staff_code="AD01")
    other = make_person(province, "Đỗ Văn Khác", roles=["trainer"], staff_code="GV02")
    login(admin, app.test_client()).post_form(f"{COURSE}/staff", {"staff_code": "GV02", "role": "editor"})
    other_client = login(other, app.test_client())
    assert other_client.get(COURSE).status_code == 200
    assert "AU01" in other_client.get("/authoring/courses").get_data(as_text=True)


def test_learners_cannot_reach_authoring(learner, login, app):
    assert login(learner, app.test_client()).get("/authoring/courses").status_code == 403
