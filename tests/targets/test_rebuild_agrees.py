"""Property: whatever happens, the live rollups equal a rebuild from scratch.

Random sequences of starts, completions, transfers, leavers, newcomers, exclusions and
target edits are applied through the operations; after each step the stored members and
counters (per unit and category, and completions per unit and day) must equal what
:func:`rebuild_target` computes from the raw data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.targets.models import TargetCount, TargetDayCount, TargetMember

FIELDS = ("user_id", "unit_id", "category", "status", "done_courses", "completed_on", "joined_on", "left_on")


def _snapshot(target_id):
    members = db.session.scalars(select(TargetMember).where(TargetMember.target_id == target_id)).all()
    counts = db.session.scalars(select(TargetCount).where(TargetCount.target_id == target_id)).all()
    days = db.session.scalars(select(TargetDayCount).where(TargetDayCount.target_id == target_id)).all()
    return (
        sorted(tuple(getattr(m, f) for f in FIELDS) for m in members if m.left_on is None),
        sorted((c.unit_id, c.category, c.audience, c.completed, c.in_progress) for c in counts if c.audience),
        sorted((d.unit_id, d.day, d.completed) for d in days if d.completed),
    )


def _assert_agrees(target):
    from lms.targets.rollups import rebuild_target

    live = _snapshot(target.id)
    rebuild_target(target)
    db.session.flush()
    assert _snapshot(target.id) == live
    db.session.rollback()


class World:
    """The moves a random script may make, through the same operations as the product."""

    def __init__(self, rng, units, people, courses, target, ops):
        self.rng, self.units, self.people, self.courses, self.target, self.ops = rng, units, people, courses, target, ops
        self.day = date(2026, 2, 1)

    def step(self):
        self.day += timedelta(days=1)
        action = self.rng.choice([self.start, self.complete, self.complete, self.transfer, self.leave,
                                  self.hire, self.exclude, self.edit, self.recategorise])
        action()
        db.session.commit()

    def _someone(self):
        active = [p for p in self.people if p.active]
        return self.rng.choice(active) if active else None

    def start(self):
        if person := self._someone():
            self.ops["start"](person, self.rng.choice(self.courses))

    def complete(self):
        if person := self._someone():
            self.ops["complete"](person, self.rng.choice(self.courses))

    def transfer(self):
        from lms.org.operations import post_person
        from lms.targets.operations import refresh_person

        if person := self._someone():
            post_person(person, self.rng.choice(self.units), self.day, reason="transfer")
            refresh_person(person)

    def leave(self):
        from lms.org.operations import deactivate_person
        from lms.targets.operations import refresh_person

        if person := self._someone():
            deactivate_person(person, self.day)
            refresh_person(person)

    def hire(self):
        from lms.targets.operations import refresh_person

        person = self.ops["make_person"](self.rng.choice(self.units), "Đỗ Văn Mới", start=self.day,
                                         category=self.rng.choice(["cong_chuc", "vien_chuc", None]))
        self.people.append(person)
        refresh_person(person)

    def exclude(self):
        from lms.targets.operations import exclude_person, include_again

        if self.target.exclusions and self.rng.random() < 0.5:
            include_again(self.rng.choice(self.target.exclusions))
        elif person := self._someone():
            exclude_person(self.target, person, "Nghỉ dài hạn")

    def edit(self):
        from lms.targets.operations import TargetData, update_target

        t = self.target
        data = TargetData(t.name, t.year, t.start_date, t.deadline,
                          courses=self.rng.sample(self.courses, self.rng.randint(1, len(self.courses))),
                          units=self.rng.sample(self.units, self.rng.randint(1, 2)), target_percent=t.target_percent,
                          categories=self.rng.choice([[], ["cong_chuc"], ["cong_chuc", "vien_chuc"]]),
                          levels=self.rng.choice([[], ["commune"], ["province", "district"]]))
        update_target(t, data)

    def recategorise(self):
        from lms.targets.operations import refresh_person

        if person := self._someone():
            person.category = self.rng.choice(["cong_chuc", "vien_chuc", None])
            refresh_person(person)


@pytest.mark.parametrize("seed", range(4))
def test_incremental_always_equals_rebuild(seed, tree, make_unit, make_person, make_course, make_target, start, complete):
    province, department, commune_a, commune_b = tree
    district = make_unit("380", "Huyện Thử", "district", province)
    commune_c = make_unit("15001", "Xã Con", "commune", district)
    units = [province, department, commune_a, commune_b, district, commune_c]
    rng = random.Random(seed)
    people = [make_person(rng.choice(units), f"Nguyễn Văn Số{i}", category=rng.choice(["cong_chuc", "vien_chuc", None]))
              for i in range(12)]
    courses = [make_course(f"IU0{i}") for i in range(1, 4)]
    target = make_target([province], courses[:2])
    ops = {"start": start, "complete": complete, "make_person": make_person}
    world = World(rng, units, people, courses, target, ops)
    for _ in range(20):
        world.step()
        _assert_agrees(target)


@pytest.mark.parametrize("move", ["transfer", "leave"])
def test_rebuild_closes_stints_on_the_same_day_as_the_live_path(move, tree, make_person, make_course, make_target):
    from lms.org.operations import deactivate_person, post_person
    from lms.targets.operations import refresh_person
    from lms.targets.rollups import rebuild_target

    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    an = make_person(commune_a, "Nguyễn Văn An")
    target = make_target([commune_a], [course])
    if move == "transfer":
        post_person(an, commune_b, date(2026, 3, 1), reason="transfer")
    else:
        deactivate_person(an, date(2026, 4, 1))
    db.session.commit()
    rebuild_target(target, today=date(2026, 6, 1))
    rebuilt = [(m.unit_id, m.left_on) for m in db.session.scalars(select(TargetMember).where(TargetMember.user_id == an.id))]
    db.session.rollback()
    refresh_person(an)
    db.session.flush()
    live = [(m.unit_id, m.left_on) for m in db.session.scalars(select(TargetMember).where(TargetMember.user_id == an.id))]
    assert rebuilt == live == [(commune_a.id, date(2026, 3, 1) if move == "transfer" else date(2026, 4, 1))]
