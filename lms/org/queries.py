"""Reads on the organisation shared by pages, exports and the API.

Lists can be asked "as of" a day: the units in force then and the postings in force
then. Without a day they show today's tree and each person's current unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, intersect, literal, select, true

from lms.auth.models import User, UserNameWord
from lms.core.text import search_key, search_words
from lms.extensions import db
from lms.org.models import OrgUnit, PendingPlacement, Posting, UnitSuccession

# A name search matching up to this many people filters by their list of ids.
ID_LIST_LIMIT = 1000


def subtree_condition(unit: OrgUnit, table=OrgUnit):
    """SQL condition on :class:`OrgUnit` (or an alias of it): the unit and everything below it.

    The path is written into the SQL rather than bound: a prepared statement's generic plan
    cannot tell ``LIKE $1 || '%'`` for the province (every unit) from one for a commune, and
    PostgreSQL then walks the units one by one (10 times slower over 100,000 people).
    """
    return table.path.startswith(_inline(unit.path))


def _inline(text: str):
    """``text`` written into the SQL at execution, so that PostgreSQL plans for this very value."""
    return literal(text, literal_execute=True)


def current_unit_by_code(code: str) -> OrgUnit | None:
    """The unit in force today with this code, if any."""
    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.valid_to.is_(None))).first()


def subtree(unit: OrgUnit, day: date | None = None) -> list[OrgUnit]:
    """``unit``'s subtree as it stood on ``day`` (today's tree when ``None``), by depth and name.

    :param unit: the root of the subtree
    :param day: the day the tree is asked for
    """
    stmt = select(OrgUnit).where(subtree_condition(unit), OrgUnit.valid_on(day))
    return list(db.session.scalars(stmt.order_by(OrgUnit.depth, OrgUnit.name)))


def staff_counts(unit: OrgUnit, day: date | None = None) -> dict[int, int]:
    """Number of people directly in each unit of ``unit``'s subtree.

    Today: active people by their current unit. On a past ``day``: the postings in
    force that day, so a reorganisation or a leaver changes later counts only.

    :param unit: the root of the subtree
    :param day: the day the counts are asked for
    """
    if day is None:
        stmt = select(User.unit_id, func.count()).where(User.active).group_by(User.unit_id)
        stmt = stmt.join(OrgUnit, User.unit_id == OrgUnit.id)
    else:
        stmt = select(Posting.unit_id, func.count()).where(Posting.in_force_on(day)).group_by(Posting.unit_id)
        stmt = stmt.join(OrgUnit, Posting.unit_id == OrgUnit.id)
    return dict(db.session.execute(stmt.where(subtree_condition(unit))).all())


@dataclass
class TreeNode:
    """A unit, the people directly in it and in its whole subtree, and its child nodes."""

    unit: OrgUnit
    own: int = 0
    total: int = 0
    children: list[TreeNode] | None = None


def unit_tree(unit: OrgUnit, day: date | None = None) -> TreeNode:
    """``unit``'s subtree as nested nodes with staff counts, as of ``day``.

    :param unit: the root of the tree
    :param day: the day asked for (today's tree when ``None``)
    """
    counts = staff_counts(unit, day)
    nodes = {u.id: TreeNode(u, own=counts.get(u.id, 0), children=[]) for u in subtree(unit, day)}
    root = nodes.get(unit.id) or TreeNode(unit, own=counts.get(unit.id, 0), children=[])
    nodes[unit.id] = root
    for node in sorted(nodes.values(), key=lambda n: -n.unit.depth):
        node.total += node.own
        parent = nodes.get(node.unit.parent_id) if node is not root else None
        if parent is not None:
            parent.total += node.total
            parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.unit.name_key)
    return root


@dataclass
class StaffFilter:
    """What a staff list is narrowed to; empty values do not filter.

    ``active`` is ``True``/``False``/``None`` (everyone); it is ignored for a list
    "as of" a past day, where the postings in force tell who was there.
    """

    query: str = ""
    category: str | None = None
    level: str | None = None
    position: str = ""
    active: bool | None = True
    as_of: date | None = None


def staff_in_subtree(unit: OrgUnit, filters: StaffFilter | None = None, **kwargs):
    """``SELECT User`` for the people of ``unit``'s subtree, in Vietnamese name order.

    :param unit: the subtree's root
    :param filters: a :class:`StaffFilter`; or its fields as keyword arguments
    """
    filters = filters or StaffFilter(**kwargs)
    if filters.as_of is None:
        stmt = select(User).join(OrgUnit, User.unit_id == OrgUnit.id)
        if filters.active is not None:
            stmt = stmt.where(User.active.is_(filters.active))
    else:
        stmt = select(User).join(Posting, Posting.user_id == User.id).join(OrgUnit, Posting.unit_id == OrgUnit.id)
        stmt = stmt.where(Posting.in_force_on(filters.as_of))
    stmt = stmt.where(subtree_condition(unit))
    return _narrow(stmt, filters).order_by(User.sort_key, User.id)


def staff_as_of(unit: OrgUnit, day: date) -> list[User]:
    """The people whose posting in force on ``day`` is in ``unit``'s subtree.

    :param unit: the subtree's root (a unit closed since then is fine)
    :param day: the day asked for
    """
    return list(db.session.scalars(staff_in_subtree(unit, StaffFilter(as_of=day))))


def count_staff_as_of(unit: OrgUnit, day: date) -> int:
    """How many postings in force on ``day`` lie in ``unit``'s subtree."""
    stmt = select(func.count()).select_from(Posting).join(OrgUnit, Posting.unit_id == OrgUnit.id)
    return db.session.scalar(stmt.where(Posting.in_force_on(day), subtree_condition(unit)))


def _narrow(stmt, filters: StaffFilter):
    if filters.query:
        stmt = stmt.where(name_or_code_matches(filters.query))
    if filters.category:
        stmt = stmt.where(User.category == filters.category)
    if filters.level:
        stmt = stmt.where(OrgUnit.level == filters.level)
    if filters.position:
        stmt = stmt.where(User.position == filters.position)
    return stmt


def name_or_code_matches(query: str):
    """SQL condition: the staff code is ``query`` if it has a digit, else every word of it begins a word of the name.

    Names never hold digits, so a code is an exact, indexed lookup. A name matches whatever
    its accents and case, word by word from the start of each word and in any order:
    ``nguyen thi hoa`` and ``hoa nguyen`` find ``Nguyễn Thị Hoà``, ``ng h`` finds her too,
    ``guyen`` does not. Each word is a range of the ``user_name_words`` index.

    For several words, the people matching all of them are looked up first and, when they are
    few, the condition is their list of ids: PostgreSQL cannot estimate an intersection of
    words and would read every user to find a rare name. One word it estimates well.
    """
    query = query.strip()
    if any(char.isdigit() for char in query):
        return User.staff_code == query
    words = search_words(search_key(query))
    if not words:
        return true()
    each = [select(UserNameWord.user_id).where(UserNameWord.word >= _inline(word),
                                               UserNameWord.word < _inline(_after_prefix(word))) for word in words]
    if len(each) == 1:
        return User.id.in_(each[0])
    matching = intersect(*each)
    ids = db.session.scalars(matching.limit(ID_LIST_LIMIT + 1)).all()
    return User.id.in_(ids if len(ids) <= ID_LIST_LIMIT else matching)


def _after_prefix(prefix: str) -> str:
    """The first string, in code point order, greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def positions_in_subtree(unit: OrgUnit) -> list[str]:
    """The distinct non-empty positions held by active people of the subtree, for a filter."""
    stmt = (
        select(User.position).distinct().join(OrgUnit, User.unit_id == OrgUnit.id)
        .where(subtree_condition(unit), User.active, User.position != "")
    )
    return sorted(db.session.scalars(stmt), key=search_key)


def pending_placements(scope) -> list[PendingPlacement]:
    """Pending placements whose old unit lies in ``scope`` (an SQL condition on :class:`OrgUnit`)."""
    stmt = (
        select(PendingPlacement).join(OrgUnit, PendingPlacement.old_unit_id == OrgUnit.id)
        .join(User, PendingPlacement.user_id == User.id).where(scope)
    )
    return list(db.session.scalars(stmt.order_by(OrgUnit.name, User.sort_key)))


def successors(unit: OrgUnit) -> list[OrgUnit]:
    """The units an old unit went into, by name."""
    stmt = (
        select(OrgUnit).join(UnitSuccession, UnitSuccession.new_unit_id == OrgUnit.id)
        .where(UnitSuccession.old_unit_id == unit.id).order_by(OrgUnit.name)
    )
    return list(db.session.scalars(stmt))
