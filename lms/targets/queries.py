"""Reads on training targets shared by the dashboard, the XLSX and PDF exports and the API.

Every figure shown anywhere comes from :func:`unit_report` (the counters) and
:func:`completions_by_day` (the day counters), so screens and files always agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, bindparam, cast, func, literal_column, null, select, union_all
from sqlalchemy.orm import contains_eager, load_only

from lms.auth.models import User
from lms.core.access import can_see_target, hr_units, is_admin
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import LEVELS, OrgUnit
from lms.targets.models import TargetCount, TargetDayCount, TargetMember, TrainingTarget, target_courses
from lms.targets.rollups import local_today

# How far back the projection looks to measure the current pace.
PACE_WINDOW_DAYS = 28


@dataclass
class Figures:
    """People in the audience and how far they are, against the target percentage."""

    target_percent: int = 100
    deadline_passed: bool = False
    audience: int = 0
    completed: int = 0
    in_progress: int = 0

    def add(self, audience: int, completed: int, in_progress: int) -> None:
        self.audience += audience
        self.completed += completed
        self.in_progress += in_progress

    @property
    def not_started(self) -> int:
        return self.audience - self.completed - self.in_progress

    @property
    def percent(self) -> float:
        return 100 * self.completed / self.audience if self.audience else 0.0

    @property
    def needed(self) -> int:
        """People who must have completed to reach the target percentage."""
        return math.ceil(self.audience * self.target_percent / 100)

    @property
    def gap(self) -> int:
        """People still needed to reach the target percentage."""
        return max(0, self.needed - self.completed)

    @property
    def overdue(self) -> int:
        """People not completed once the deadline has passed."""
        return self.audience - self.completed if self.deadline_passed else 0


@dataclass
class UnitRow:
    """A line of the drill-down table: a child unit's subtree, or the unit's own staff (``own``)."""

    unit: OrgUnit
    figures: Figures
    own: bool = False


@dataclass
class UnitReport:
    """A target's figures for a unit's subtree, its children, and breakdowns by level and category."""

    target: TrainingTarget
    unit: OrgUnit
    total: Figures
    rows: list[UnitRow] = field(default_factory=list)
    by_level: dict[str, Figures] = field(default_factory=dict)
    by_category: dict[str, Figures] = field(default_factory=dict)


def _new_figures(target: TrainingTarget, today: date) -> Figures:
    return Figures(target.target_percent, today > target.deadline)


def unit_report(target: TrainingTarget, unit: OrgUnit, today: date | None = None) -> UnitReport:
    """Figures of ``target`` for ``unit``'s subtree, summed from the counters in one query.

    :param target: the target
    :param unit: the subtree's root
    :param today: the day "overdue" is judged on (today in Thanh Hóa by default)
    """
    today = today or local_today()
    make = lambda: _new_figures(target, today)  # noqa: E731
    report = UnitReport(target, unit, make())
    own, children = make(), defaultdict(make)
    by_level, by_category = defaultdict(make), defaultdict(make)
    child_depth = unit.depth + 1
    for kind, key, level, *numbers in db.session.execute(_subtree_sums(target, unit)):
        if kind == "category":
            report.total.add(*numbers)
            by_category[key].add(*numbers)
            continue
        by_level[level].add(*numbers)
        if key == unit.path:
            own.add(*numbers)
        else:
            children[int(key.strip("/").split("/")[child_depth])].add(*numbers)
    report.rows = _unit_rows(unit, own, children)
    report.by_level = {level: by_level[level] for level in LEVELS if level in by_level}
    report.by_category = dict(sorted(by_category.items()))
    return report


def _total(column):
    """SUM as an integer: PostgreSQL sums a bigint into a numeric, which Python reads as a Decimal."""
    return cast(func.sum(column), Integer)


def _subtree_sums(target: TrainingTarget, unit: OrgUnit):
    """``unit``'s subtree's counters summed per unit (with its path and level) and per category:
    at most ~600 + a few rows, whatever the number of people."""
    sums = (_total(TargetCount.audience), _total(TargetCount.completed), _total(TargetCount.in_progress))

    def summed(kind: str, *columns):
        return (
            select(literal_column(f"'{kind}'"), *columns, *sums)
            .join(OrgUnit, OrgUnit.id == TargetCount.unit_id)
            .where(TargetCount.target_id == target.id, OrgUnit.path.startswith(unit.path))
        )

    per_unit = summed("unit", OrgUnit.path, OrgUnit.level).group_by(OrgUnit.id, OrgUnit.path, OrgUnit.level)
    per_category = summed("category", TargetCount.category, null()).group_by(TargetCount.category)
    return union_all(per_unit, per_category)


def _unit_rows(unit: OrgUnit, own: Figures, children: dict[int, Figures]) -> list[UnitRow]:
    """Child units with people in the audience, worst percentage first; the unit's own staff last."""
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(list(children)))) if children else []
    rows = [UnitRow(child, children[child.id]) for child in units if children[child.id].audience]
    rows.sort(key=lambda row: (row.figures.percent, row.unit.name_key))
    if own.audience:
        rows.append(UnitRow(unit, own, own=True))
    return rows


@dataclass
class Burnup:
    """Completions week by week from the start against the straight line to the target."""

    start: date
    deadline: date
    today: date
    needed: int
    weeks: list[tuple[date, int]]  # (last day of the week, people completed by then), up to today

    @property
    def completed(self) -> int:
        return self.weeks[-1][1] if self.weeks else 0


def completions_by_day(target: TrainingTarget, unit: OrgUnit) -> list[tuple[date, int]]:
    """How many current members of ``unit``'s subtree completed the target on each day (from the day counters)."""
    days = TargetDayCount.__table__
    rows = select(days.c.day, days.c.completed).where(days.c.target_id == target.id)
    if not all(audience_unit.path.startswith(unit.path) for audience_unit in target.units):
        # Summed per unit first, in the primary key's order, so the planner reads only the subtree's units.
        subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
        rows = select(days.c.day, _total(days.c.completed).label("completed")).where(
            days.c.target_id == target.id, days.c.unit_id.in_(subtree)).group_by(days.c.unit_id, days.c.day)
    rows = rows.subquery()
    completed = _total(rows.c.completed)
    stmt = select(rows.c.day, completed).group_by(rows.c.day).having(completed > 0).order_by(rows.c.day)
    return [tuple(row) for row in db.session.execute(stmt)]


def trend(target: TrainingTarget, unit: OrgUnit, figures: Figures, today: date | None = None) -> tuple[Burnup, Projection]:
    """The burn-up series and the projection of ``target`` for ``unit``'s subtree (one query).

    :param figures: the subtree's figures from :func:`unit_report`
    :param today: the day asked for (today in Thanh Hóa by default)
    """
    today = today or local_today()
    days = completions_by_day(target, unit)
    return burnup(target, days, figures, today), projection(target, days, figures, today)


def burnup(target: TrainingTarget, days: list[tuple[date, int]], figures: Figures, today: date) -> Burnup:
    """The weekly burn-up series from completions per day (those before the start count on it)."""
    end = min(today, target.deadline) if today >= target.start_date else target.start_date
    weeks, total, index = [], 0, 0
    week_end = target.start_date + timedelta(days=6)
    while True:
        while index < len(days) and days[index][0] <= week_end:
            total, index = total + days[index][1], index + 1
        weeks.append((min(week_end, end), total))
        if week_end >= end:
            break
        week_end += timedelta(days=7)
    return Burnup(target.start_date, target.deadline, today, figures.needed, weeks)


@dataclass(frozen=True)
class Projection:
    """Where the current pace leads: the day the target is reached, or how many will be short."""

    reached: bool
    on: date | None
    short: int
    per_week: float


def projection(target: TrainingTarget, days: list[tuple[date, int]], figures: Figures, today: date) -> Projection:
    """Project the last four weeks' pace (from completions per day) to the deadline."""
    if figures.gap == 0:
        return Projection(True, None, 0, 0.0)
    since = today - timedelta(days=PACE_WINDOW_DAYS)
    recent = sum(count for day, count in days if since < day <= today)
    pace = recent / PACE_WINDOW_DAYS
    if pace == 0:
        return Projection(False, None, figures.gap, 0.0)
    on = today + timedelta(days=math.ceil(figures.gap / pace))
    days_left = max(0, (target.deadline - today).days)
    short = 0 if on <= target.deadline else figures.gap - math.floor(pace * days_left)
    return Projection(False, on, short, pace * 7)


def not_finished(target: TrainingTarget, unit: OrgUnit):
    """``SELECT TargetMember`` (with its user and unit loaded) of ``unit``'s subtree not completed,
    in Vietnamese name order: the list on the page, in the XLSX, in the API and for the reminders."""
    return (
        select(TargetMember)
        .join(User, User.id == TargetMember.user_id)
        .join(OrgUnit, OrgUnit.id == TargetMember.unit_id)
        .where(TargetMember.target_id == target.id, TargetMember.left_on.is_(None),
               TargetMember.status != "completed", OrgUnit.path.startswith(unit.path))
        .options(contains_eager(TargetMember.user), contains_eager(TargetMember.unit))
        .order_by(User.sort_key, User.id)
    )


def not_finished_page(target: TrainingTarget, unit: OrgUnit, per_page: int, max_per_page: int | None = None):
    """A page (``?page=``) of :func:`not_finished`, its total read from the counters (audience − completed).

    Recounting the list would read every member of the subtree: half a second for a province of
    a million people, where the counters answer in a few milliseconds (and always agree with it).
    """
    page = db.paginate(not_finished(target, unit), per_page=per_page, max_per_page=max_per_page, error_out=False,
                       count=False)
    figures = unit_report(target, unit).total
    page.total = figures.audience - figures.completed
    return page


def visible_targets(viewer, *, include_inactive: bool = False) -> list[TrainingTarget]:
    """The targets ``viewer`` may see (admin: all; HR: those reaching into their subtrees), newest first."""
    stmt = select(TrainingTarget).order_by(TrainingTarget.year.desc(), TrainingTarget.id.desc())
    if not include_inactive:
        stmt = stmt.where(TrainingTarget.active)
    return [target for target in db.session.scalars(stmt) if can_see_target(viewer, target)]


@dataclass
class DashboardCard:
    """A target's figures and projection for one of the viewer's root units."""

    target: TrainingTarget
    unit: OrgUnit
    figures: Figures
    projection: Projection


def _dashboard_roots(viewer) -> list[OrgUnit]:
    """The units a viewer's dashboard starts from: the tree's roots for admin, the HR units otherwise."""
    if is_admin(viewer):
        return list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None), OrgUnit.valid_to.is_(None))
                                        .order_by(OrgUnit.path)))
    return hr_units(viewer)


def dashboard_cards(viewer) -> list[DashboardCard]:
    """Each active target ``viewer`` may see, for each of their root units it reaches: figures and projection."""
    cards = []
    roots = _dashboard_roots(viewer)
    for target in visible_targets(viewer):
        for root in roots:
            if any(u.path.startswith(root.path) or root.path.startswith(u.path) for u in target.units):
                figures = unit_report(target, root).total
                cards.append(DashboardCard(target, root, figures, trend(target, root, figures)[1]))
    return cards


# Built once: the learner's dashboard runs it on every visit.
_REQUIRED_FOR = (
    select(Course, func.min(TrainingTarget.deadline))
    .options(load_only(Course.code, Course.title, Course.status))
    .join(target_courses, target_courses.c.course_id == Course.id)
    .join(TrainingTarget, TrainingTarget.id == target_courses.c.target_id)
    .join(TargetMember, TargetMember.target_id == TrainingTarget.id)
    .where(TargetMember.user_id == bindparam("user_id"), TargetMember.left_on.is_(None), TrainingTarget.active)
    .group_by(Course.id)
)


def required_for(user) -> list[tuple[Course, date]]:
    """Courses that active targets require of ``user``, each with its earliest deadline, by deadline.

    The courses come with what the learner's dashboard lists of them; the rest (their JSON
    settings, most of the cost) loads on first use.
    """
    rows = db.session.execute(_REQUIRED_FOR, {"user_id": user.id})
    return sorted(((course, deadline) for course, deadline in rows), key=lambda r: (r[1], r[0].code))
