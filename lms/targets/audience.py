"""The rule of what a person's current member row in a target should hold, as one SQL select.

:func:`wanted_rows` is the only place the audience (units, categories, levels, positions,
exclusions) and the status are decided. The incremental path reads it for a few people; the
rebuild uses it as a subquery of a few set-based statements, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Date, String, case, false, func, literal, or_, select, true, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from lms.auth.models import User
from lms.core.text import search_key
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.org.models import OrgUnit, Posting
from lms.targets.models import TargetExclusion, TrainingTarget

# The columns of a wanted row, in order, after ``user_id``.
WANTED_FIELDS = ("unit_id", "category", "status", "done_courses", "completed_on", "joined_on")


class local_date(FunctionElement):  # noqa: N801 (an SQL function)
    """The calendar day in Thanh Hóa of a UTC timestamp."""

    type = Date()
    name = "local_date"
    inherit_cache = True


@compiles(local_date)
def _local_date(element, compiler, **kw) -> str:
    return f"CAST(timezone('Asia/Ho_Chi_Minh', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw) -> str:
    # Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975.
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


def posting_dates(user_ids: list[int] | None = None):
    """Per person: the first day of the posting in force, and the last day a posting ended."""
    stmt = select(
        Posting.user_id, func.max(case((Posting.end_date.is_(None), Posting.start_date))).label("current_start"),
        func.max(Posting.end_date).label("last_end"),
    ).group_by(Posting.user_id)
    if user_ids is not None:
        stmt = stmt.where(Posting.user_id.in_(user_ids))
    return stmt.subquery("dates")


def _matching_positions(target: TrainingTarget, user_ids: list[int] | None) -> list[str]:
    """The positions held that contain one of the target's phrases (accents and case ignored)."""
    stmt = select(User.position).distinct()
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(user_ids))
    keys = [search_key(phrase) for phrase in target.positions]
    return [position for position in db.session.scalars(stmt) if any(key in search_key(position) for key in keys)]


def _in_audience(target: TrainingTarget, user_ids: list[int] | None) -> list:
    """Conditions on ``User`` and its ``OrgUnit`` for being in ``target``'s audience."""
    conditions = [
        User.active.is_(True),
        or_(false(), *(OrgUnit.path.startswith(unit.path) for unit in target.units)),
        User.id.not_in(select(TargetExclusion.user_id).where(TargetExclusion.target_id == target.id)),
    ]
    if target.categories:
        conditions.append(func.coalesce(User.category, "").in_(target.categories))
    if target.levels:
        conditions.append(OrgUnit.level.in_(target.levels))
    if target.positions:
        conditions.append(User.position.in_(_matching_positions(target, user_ids)))
    if user_ids is not None:
        conditions.append(User.id.in_(user_ids))
    return conditions


def wanted_rows(target: TrainingTarget, user_ids: Iterable[int] | None = None):
    """``SELECT user_id, unit_id, category, status, done_courses, completed_on, joined_on``: the
    current member row each person in ``target``'s audience should have (everyone when ``user_ids``
    is ``None``).

    *Completed* when every required course is completed (``completed_on`` is the local day of the
    last completion); *in progress* when one is completed or enrolled in; else *not started*.
    The stint is joined on the first day of the posting in force, not before the target's start.
    """
    ids = None if user_ids is None else list(user_ids)
    course_ids, required = sorted(target.course_ids), len(target.courses)
    done = select(CourseCompletion.user_id, func.count().label("done"),
                  func.max(CourseCompletion.completed_at).label("last"))
    done = done.where(CourseCompletion.course_id.in_(course_ids)).group_by(CourseCompletion.user_id)
    started = select(Enrollment.user_id).where(Enrollment.course_id.in_(course_ids))
    if ids is not None:
        done, started = done.where(CourseCompletion.user_id.in_(ids)), started.where(Enrollment.user_id.in_(ids))
    done, dates = done.subquery("done"), posting_dates(ids)
    count = func.coalesce(done.c.done, 0)
    finished = count >= required if required else false()
    status = case((finished, "completed"), (or_(count > 0, User.id.in_(started)), "in_progress"),
                  else_="not_started")
    start = literal(target.start_date, Date)
    return (
        select(
            User.id.label("user_id"), User.unit_id, type_coerce(func.coalesce(User.category, ""), String).label("category"),
            status.label("status"), count.label("done_courses"),
            case((finished, local_date(done.c.last)), else_=None).label("completed_on"),
            type_coerce(case((dates.c.current_start > start, dates.c.current_start), else_=start), Date).label("joined_on"),
        )
        .join(OrgUnit, OrgUnit.id == User.unit_id)
        .outerjoin(done, done.c.user_id == User.id)
        .outerjoin(dates, dates.c.user_id == User.id)
        .where(true(), *_in_audience(target, ids))
    )
