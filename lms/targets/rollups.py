"""Keeping each target's members and counters in step with people, postings and completions.

One rule decides what a person's current member row should hold
(:func:`lms.targets.audience.wanted_rows`, a select); the incremental path
(:func:`sync_people`, a few people) compares it to the stored rows and applies the difference
with :func:`apply_difference`; the rebuild (:func:`rebuild_target`, everyone) makes the same
differences in set-based statements. Everything here is Core SQL (no ORM objects are
changed), so it can also run from a flush event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (Column, Date, Integer, MetaData, Table, case, delete, func, insert, literal, or_, select,
                        type_coerce, update)
from sqlalchemy.dialects import postgresql, sqlite

from lms.auth.models import User
from lms.extensions import db
from lms.org.models import Posting
from lms.targets.audience import WANTED_FIELDS, posting_dates, wanted_rows
from lms.targets.models import TargetCount, TargetDayCount, TargetMember, TrainingTarget

MEMBERS = TargetMember.__table__
COUNTS = TargetCount.__table__
DAYS = TargetDayCount.__table__
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> date:
    """Today in Thanh Hóa."""
    return datetime.now(LOCAL_ZONE).date()


@dataclass(frozen=True)
class PersonFacts:
    """What closing a person's stint reads about them."""

    user_id: int
    unit_id: int | None
    active: bool
    current_start: date | None  # first day of the posting in force
    last_end: date | None  # last day a posting ended (a leaver's leaving day)


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
    """Facts about the given people (everyone when ``None``), whose rows stay locked until commit.

    The lock orders two transactions that move the same person (two courses of one target
    completed at the same moment): on PostgreSQL the second waits here, and everything it
    reads afterwards includes what the first committed, so neither writes the member row from
    a stale read. (SQLite's ``BEGIN IMMEDIATE`` already runs them one after the other.)
    """
    ids = None if user_ids is None else sorted(set(user_ids))
    if ids:
        # FOR NO KEY UPDATE: the key-share locks that inserting the completion took on the row
        # (its foreign key) do not conflict with it, two of these do.
        db.session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update(key_share=True))
    dates = posting_dates(ids)
    stmt = select(User.id, User.unit_id, User.active, dates.c.current_start, dates.c.last_end)
    stmt = stmt.outerjoin(dates, dates.c.user_id == User.id)
    if ids is not None:
        stmt = stmt.where(User.id.in_(ids))
    return [PersonFacts(*row) for row in db.session.execute(stmt)]


def load_wanted(target: TrainingTarget, user_ids: Iterable[int]) -> dict[int, Wanted]:
    """The current member row each of these people should have in ``target`` (absent: not in the audience)."""
    return {row.user_id: Wanted(*row[1:]) for row in db.session.execute(wanted_rows(target, user_ids))}


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
    elif Wanted(*(getattr(current, name) for name in WANTED_FIELDS)) != wanted:
        writer.update(current, wanted)


class ImmediateWriter:
    """Applies each change at once and moves the unit and day counters with it (the incremental path)."""

    def __init__(self, target_id: int):
        self.target_id = target_id

    def close(self, current, left_on: date) -> None:
        db.session.execute(update(MEMBERS).where(MEMBERS.c.id == current.id).values(left_on=left_on))
        bump(self.target_id, current.unit_id, current.category, current.status, -1)
        bump_day(self.target_id, current.unit_id, current.completed_on, -1)

    def insert(self, user_id: int, wanted: Wanted) -> None:
        db.session.execute(insert(MEMBERS).values(target_id=self.target_id, user_id=user_id, **wanted.__dict__))
        bump(self.target_id, wanted.unit_id, wanted.category, wanted.status, 1)
        bump_day(self.target_id, wanted.unit_id, wanted.completed_on, 1)

    def update(self, current, wanted: Wanted) -> None:
        db.session.execute(update(MEMBERS).where(MEMBERS.c.id == current.id).values(**wanted.__dict__))
        if (current.category, current.status) != (wanted.category, wanted.status):
            bump(self.target_id, current.unit_id, current.category, current.status, -1)
            bump(self.target_id, wanted.unit_id, wanted.category, wanted.status, 1)
        if (current.unit_id, current.completed_on) != (wanted.unit_id, wanted.completed_on):
            bump_day(self.target_id, current.unit_id, current.completed_on, -1)
            bump_day(self.target_id, wanted.unit_id, wanted.completed_on, 1)


def _upsert(table, keys: dict, values: dict) -> None:
    """Add ``values`` to the counters of the row with ``keys``, creating it if missing."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**keys, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[name] for name in keys],
        set_={name: table.c[name] + stmt.excluded[name] for name in values},
    )
    db.session.execute(stmt)


def bump(target_id: int, unit_id: int, category: str, status: str, delta: int) -> None:
    """Add ``delta`` people of ``status`` to a unit's counters (an upsert)."""
    _upsert(COUNTS, {"target_id": target_id, "unit_id": unit_id, "category": category}, {
        "audience": delta,
        "completed": delta if status == "completed" else 0,
        "in_progress": delta if status == "in_progress" else 0,
    })


def bump_day(target_id: int, unit_id: int, day: date | None, delta: int) -> None:
    """Add ``delta`` completions on ``day`` to a unit's day counters (nothing when ``day`` is empty)."""
    if day is not None:
        _upsert(DAYS, {"target_id": target_id, "unit_id": unit_id, "day": day}, {"completed": delta})


def current_rows(target_id: int, user_ids: Iterable[int] | None = None) -> dict:
    """The current member rows of a target, by person."""
    stmt = select(MEMBERS).where(MEMBERS.c.target_id == target_id, MEMBERS.c.left_on.is_(None))
    if user_ids is not None:
        stmt = stmt.where(MEMBERS.c.user_id.in_(list(user_ids)))
    return {row.user_id: row for row in db.session.execute(stmt)}


def sync_people(target: TrainingTarget, facts: list[PersonFacts], today: date | None = None) -> None:
    """Recompute a few people's membership and status in ``target``, moving the counters (flush only).

    :param target: an active target
    :param facts: the people, from :func:`load_facts`
    :param today: the day changes take effect when no posting date says otherwise
    """
    ids = [person.user_id for person in facts]
    wanted, current, writer = load_wanted(target, ids), current_rows(target.id, ids), ImmediateWriter(target.id)
    for person in facts:
        apply_difference(writer, person, current.get(person.user_id), wanted.get(person.user_id),
                         today or local_today())


# The rebuild's wanted rows, computed once per rebuild (the select is the costly part), in
# the member rows' own column types.
WANTED = Table(
    "target_wanted", MetaData(), Column("user_id", Integer, primary_key=True),
    *(Column(name, MEMBERS.c[name].type) for name in WANTED_FIELDS), prefixes=["TEMPORARY"],
)


def rebuild_target(target: TrainingTarget, today: date | None = None) -> None:
    """Recompute every person's membership and status in ``target``, then its counters from scratch.

    The same differences as :func:`apply_difference`, made for everyone at once: the wanted
    rows go into a temporary table, then three set-based statements close the stints of
    people gone from their unit or the audience, update the others in place and open stints
    for people without one. Stints already closed are history and stay as they are (flush only).
    """
    db.session.flush()
    today, connection = today or local_today(), db.session.connection()
    WANTED.drop(connection, checkfirst=True)
    WANTED.create(connection)
    wanted = WANTED.c
    connection.execute(insert(WANTED).from_select(["user_id", *WANTED_FIELDS], wanted_rows(target)))
    current = (MEMBERS.c.target_id == target.id, MEMBERS.c.left_on.is_(None))
    stays = select(wanted.user_id).where(wanted.user_id == MEMBERS.c.user_id, wanted.unit_id == MEMBERS.c.unit_id)
    connection.execute(update(MEMBERS).where(*current, ~stays.exists()).values(left_on=_left_on_sql(today)))
    changed = [MEMBERS.c[name].is_distinct_from(wanted[name]) for name in WANTED_FIELDS]
    connection.execute(
        update(MEMBERS).where(*current, MEMBERS.c.user_id == wanted.user_id, MEMBERS.c.unit_id == wanted.unit_id,
                              or_(*changed))
        .values({name: wanted[name] for name in WANTED_FIELDS})
    )
    has_stint = select(MEMBERS.c.id).where(*current, MEMBERS.c.user_id == wanted.user_id)
    rows = select(literal(target.id), wanted.user_id, *(wanted[name] for name in WANTED_FIELDS))
    connection.execute(insert(MEMBERS).from_select(["target_id", "user_id", *WANTED_FIELDS],
                                                   rows.where(~has_stint.exists())))
    WANTED.drop(connection)
    recount(target.id)


def _left_on_sql(today: date):
    """:func:`_left_on` for every stint closed by a rebuild, read from the person's row and postings."""
    user = select(User.active, User.unit_id).where(User.id == MEMBERS.c.user_id)
    active, unit_id = user.with_only_columns(User.active).scalar_subquery(), user.with_only_columns(User.unit_id).scalar_subquery()
    postings = select(Posting.user_id).where(Posting.user_id == MEMBERS.c.user_id)
    last_end = postings.with_only_columns(func.max(Posting.end_date)).scalar_subquery()
    current_start = postings.with_only_columns(
        func.max(case((Posting.end_date.is_(None), Posting.start_date)))).scalar_subquery()
    today = literal(today, Date)
    day = case(
        (active.is_not(True), func.coalesce(last_end, today)),
        (or_(unit_id.is_(None), unit_id != MEMBERS.c.unit_id), func.coalesce(current_start, today)),
        else_=today,
    )
    return type_coerce(case((day > MEMBERS.c.joined_on, day), else_=MEMBERS.c.joined_on), Date)


def recount(target_id: int) -> None:
    """Rewrite a target's unit and day counters from its current member rows."""
    db.session.execute(delete(COUNTS).where(COUNTS.c.target_id == target_id))
    db.session.execute(delete(DAYS).where(DAYS.c.target_id == target_id))
    status, current = MEMBERS.c.status, (MEMBERS.c.target_id == target_id, MEMBERS.c.left_on.is_(None))
    totals = select(
        literal(target_id), MEMBERS.c.unit_id, MEMBERS.c.category, func.count(),
        func.sum(case((status == "completed", 1), else_=0)), func.sum(case((status == "in_progress", 1), else_=0)),
    ).where(*current).group_by(MEMBERS.c.unit_id, MEMBERS.c.category)
    columns = ["target_id", "unit_id", "category", "audience", "completed", "in_progress"]
    db.session.execute(insert(COUNTS).from_select(columns, totals))
    days = select(literal(target_id), MEMBERS.c.unit_id, MEMBERS.c.completed_on, func.count()).where(
        *current, MEMBERS.c.completed_on.is_not(None)).group_by(MEMBERS.c.unit_id, MEMBERS.c.completed_on)
    db.session.execute(insert(DAYS).from_select(["target_id", "unit_id", "day", "completed"], days))
