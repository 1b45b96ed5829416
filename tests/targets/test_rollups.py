"""Live rollups: completions, starts, moves, leavers and edits move the numbers at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms.extensions import db
from lms.targets.models import TargetMember
from lms.targets.queries import unit_report


def _figures(target, unit):
    figures = unit_report(target, unit).total
    return figures.audience, figures.completed, figures.in_progress, figures.not_started


def test_completion_of_every_required_course_completes_the_person(tree, make_person, make_course, make_target, complete):
    province, _, commune_a, _ = tree
    iu01, iu02 = make_course("IU01"), make_course("IU02")
    an, binh = make_person(commune_a, "Nguyễn Văn An"), make_person(commune_a, "Lê Thị Bình")
    target = make_target([province], [iu01, iu02])
    assert _figures(target, province) == (2, 0, 0, 2)
    complete(an, iu01)
    assert _figures(target, province) == (2, 0, 1, 1)
    complete(an, iu02)
    assert _figures(target, province) == (2, 1, 0, 1)
    assert _figures(target, commune_a) == (2, 1, 0, 1)
    assert binh.id not in {m.user_id for m in db.session.scalars(select(TargetMember).where(TargetMember.status == "completed"))}


def test_starting_a_required_course_puts_the_person_in_progress(tree, make_person, make_course, make_target, start):
    province, _, commune_a, _ = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([province], [course])
    start(an, course)
    assert _figures(target, province) == (1, 0, 1, 0)


def test_audience_narrows_by_category_level_and_position(tree, make_person, make_course, make_target):
    province, department, commune_a, _ = tree
    course = make_course("IU01")
    make_person(commune_a, "Nguyễn Văn An", category="cong_chuc", position="Công chức Tư pháp - Hộ tịch")
    make_person(commune_a, "Lê Thị Bình", category="vien_chuc", position="Công chức Tư pháp - Hộ tịch")
    make_person(department, "Trần Văn Cường", category="cong_chuc", position="Chuyên viên tư pháp")
    make_person(commune_a, "Phạm Thị Dung", category="cong_chuc", position="Chủ tịch UBND")
    target = make_target([province], [course], categories=["cong_chuc"], levels=["commune"], positions=["tu phap"])
    assert _figures(target, province) == (1, 0, 0, 1)


def test_transfer_moves_the_person_and_closes_the_old_stint(tree, make_person, make_course, make_target, complete):
    from lms.org.operations import post_person
    from lms.targets.operations import refresh_person

    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([commune_a], [course])
    complete(an, course)
    post_person(an, commune_b, date(2026, 3, 1), reason="transfer")
    refresh_person(an)
    db.session.commit()
    assert _figures(target, commune_a) == (0, 0, 0, 0)
    stints = db.session.scalars(select(TargetMember).where(TargetMember.user_id == an.id)).all()
    assert [(s.unit_id, s.left_on) for s in stints] == [(commune_a.id, date(2026, 3, 1))]


def test_leaver_leaves_the_denominator_from_their_leaving_day(tree, make_person, make_course, make_target):
    from lms.org.operations import deactivate_person
    from lms.targets.operations import refresh_person

    province, _, commune_a, _ = tree
    course = make_course("IU01")
    an, _binh = make_person(commune_a, "Nguyễn Văn An"), make_person(commune_a, "Lê Thị Bình")
    target = make_target([province], [course])
    deactivate_person(an, date(2026, 4, 1))
    refresh_person(an)
    db.session.commit()
    assert _figures(target, province) == (1, 0, 0, 1)
    stint = db.session.scalar(select(TargetMember).where(TargetMember.user_id == an.id))
    assert stint.left_on == date(2026, 4, 1)


def test_exclusion_with_reason_and_back(tree, make_person, make_course, make_target):
    from lms.targets.operations import exclude_person, include_again

    province, _, commune_a, _ = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([province], [course])
    exclusion = exclude_person(target, an, "Nghỉ thai sản")
    db.session.commit()
    assert _figures(target, province) == (0, 0, 0, 0)
    include_again(exclusion)
    db.session.commit()
    assert _figures(target, province) == (1, 0, 0, 1)


def test_staff_changed_signal_refreshes_the_people_it_names(tree, make_person, make_course, make_target):
    from lms.org.events import staff_changed
    from lms.org.operations import post_person

    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([commune_a], [course])
    post_person(an, commune_b, date(2026, 3, 1))
    staff_changed.send(None, users=[an])
    db.session.commit()
    assert _figures(target, commune_a) == (0, 0, 0, 0)


def test_learner_dashboard_lists_required_courses_with_deadline(client, login, tree, make_person, make_course, make_target):
    province, _, commune_a, _ = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    make_target([province], [course], deadline=date(2026, 11, 30))
    login(an)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Khóa học bắt buộc" in page and "Khóa IU01" in page and "30/11/2026" in page
