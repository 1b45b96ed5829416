"""The demo command builds the real Thanh Hóa tree with staff and one account per role."""

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.org.models import OrgUnit


def test_demo_builds_thanh_hoa_and_is_idempotent(runner, app_ctx):
    result = runner.invoke(args=["lms", "demo", "--staff", "300"])
    assert result.exit_code == 0, result.output
    assert "quantri" in result.output and "hocvien" in result.output
    communes = db.session.scalar(select(func.count()).where(OrgUnit.kind == "commune"))
    departments = db.session.scalar(select(func.count()).where(OrgUnit.kind == "department"))
    assert communes == 166 and departments == 20
    ham_rong = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "14758")).one()
    assert ham_rong.name == "Phường Hàm Rồng" and ham_rong.parent.code == "38"
    people = db.session.scalar(select(func.count(User.id)))
    assert people == 305

    again = runner.invoke(args=["lms", "demo", "--staff", "300"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == people
    assert db.session.scalar(select(func.count(OrgUnit.id))) == 187


def test_demo_accounts_log_in_with_their_roles(runner, client, app_ctx):
    runner.invoke(args=["lms", "demo", "--staff", "10"])
    client.post_form("/login", {"identifier": "nhansu.xa", "password": "nhansu@2026"})
    page = client.get("/units", follow_redirects=True).get_data(as_text=True)
    assert "Phường Hạc Thành" in page


def test_demo_has_a_learning_history_with_certificates_and_targets(runner, app_ctx):
    from lms.certificates.models import Certificate
    from lms.learning.models import CourseCompletion
    from lms.targets.models import TrainingTarget

    result = runner.invoke(args=["lms", "demo", "--staff", "400"])
    assert result.exit_code == 0, result.output
    completions = db.session.scalar(select(func.count(CourseCompletion.id)))
    assert completions > 0
    assert db.session.scalar(select(func.count(Certificate.id)).where(Certificate.course_id.is_not(None))) == completions
    # Everyone of the history who finished IU01–IU06 holds the basic-skills programme's certificate.
    all_six = (select(CourseCompletion.user_id).group_by(CourseCompletion.user_id)
               .having(func.count(CourseCompletion.id) == 6))
    holders = select(Certificate.user_id).where(Certificate.programme_code.is_not(None))
    assert set(db.session.scalars(holders)) == set(db.session.scalars(all_six)) != set()
    names = set(db.session.scalars(select(TrainingTarget.name)))
    assert names == {"Kế hoạch bồi dưỡng kỹ năng CNTT cơ bản năm 2026", "Bồi dưỡng an toàn thông tin cho cán bộ, công chức năm 2026"}


def test_demo_trainer_edits_the_shipped_courses(runner, client, app_ctx):
    runner.invoke(args=["lms", "demo", "--staff", "10"])
    client.post_form("/login", {"identifier": "giangvien", "password": "giangvien@2026"})
    page = client.get("/authoring/courses").get_data(as_text=True)
    for title in ("Hiểu biết về CNTT cơ bản", "An toàn thông tin cho cán bộ, công chức"):
        assert title in page
