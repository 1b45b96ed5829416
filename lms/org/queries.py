"""Reads on the organisation shared by pages, exports and the API."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from lms.auth.models import User
from lms.core.text import search_key
from lms.extensions import db
from lms.org.models import OrgUnit


def subtree_condition(unit: OrgUnit):
    """SQL condition on :class:`OrgUnit`: the unit and everything below it."""
    return OrgUnit.path.startswith(unit.path)


def subtree(unit: OrgUnit, *, current_only: bool = True) -> list[OrgUnit]:
    """The unit and all its descendants, ordered by path.

    :param unit: the root of the subtree
    :param current_only: leave out units closed by a reorganisation
    """
    stmt = select(OrgUnit).where(subtree_condition(unit)).order_by(OrgUnit.depth, OrgUnit.name)
    if current_only:
        stmt = stmt.where(OrgUnit.valid_to.is_(None))
    return list(db.session.scalars(stmt))


def children_with_counts(unit: OrgUnit) -> list[tuple[OrgUnit, int]]:
    """Current child units of ``unit`` with the number of active staff in each subtree."""
    child, below = aliased(OrgUnit), aliased(OrgUnit)
    stmt = (
        select(child, func.count(User.id))
        .select_from(child)
        .outerjoin(below, below.path.startswith(child.path))
        .outerjoin(User, (User.unit_id == below.id) & User.active)
        .where(child.parent_id == unit.id, child.valid_to.is_(None))
        .group_by(child.id)
        .order_by(child.name)
    )
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def staff_in_subtree(unit: OrgUnit, *, query: str = "", active: bool | None = True, category: str | None = None):
    """``SELECT User`` for the people of ``unit``'s subtree, in Vietnamese name order.

    :param unit: the subtree's root
    :param query: a name (accents optional) or staff code to search for
    :param active: only active (True), only inactive (False) or everyone (None)
    :param category: only this staff category
    """
    stmt = select(User).join(OrgUnit, User.unit_id == OrgUnit.id).where(subtree_condition(unit))
    if query:
        key = search_key(query)
        stmt = stmt.where((User.name_key.contains(key, autoescape=True)) | (User.staff_code == query.strip()))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if category:
        stmt = stmt.where(User.category == category)
    return stmt.order_by(User.sort_key, User.id)
