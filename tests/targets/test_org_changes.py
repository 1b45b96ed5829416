"""Organisation changes move the target numbers at once: imports, transfers, leavers, the 2025 reform.

Nothing here calls the targets area by hand: the organisation's operations announce
``staff_changed`` in their own transaction, and the numbers must follow.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.org.models import OrgUnit, PendingPlacement
from lms.org.queries import current_unit_by_code
from lms.targets.models import TargetCount, TargetMember
from lms.targets.queries import unit_report

DATA = Path(__file__).resolve().parents[2] / "lms" / "data" / "thanh-hoa"
HEADER = "Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Mã đơn vị,Email\n"
FIELDS = ("user_id", "unit_id", "category", "status", "done_courses", "completed_on", "joined_on", "left_on")


def _figures(target, unit):
    figures = unit_report(target, unit).total
    return figures.audience, figures.completed, figures.in_progress, figures.not_started


def _import(runner, tmp_path, body: str, *options):
    path = tmp_path / "ds.csv"
    path.write_text(HEADER + body, encoding="utf-8-sig")
    result = runner.invoke(args=["lms", "staff", "import", str(path), "--json", *options])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return json.loads(result.output)


def _snapshot(target_id):
    """Every member row (stints closed or not) and every non-empty counter of a target."""
    members = db.session.scalars(select(TargetMember).where(TargetMember.target_id == target_id)).all()
    counts = db.session.scalars(select(TargetCount).where(TargetCount.target_id == target_id)).all()
    return (
        sorted(tuple(getattr(m, f) for f in FIELDS) for m in members),
        sorted((c.unit_id, c.category, c.audience, c.completed, c.in_progress) for c in counts if c.audience),
    )


def _rebuild_agrees(runner, target) -> None:
    """``flask lms targets rebuild`` finds nothing to change."""
    db.session.expire_all()
    live = _snapshot(target.id)
    result = runner.invoke(args=["lms", "targets", "rebuild"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _snapshot(target.id) == live


def test_imported_transfer_moves_the_person_between_communes_at_once(
        runner, tree, make_person, make_course, make_target, complete, tmp_path):
    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An", staff_code="00123")
    make_person(commune_a, "Lê Thị Bình")
    target = make_target([province], [course])
    complete(an, course)
    assert (_figures(target, commune_a), _figures(target, commune_b)) == ((2, 1, 0, 1), (0, 0, 0, 0))

    _import(runner, tmp_path, "00123,Nguyễn Văn An,,,,14758,\n")
    assert (_figures(target, commune_a), _figures(target, commune_b)) == ((1, 0, 0, 1), (1, 1, 0, 0))
    assert _figures(target, province) == (2, 1, 0, 1)
    _rebuild_agrees(runner, target)


def test_imported_new_person_joins_the_audience_at_once(runner, tree, make_person, make_course, make_target, tmp_path):
    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    make_person(commune_a, "Nguyễn Văn An")
    target = make_target([province], [course])
    report = _import(runner, tmp_path, "00500,Trần Thị Mới,05/03/1990,Nữ,Chuyên viên,14758,\n")
    assert report["created"] == 1
    assert _figures(target, province) == (2, 0, 0, 2)
    assert _figures(target, commune_b) == (1, 0, 0, 1)
    _rebuild_agrees(runner, target)


def test_created_person_joins_and_deactivated_person_leaves_the_denominator(
        runner, tree, make_person, make_course, make_target):
    from lms.org.operations import deactivate_person

    province, _, commune_a, _ = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([province], [course])
    make_person(commune_a, "Lê Thị Bình")
    assert _figures(target, province) == (2, 0, 0, 2)

    deactivate_person(an, date(2026, 4, 1))
    db.session.commit()
    assert _figures(target, province) == (1, 0, 0, 1)
    stint = db.session.scalar(select(TargetMember).where(TargetMember.user_id == an.id))
    assert stint.left_on == date(2026, 4, 1)
    _rebuild_agrees(runner, target)


def test_leavers_of_an_import_and_closed_accounts_leave_the_denominator(
        runner, tree, make_person, make_course, make_target, tmp_path):
    from lms.auth.operations import deactivate_account

    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    make_person(commune_a, "Nguyễn Văn Ở", staff_code="00100")
    make_person(commune_a, "Phạm Văn Đi", staff_code="00999")
    closed = make_person(commune_b, "Đỗ Văn Nghỉ")
    target = make_target([province], [course])
    report = _import(runner, tmp_path, "00100,Nguyễn Văn Ở,,,,14797,\n", "--unit", "14797", "--deactivate-missing")
    assert report["deactivated"] == 1
    assert _figures(target, commune_a) == (1, 0, 0, 1)

    deactivate_account(db.session.get(User, closed.id))
    db.session.commit()
    assert _figures(target, province) == (1, 0, 0, 1)
    _rebuild_agrees(runner, target)


def test_merge_split_and_placement_move_the_numbers(runner, tree, make_unit, make_person, make_course, make_target):
    from lms.org.reorganisation import merge_unit, place_person, split_unit

    province, _, commune_a, commune_b = tree
    old_merged, old_split = make_unit("15001", "Xã Cũ", parent=province), make_unit("15002", "Xã Tách", parent=province)
    course = make_course("IU01")
    make_person(old_merged, "Nguyễn Văn An", start=date(2020, 1, 1))
    waiting = make_person(old_split, "Lê Thị Bình", start=date(2020, 1, 1))
    target = make_target([province], [course], start_date=date(2025, 1, 1))

    merge_unit(old_merged, commune_a, date(2025, 7, 1))
    split_unit(old_split, [commune_a, commune_b], date(2025, 7, 1))
    db.session.commit()
    assert [_figures(target, u)[0] for u in (old_merged, old_split, commune_a, commune_b)] == [0, 1, 1, 0]

    placement = db.session.scalar(select(PendingPlacement).where(PendingPlacement.user_id == waiting.id))
    place_person(placement, commune_b)
    db.session.commit()
    assert [_figures(target, u)[0] for u in (old_merged, old_split, commune_a, commune_b)] == [0, 0, 1, 1]
    assert _figures(target, province)[0] == 2
    _rebuild_agrees(runner, target)


@pytest.fixture
def old_communes(runner, app_ctx):
    """The 576 units of Thanh Hóa before 1 July 2025 (the CSV of ``lms/data/thanh-hoa``)."""
    result = runner.invoke(args=["lms", "units", "import", str(DATA / "units-before-2025-07-01.csv")])
    assert result.exit_code == 0, result.output
    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "commune")))


# 300 people take the incremental path; with the bulk threshold lowered, the same reform takes the
# full-rebuild path that a reform of more than BULK_REFRESH_THRESHOLD people takes.
@pytest.mark.parametrize("bulk_above", [None, 100])
def test_2025_reform_keeps_the_province_total(runner, old_communes, make_course, make_target, complete,
                                              monkeypatch, bulk_above):
    from lms.org.operations import create_person
    from lms.targets import operations

    if bulk_above:
        monkeypatch.setattr(operations, "BULK_REFRESH_THRESHOLD", bulk_above)
    people, finished = 300, 20
    rng = random.Random(7)
    staff = [create_person(f"P{number:05d}", "Nguyễn", "Văn", f"Người {number}", rng.choice(old_communes),
                           start=date(2020, 1, 1), category=rng.choice(["cong_chuc", "vien_chuc"]))
             for number in range(people)]
    db.session.commit()
    course = make_course("IU01")
    province = current_unit_by_code("38")
    target = make_target([province], [course], start_date=date(2025, 1, 1))
    for person in rng.sample(staff, finished):
        complete(person, course)
    before = _figures(target, province)
    assert before == (people, finished, 0, people - finished)

    result = runner.invoke(args=["lms", "units", "reorganise", str(DATA / "merges-2025-07-01.csv"),
                                 "--effective", "2025-07-01", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["moved"] > 0 and report["moved"] + report["pending"] == people
    db.session.expire_all()

    assert _figures(target, province) == before
    ham_rong = current_unit_by_code("14758")  # new Phường Hàm Rồng: merged communes and placements to come
    merged_in = db.session.scalars(select(User.id).where(User.unit_id == ham_rong.id)).all()
    assert _figures(target, ham_rong)[0] == len(merged_in) > 0
    closed_with_people = {p.old_unit_id for p in db.session.scalars(select(PendingPlacement))}
    for commune in old_communes:
        if commune.id not in closed_with_people:
            assert _figures(target, commune)[0] == 0  # merged: its people now count in their new commune
    _rebuild_agrees(runner, target)
