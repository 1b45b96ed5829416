"""Reads of the admin area: the audit log search shared by the page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.core.text import search_key
from lms.extensions import db
from lms.org.models import OrgUnit


@dataclass(frozen=True)
class AuditSearch:
    """What the admin searches for; empty fields do not filter."""

    action: str = ""
    actor: str = ""
    unit: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _local_midnight_utc(day: date) -> datetime:
    # Days are the user's days (Asia/Ho_Chi_Minh), not UTC ones.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), zone)


def _actor_condition(text: str):
    actor = aliased(User)
    key = search_key(text)
    matches = select(actor.id).where(
        or_(actor.staff_code == text, func.lower(actor.email) == text.lower(), actor.name_key.contains(key, autoescape=True))
    )
    return AuditEvent.actor_id.in_(matches)


def _unit_condition(code: str):
    paths = list(db.session.scalars(select(OrgUnit.path).where(OrgUnit.code == code)))
    if not paths:
        return false()
    below = select(OrgUnit.id).where(or_(*(OrgUnit.path.startswith(path) for path in paths)))
    return AuditEvent.unit_id.in_(below)


def search_audit(search: AuditSearch) -> Select:
    """``SELECT AuditEvent`` matching ``search``, newest first, with actor and unit loaded.

    :param search: the filters; ``action`` matches a prefix (``auth`` finds every ``auth.*``)
    """
    stmt = select(AuditEvent).options(selectinload(AuditEvent.actor), selectinload(AuditEvent.unit))
    if search.action:
        stmt = stmt.where(AuditEvent.action.startswith(search.action.strip(), autoescape=True))
    if search.actor:
        stmt = stmt.where(_actor_condition(search.actor.strip()))
    if search.unit:
        stmt = stmt.where(_unit_condition(search.unit.strip()))
    if search.date_from:
        stmt = stmt.where(AuditEvent.at >= _local_midnight_utc(search.date_from))
    if search.date_to:
        stmt = stmt.where(AuditEvent.at < _local_midnight_utc(search.date_to + timedelta(days=1)))
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
