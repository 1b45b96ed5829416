"""Keeping each target's members and counters in step with people, postings and completions.

One rule decides what a person's current member row should hold (:func:`wanted_row`); the
incremental path (:func:`sync_person`, one person) and the rebuild (:func:`rebuild_target`,
everyone) both compare that to the stored row and apply the difference with
:func:`apply_difference`, so the two cannot drift apart. Everything here is Core SQL
(no ORM objects are changed), so it can also run from a flush event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.org.models import OrgUnit, Posting
from lms.targets.models import TargetCount, TargetExclusion, TargetMember, TrainingTarget

MEMBERS = TargetMember.__table__
COUNTS = TargetCount.__table__
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> date:
    """Today in Thanh Hóa."""
    return datetime.now(LOCAL_ZONE).date()


@dataclass(frozen=True)
class PersonFacts:
    """What the audience rule reads about a person."""

    user_id: int
    unit_id: int | None
    unit_path: str | None
    level: str | None
    category: str
    position: str
    active: bool
    current_start: date | None  # first day of the posting in force
    last_end: date | None  # last day a posting ended (a leaver's leaving day)


@dataclass(frozen=True)
class Progress:
    done: int = 0
    started: bool = False
    last_completed: date | None = None


@dataclass(frozen=True)
class Wanted:
    """What a person's current member row should hold."""

    unit_id: int
    category: str
    status: str
    done_courses: int
    completed_on: date | None
    joined_on: date


def load_facts(user_ids: Iterable[int] | None = None) -> list[PersonFacts]:
    """Facts about the given people (everyone when ``None``)."""
    dates = select(
        Posting.user_id, func.max(case((Posting.end_date.is_(None), Posting.start_date))).label("current_start"),
        func.max(Posting.end_date).label("last_end"),
    ).group_by(Posting.user_id)
    if user_ids is not None:
        user_ids = list(user_ids)
        dates = dates.where(Posting.user_id.in_(user_ids))
    dates = dates.subquery()
    stmt = select(
        User.id, User.unit_id, OrgUnit.path, OrgUnit.level, func.coalesce(User.category, ""), User.position,
        User.active, dates.c.current_start, dates.c.last_end,
    ).outerjoin(OrgUnit, OrgUnit.id == User.unit_id).outerjoin(dates, dates.c.user_id == User.id)
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(user_ids))
    return [PersonFacts(*row) for row in db.session.execute(stmt)]


def load_progress(course_ids: set[int], user_ids: Iterable[int] | None = None) -> dict[int, Progress]:
    """Completions and enrolments in ``course_ids``, per person (everyone when ``user_ids`` is ``None``)."""
    done = select(CourseCompletion.user_id, func.count(), func.max(CourseCompletion.completed_at))
    done = done.where(CourseCompletion.course_id.in_(course_ids)).group_by(CourseCompletion.user_id)
    started = select(Enrollment.user_id).where(Enrollment.course_id.in_(course_ids)).distinct()
    if user_ids is not None:
        ids = list(user_ids)
        done, started = done.where(CourseCompletion.user_id.in_(ids)), started.where(Enrollment.user_id.in_(ids))
    progress = {user_id: Progress(count, True, _local_date(last)) for user_id, count, last in db.session.execute(done)}
    for user_id in db.session.scalars(started):
        progress.setdefault(user_id, Progress(0, True))
    return progress


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.astimezone(LOCAL_ZONE).date()


def wanted_row(target: TrainingTarget, person: PersonFacts, progress: Progress, excluded: bool) -> Wanted | None:
    """The current member row ``person`` should have in ``target`` (``None``: not in the audience)."""
    if excluded or not target.includes(person):
        return None
    required = len(target.courses)
    if required and progress.done >= required:
        status = "completed"
    else:
        status = "in_progress" if progress.done or progress.started else "not_started"
    completed_on = progress.last_completed if status == "completed" else None
    joined_on = max(person.current_start or target.start_date, target.start_date)
    return Wanted(person.unit_id, person.category, status, progress.done, completed_on, joined_on)


def _left_on(person: PersonFacts, current, today: date) -> date:
    """The day a closed stint ends: the leaving or posting day when that is why, else today."""
    if not person.active:
        day = person.last_end or today
    elif person.unit_id != current.unit_id:
        day = person.current_start or today
    else:
        day = today
    return max(day, current.joined_on)


def apply_difference(writer, person: PersonFacts, current, wanted: Wanted | None, today: date) -> None:
    """Bring ``person``'s current member row (``current``, a row or ``None``) to ``wanted``.

    A move to another unit or out of the audience closes the stint; anything else is
    updated in place.
    """
    if current is not None and (wanted is None or wanted.unit_id != current.unit_id):
        writer.close(current, _left_on(person, current, today))
        current = None
    if wanted is None:
        return
    if current is None:
        writer.insert(person.user_id, wanted)
    elif Wanted(current.unit_id, current.category, current.status, current.done_courses,
                current.completed_on, current.joined_on) != wanted:
        writer.update(current, wanted)


class ImmediateWriter:
    """Applies each change at once and moves the unit counters with it (the incremental path)."""

    def __init__(self, target_id: int):
        self.target_id = target_id

    def close(self, current, left_on: date) -> None:
        db.session.execute(update(MEMBERS).where(MEMBERS.c.id == current.id).values(left_on=left_on))
        bump(self.target_id, current.unit_id, current.category, current.status, -1)

    def insert(self, user_id: int, wanted: Wanted) -> None:
        db.session.execute(insert(MEMBERS).values(target_id=self.target_id, user_id=user_id, **wanted.__dict__))
        bump(self.target_id, wanted.unit_id, wanted.category, wanted.status, 1)

    def update(self, current, wanted: Wanted) -> None:
        db.session.execute(update(MEMBERS).where(MEMBERS.c.id == current.id).values(**wanted.__dict__))
        if (current.category, current.status) != (wanted.category, wanted.status):
            bump(self.target_id, current.unit_id, current.category, current.status, -1)
            bump(self.target_id, wanted.unit_id, wanted.category, wanted.status, 1)


def bump(target_id: int, unit_id: int, category: str, status: str, delta: int) -> None:
    """Add ``delta`` people of ``status`` to a unit's counters (an upsert)."""
    values = {
        "audience": delta,
        "completed": delta if status == "completed" else 0,
        "in_progress": delta if status == "in_progress" else 0,
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(COUNTS).values(target_id=target_id, unit_id=unit_id, category=category, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[COUNTS.c.target_id, COUNTS.c.unit_id, COUNTS.c.category],
        set_={name: COUNTS.c[name] + stmt.excluded[name] for name in values},
    )
    db.session.execute(stmt)


def current_rows(target_id: int, user_ids: Iterable[int] | None = None) -> dict:
    """The current member rows of a target, by person."""
    stmt = select(MEMBERS).where(MEMBERS.c.target_id == target_id, MEMBERS.c.left_on.is_(None))
    if user_ids is not None:
        stmt = stmt.where(MEMBERS.c.user_id.in_(list(user_ids)))
    return {row.user_id: row for row in db.session.execute(stmt)}


def excluded_ids(target_id: int, user_ids: Iterable[int] | None = None) -> set[int]:
    stmt = select(TargetExclusion.user_id).where(TargetExclusion.target_id == target_id)
    if user_ids is not None:
        stmt = stmt.where(TargetExclusion.user_id.in_(list(user_ids)))
    return set(db.session.scalars(stmt))


def sync_people(target: TrainingTarget, facts: list[PersonFacts], today: date | None = None) -> None:
    """Recompute a few people's membership and status in ``target``, moving the counters (flush only).

    :param target: an active target
    :param facts: the people, from :func:`load_facts`
    :param today: the day changes take effect when no posting date says otherwise
    """
    ids = [person.user_id for person in facts]
    progress, current = load_progress(target.course_ids, ids), current_rows(target.id, ids)
    excluded, writer = excluded_ids(target.id, ids), ImmediateWriter(target.id)
    for person in facts:
        wanted = wanted_row(target, person, progress.get(person.user_id, Progress()), person.user_id in excluded)
        apply_difference(writer, person, current.get(person.user_id), wanted, today or local_today())


class BatchWriter:
    """Collects the changes of a rebuild and writes them in a few statements."""

    def __init__(self, target_id: int):
        self.target_id = target_id
        self.closed: list[dict] = []
        self.inserted: list[dict] = []
        self.updated: list[dict] = []

    def close(self, current, left_on: date) -> None:
        self.closed.append({"row_id": current.id, "left_on": left_on})

    def insert(self, user_id: int, wanted: Wanted) -> None:
        self.inserted.append({"target_id": self.target_id, "user_id": user_id, **wanted.__dict__})

    def update(self, current, wanted: Wanted) -> None:
        self.updated.append({"row_id": current.id, **wanted.__dict__})

    def write(self) -> None:
        connection = db.session.connection()
        row_id = db.bindparam("row_id")
        if self.closed:
            connection.execute(update(MEMBERS).where(MEMBERS.c.id == row_id).values(left_on=db.bindparam("left_on")), self.closed)
        if self.updated:
            fields = {name: db.bindparam(name) for name in Wanted.__dataclass_fields__}
            connection.execute(update(MEMBERS).where(MEMBERS.c.id == row_id).values(**fields), self.updated)
        if self.inserted:
            connection.execute(insert(MEMBERS), self.inserted)


def rebuild_target(target: TrainingTarget, today: date | None = None) -> None:
    """Recompute every person's membership and status in ``target``, then its counters from scratch.

    Stints already closed are history and stay as they are (flush only).
    """
    db.session.flush()
    facts = load_facts()
    progress, current = load_progress(target.course_ids), current_rows(target.id)
    excluded, writer, today = excluded_ids(target.id), BatchWriter(target.id), today or local_today()
    for person in facts:
        row = current.get(person.user_id)
        wanted = wanted_row(target, person, progress.get(person.user_id, Progress()), person.user_id in excluded)
        if row is not None or wanted is not None:
            apply_difference(writer, person, row, wanted, today)
    writer.write()
    recount(target.id)


def recount(target_id: int) -> None:
    """Rewrite a target's unit counters from its current member rows."""
    db.session.execute(delete(COUNTS).where(COUNTS.c.target_id == target_id))
    status = MEMBERS.c.status
    totals = select(
        literal(target_id), MEMBERS.c.unit_id, MEMBERS.c.category, func.count(),
        func.sum(case((status == "completed", 1), else_=0)), func.sum(case((status == "in_progress", 1), else_=0)),
    ).where(MEMBERS.c.target_id == target_id, MEMBERS.c.left_on.is_(None)).group_by(MEMBERS.c.unit_id, MEMBERS.c.category)
    columns = ["target_id", "unit_id", "category", "audience", "completed", "in_progress"]
    db.session.execute(insert(COUNTS).from_select(columns, totals))
