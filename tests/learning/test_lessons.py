"""The lesson player: reading, marking read, resuming, and completing a course without a quiz."""

from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.events import course_completed
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress


def _count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _read(client, code, slug, **kwargs):
    return client.post_form(f"/courses/{code}/lessons/{slug}/read", **kwargs)


def test_learning_pages_need_a_login(client, make_course):
    make_course()
    for url in ("/learn", "/courses", "/courses/KH01", "/courses/KH01/lessons/bai-1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_lesson_page_shows_the_lesson_and_writes_nothing(client, login, learner, make_course):
    make_course()
    login(learner)
    page = client.get("/courses/KH01/lessons/bai-2").get_data(as_text=True)
    assert "Nội dung bài 2." in page and "Bài 2/3" in page
    assert 'src="/courses/KH01/media/hinh.svg"' in page
    assert 'href="/courses/KH01/lessons/bai-1"' in page and 'href="/courses/KH01/lessons/bai-3"' in page
    assert "Đánh dấu đã học xong" in page and "js/lesson.js" in page
    assert "còn khoảng 60 phút đọc" in page
    assert "Nội dung bài 1." not in page and "Nội dung bài 3." not in page
    assert _count(Enrollment) == 0 and _count(LessonProgress) == 0


def test_a_lesson_is_found_only_in_its_own_course(client, login, learner, make_course):
    make_course("KH01", lessons=3)
    make_course("KH02", lessons=1)
    login(learner)
    assert client.get("/courses/KH02/lessons/bai-2").status_code == 404
    assert client.get("/courses/KH02/lessons/khong-co").status_code == 404
    page = client.get("/courses/KH02/lessons/bai-1").get_data(as_text=True)
    assert "Khóa học KH02" in page and "Bài 1/1" in page and "Bài tiếp theo" not in page


def test_mark_read_without_javascript_goes_to_the_next_lesson(client, login, learner, make_course):
    course = make_course()
    login(learner)
    response = _read(client, "KH01", "bai-1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/KH01/lessons/bai-2")
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert (enrollment.user_id, enrollment.course_id) == (learner.id, course.id)
    assert enrollment.last_lesson_id == course.lessons[0].id
    assert _count(LessonProgress, user_id=learner.id) == 1
    page = client.get("/courses/KH01/lessons/bai-1").get_data(as_text=True)
    assert "Đánh dấu đã học xong" not in page and "Đã học xong bài này" in page


def test_marking_twice_records_one_read(client, login, learner, make_course):
    make_course()
    login(learner)
    _read(client, "KH01", "bai-1")
    _read(client, "KH01", "bai-1")
    assert _count(LessonProgress) == 1 and _count(Enrollment) == 1


def test_lesson_js_posts_json_with_the_csrf_header(client, login, learner, make_course):
    make_course()
    login(learner)
    token = client.csrf_token()
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    response = client.post("/courses/KH01/lessons/bai-1/read", headers=headers)
    assert response.status_code == 200 and response.get_json() == {"read": True, "completed": False}
    assert client.post("/courses/KH01/lessons/bai-2/visit", headers=headers).status_code == 204
    assert db.session.scalars(select(Enrollment)).one().last_lesson_id is not None
    assert _count(LessonProgress) == 1


def test_posts_without_csrf_token_change_nothing(client, login, learner, make_course):
    make_course()
    login(learner)
    for url in ("/courses/KH01/lessons/bai-1/read", "/courses/KH01/lessons/bai-1/visit", "/courses/KH01/enrol"):
        assert client.post(url, headers={"Accept": "application/json"}).status_code == 400, url
    assert _count(LessonProgress) == 0 and _count(Enrollment) == 0


def test_continue_resumes_at_the_last_lesson_visited_else_the_first_unread(client, login, learner, make_course):
    make_course(lessons=4)
    login(learner)
    _read(client, "KH01", "bai-1")
    client.post("/courses/KH01/lessons/bai-3/visit", headers={"X-CSRFToken": client.csrf_token()})
    dashboard = client.get("/learn").get_data(as_text=True)
    assert 'href="/courses/KH01/lessons/bai-3">Tiếp tục' in dashboard
    _read(client, "KH01", "bai-3")  # the lesson visited last is read: resume at the first unread one
    dashboard = client.get("/learn").get_data(as_text=True)
    assert 'href="/courses/KH01/lessons/bai-2">Tiếp tục' in dashboard
    assert "Đã học 2/4 bài" in dashboard and '<progress max="100" value="50"' in dashboard


def test_reading_every_lesson_completes_a_course_without_quiz(client, login, learner, make_course):
    course = make_course()
    sent = []
    course_completed.connect(receiver := lambda _sender, completion: sent.append(completion.id))
    try:
        login(learner)
        _read(client, "KH01", "bai-1")
        _read(client, "KH01", "bai-2")
        assert _count(CourseCompletion) == 0
        response = _read(client, "KH01", "bai-3", follow_redirects=True)
        _read(client, "KH01", "bai-3")
    finally:
        course_completed.disconnect(receiver)
    completion = db.session.scalars(select(CourseCompletion)).one()
    assert (completion.user_id, completion.course_id, completion.score) == (learner.id, course.id, None)
    assert completion.completed_at is not None and sent == [completion.id]
    page = response.get_data(as_text=True)
    assert response.request.path == "/courses/KH01" and "Chúc mừng! Bạn đã hoàn thành khóa học" in page
    dashboard = client.get("/learn").get_data(as_text=True)
    assert "Đã hoàn thành" in dashboard and completion.completed_at.strftime("/%Y") in dashboard


def test_retired_lessons_neither_show_nor_block_completion(client, login, learner, make_course):
    course = make_course(lessons=2)
    course.lessons[1].retired = True
    db.session.commit()
    login(learner)
    assert client.get("/courses/KH01/lessons/bai-2").status_code == 404
    assert _read(client, "KH01", "bai-2").status_code == 404
    assert "bai-2" not in client.get("/courses/KH01").get_data(as_text=True)
    _read(client, "KH01", "bai-1")
    assert _count(CourseCompletion, user_id=learner.id) == 1


def test_a_completion_is_never_changed_by_a_new_lesson(client, login, learner, make_course):
    from lms.courses.models import Lesson

    course = make_course(lessons=1)
    login(learner)
    _read(client, "KH01", "bai-1")
    first = db.session.scalars(select(CourseCompletion)).one().completed_at
    course.lessons.append(Lesson(slug="bai-moi", position=2, title="Bài mới", minutes=5, body="Mới."))
    db.session.commit()
    _read(client, "KH01", "bai-moi")
    assert db.session.scalars(select(CourseCompletion)).one().completed_at == first


def test_enrol_button_enrols_once_and_opens_the_first_lesson(client, login, learner, make_course):
    make_course()
    login(learner)
    assert "Tham gia khóa học" in client.get("/courses").get_data(as_text=True)
    response = client.post_form("/courses/KH01/enrol")
    assert response.headers["Location"].endswith("/courses/KH01/lessons/bai-1")
    client.post_form("/courses/KH01/enrol")
    assert _count(Enrollment, user_id=learner.id) == 1
    course_page = client.get("/courses/KH01").get_data(as_text=True)
    assert "Tiếp tục: Bài 1" in course_page and "Tham gia và bắt đầu học" not in course_page


def test_unpublished_courses_answer_404_to_learners_only(client, login, learner, make_course, make_person, province):
    make_course("NHAP", status="draft")
    login(learner)
    for url in ("/courses/NHAP", "/courses/NHAP/lessons/bai-1", "/courses/KHONGCO", "/courses/NHAP/lessons/khong-co"):
        assert client.get(url).status_code == 404, url
    for url in ("/courses/NHAP/enrol", "/courses/NHAP/lessons/bai-1/read", "/courses/NHAP/lessons/bai-1/visit"):
        assert client.post_form(url).status_code == 404, url
    assert _count(Enrollment) == 0 and _count(LessonProgress) == 0
    assert "NHAP" not in client.get("/courses").get_data(as_text=True)
    login(make_person(province, "Phạm Thu Trang", roles=["trainer"]))
    page = client.get("/courses/NHAP").get_data(as_text=True)
    assert "Khóa học chưa mở cho học viên" in page
    assert client.get("/courses/NHAP/lessons/bai-1").status_code == 200
