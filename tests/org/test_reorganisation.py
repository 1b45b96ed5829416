"""The 1 July 2025 reform applied to a population spread over the real old communes."""

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.org.models import OrgUnit, PendingPlacement, Posting, UnitSuccession
from lms.org.operations import create_person
from lms.org.queries import count_staff_as_of, current_unit_by_code, staff_as_of

DATA = Path(__file__).resolve().parents[2] / "lms" / "data" / "thanh-hoa"
BEFORE, AFTER, REFORM = date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 1)


@pytest.fixture
def old_tree(runner, app_ctx):
    result = runner.invoke(args=["lms", "units", "import", str(DATA / "units-before-2025-07-01.csv")])
    assert result.exit_code == 0, result.output
    assert "created: 576" in result.output
    communes = list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "commune")))
    rng = random.Random(7)
    for number in range(1, 1001):
        create_person(f"P{number:05d}", "Nguyễn", "Văn", f"Người {number}", rng.choice(communes), start=date(2020, 1, 1))
    db.session.commit()
    return communes


def _reorganise(runner, *extra):
    return runner.invoke(args=["lms", "units", "reorganise", str(DATA / "merges-2025-07-01.csv"),
                               "--effective", "2025-07-01", "--json", *extra])


def test_reform_loses_nobody_and_counts_nobody_twice(runner, old_tree):
    province = current_unit_by_code("38")
    result = _reorganise(runner)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["problems"] == []
    assert (report["merged"], report["split"], report["created_units"]) == (537, 12, 166)
    assert report["moved"] + report["pending"] == 1000
    db.session.expire_all()

    assert count_staff_as_of(province, BEFORE) == count_staff_as_of(province, AFTER) == 1000
    in_force = select(Posting.user_id, func.count()).where(Posting.in_force_on(AFTER)).group_by(Posting.user_id)
    assert {n for _, n in db.session.execute(in_force)} == {1}
    assert len({p.id for p in staff_as_of(province, AFTER)}) == 1000


def test_full_merges_move_people_and_close_old_units(runner, old_tree):
    dong_cuong = current_unit_by_code("14791")  # Phường Đông Cương: fully into Phường Hàm Rồng
    people = [p.id for p in staff_as_of(dong_cuong, BEFORE)]
    assert _reorganise(runner).exit_code == 0
    db.session.expire_all()

    assert dong_cuong.valid_to == REFORM and dong_cuong.parent.valid_to == REFORM  # the district went too
    ham_rong = current_unit_by_code("14758")
    assert ham_rong.name == "Phường Hàm Rồng" and ham_rong.parent.code == "38" and ham_rong.valid_from == REFORM
    for person in map(lambda i: db.session.get(User, i), people):
        assert person.unit_id == ham_rong.id
        assert [(p.unit.code, p.start_date, p.end_date) for p in person.postings][-2:] == [
            ("14791", date(2020, 1, 1), REFORM), ("14758", REFORM, None)]
    assert staff_as_of(dong_cuong, BEFORE) and not staff_as_of(dong_cuong, AFTER)
    assert db.session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.valid_to.is_(None))) == 167


def test_split_units_wait_for_hr_with_their_candidates(runner, old_tree):
    dong_tho = current_unit_by_code("14758")  # Phường Đông Thọ: split into Hàm Rồng and Hạc Thành
    waiting = {p.id for p in staff_as_of(dong_tho, BEFORE)}
    assert _reorganise(runner).exit_code == 0
    db.session.expire_all()

    placements = db.session.scalars(select(PendingPlacement).where(PendingPlacement.old_unit_id == dong_tho.id)).all()
    assert {p.user_id for p in placements} == waiting
    candidates = db.session.scalars(select(UnitSuccession).where(UnitSuccession.old_unit_id == dong_tho.id)).all()
    assert sorted(c.new_unit.name for c in candidates) == ["Phường Hàm Rồng", "Phường Hạc Thành"]
    assert {c.kind for c in candidates} == {"partial"}
    assert {p.id for p in staff_as_of(dong_tho, AFTER)} == waiting  # still counted, once, in the old unit
    total = db.session.scalar(select(func.count()).select_from(PendingPlacement))
    assert total == sum(len(staff_as_of(u, BEFORE)) for u in old_tree if u.code in _split_codes())


def _split_codes() -> set[str]:
    lines = (DATA / "merges-2025-07-01.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {line.split(",")[2] for line in lines if line.endswith(",partial")}


def test_dry_run_writes_nothing_and_second_run_finds_nothing_to_do(runner, old_tree):
    dry = _reorganise(runner, "--dry-run")
    assert dry.exit_code == 0 and json.loads(dry.output)["merged"] == 537
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.valid_to.isnot(None))) == 0

    assert _reorganise(runner).exit_code == 0
    again = json.loads(_reorganise(runner).output)
    assert again["merged"] == again["split"] == again["moved"] == 0
    assert len(again["problems"]) == 549  # every old unit is already closed: reported, not crashed on


def test_odd_rows_are_reported_not_crashed_on(runner, old_tree, tmp_path):
    mapping = tmp_path / "odd.csv"
    mapping.write_text(
        "new_code,new_name,old_code,old_name,kind\n"
        "14758,Phường Hàm Rồng,14755,Phường Hàm Rồng,full\n"
        "14758,Phường Hàm Rồng,14755,Phường Hàm Rồng,full\n"  # the same pair twice
        "14797,Phường Hạc Thành,14761,Phường Nam Ngạn,merged\n"  # unknown kind
        "14797,Phường Hạc Thành,99999,Xã Không Có,full\n"  # unknown old unit
        "14797,Phường Hạc Thành,14770,Phường Phú Sơn,partial\n"  # split into one unit only
        "14797,Phường Hạc Thành,14791,Phường Đông Cương,full\n"
        "14758,Phường Hàm Rồng,14791,Phường Đông Cương,partial\n"  # both full and partial
        ",,14800,,full\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["lms", "units", "reorganise", str(mapping), "--effective", "2025-07-01", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["merged"] == 1 and report["split"] == 0
    assert sorted(p["line"] for p in report["problems"]) == [3, 4, 5, 6, 7, 9]
