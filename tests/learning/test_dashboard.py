"""The learner's dashboard and catalogue: required trainings, courses in progress, completed, the rest."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from lms.extensions import db
from lms.learning.models import CourseCompletion


def _sections(page: str) -> dict[str, str]:
    """The dashboard's sections by heading (the text up to the next heading)."""
    parts = page.split("<h2 ")[1:]
    return {part.split(">", 1)[1].split("<", 1)[0]: part for part in parts}


def test_new_learner_sees_the_catalogue_and_no_required_section(client, login, learner, make_course):
    make_course("KH01")
    make_course("NHAP", status="draft")
    login(learner)
    page = client.get("/learn").get_data(as_text=True)
    sections = _sections(page)
    assert "Khóa học bắt buộc" not in sections and "Đã hoàn thành" not in sections
    assert "Bạn chưa tham gia khóa học nào" in sections["Đang học"]
    assert "Khóa học KH01" in sections["Khóa học khác"] and "NHAP" not in page
    assert 'action="/courses/KH01/enrol"' in sections["Khóa học khác"]


def test_required_trainings_come_first_with_their_deadline(client, login, learner, make_course, province):
    from lms.targets.operations import TargetData, create_target

    required, _other = make_course("BB01", lessons=2), make_course("KH02")
    create_target(TargetData(name="Kế hoạch 2026", year=2026, start_date=date(2026, 1, 1), deadline=date(2026, 12, 31),
                             courses=[required], units=[province]))
    db.session.commit()
    login(learner)
    client.post_form("/courses/BB01/lessons/bai-1/read")
    sections = _sections(client.get("/learn").get_data(as_text=True))
    first = sections["Khóa học bắt buộc"]
    assert "Khóa học BB01" in first and "Hạn hoàn thành: 31/12/2026" in first and "Đã học 1/2 bài" in first
    assert "BB01" not in sections["Đang học"] and "BB01" not in sections["Khóa học khác"]
    assert "KH02" in sections["Khóa học khác"]


def test_completed_courses_show_their_date_and_leave_the_other_lists(client, login, learner, make_course):
    make_course("KH01", lessons=1)
    make_course("KH02", lessons=2)
    login(learner)
    client.post_form("/courses/KH01/lessons/bai-1/read")
    client.post_form("/courses/KH02/lessons/bai-1/read")
    sections = _sections(client.get("/learn").get_data(as_text=True))
    completion = db.session.scalars(select(CourseCompletion)).one()
    assert "Khóa học KH01" in sections["Đã hoàn thành"]
    assert f'data-label="Ngày hoàn thành">{completion.completed_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")):%d/%m/%Y}<' in sections["Đã hoàn thành"]
    assert "KH01" not in sections["Đang học"] and "Khóa học KH02" in sections["Đang học"]
    assert "Khóa học khác" not in sections
    catalogue = client.get("/courses").get_data(as_text=True)
    assert "Đã hoàn thành ngày" in catalogue and "Đã học 1/2 bài" in catalogue
