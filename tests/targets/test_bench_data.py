"""``flask lms bench-data`` makes a whole province whose target figures are right from the start."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.auth.models import User, UserNameWord
from lms.core.text import name_sort_string, search_key, search_words
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.org.models import OrgUnit, Posting
from lms.targets.models import TrainingTarget
from lms.targets.queries import unit_report


def test_bench_data_makes_people_postings_progress_and_a_counted_target(runner, app_ctx):
    result = runner.invoke(args=["lms", "bench-data", "--staff", "300"])
    assert result.exit_code == 0, result.output
    assert "staff: 300" in result.output

    people = db.session.scalars(select(User)).all()
    assert len(people) == 300 and len({p.session_token for p in people}) == 300
    assert all(p.sort_key == name_sort_string(p.ho, p.ten_dem, p.ten) and p.name_key == search_key(p.full_name)
               and p.active and p.position == "Chuyên viên" for p in people)
    words = {(w.user_id, w.word) for w in db.session.scalars(select(UserNameWord))}
    assert words == {(p.id, word) for p in people for word in search_words(p.name_key)}  # the name search finds them
    postings = {(p.user_id, p.unit_id) for p in db.session.scalars(select(Posting).where(Posting.end_date.is_(None)))}
    assert postings == {(p.id, p.unit_id) for p in people}
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 600

    target = db.session.scalar(select(TrainingTarget))
    required = {course.id for course in target.courses}
    done = select(CourseCompletion.user_id).where(CourseCompletion.course_id.in_(required)).group_by(
        CourseCompletion.user_id).having(func.count() == len(required))
    finished = len(db.session.scalars(done).all())
    total = unit_report(target, db.session.get(OrgUnit, target.units[0].id)).total
    assert (total.audience, total.completed) == (300, finished) and 0 < finished < 300
    enrolled = db.session.scalar(select(func.count(func.distinct(Enrollment.user_id))))
    assert total.completed + total.in_progress == enrolled  # everyone who enrolled is at least in progress

    again = runner.invoke(args=["lms", "bench-data", "--staff", "10"])
    assert again.exit_code != 0 and db.session.scalar(select(func.count()).select_from(User)) == 300
