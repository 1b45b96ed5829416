"""Writes of the admin area: the audit log and its retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import bindparam, text

from lms.admin.models import AuditEvent
from lms.core.models import UTCDateTime, utcnow
from lms.extensions import db


def _request_actor_and_ip() -> tuple[int | None, str | None]:
    if not has_request_context():
        return None, None
    actor = current_user.id if current_user and current_user.is_authenticated else None
    return actor, request.remote_addr


def audit(action: str, obj=None, *, unit_id: int | None = None, actor_id: int | None = None, **details) -> AuditEvent:
    """Append one event to the audit log (flushed with the caller's transaction).

    :param action: dotted event name, e.g. ``auth.login`` or ``staff.import``
    :param obj: the model instance acted on, if any
    :param unit_id: the unit concerned, if any
    :param actor_id: who acted, when not the logged-in user (CLI, login attempts)
    :param details: JSON-serialisable extra facts
    """
    request_actor, ip = _request_actor_and_ip()
    event = AuditEvent(
        action=action,
        actor_id=actor_id if actor_id is not None else request_actor,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None else None,
        unit_id=unit_id,
        ip=ip,
        details=details,
    )
    db.session.add(event)
    return event


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` moved back by whole calendar months (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    next_month = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def prune_audit(*, days: int | None = None, months: int = 12) -> tuple[int, datetime]:
    """Delete the audit events older than the retention period; returns (count, cutoff).

    The only code path that deletes audit rows: a plain SQL ``DELETE`` that bypasses, on
    purpose, the ORM guard keeping the log append-only. The prune itself is then audited.

    :param days: keep this many days (overrides ``months``)
    :param months: keep this many calendar months
    """
    now = utcnow()
    cutoff = now - timedelta(days=days) if days is not None else months_before(now, months)
    statement = text("DELETE FROM audit_events WHERE at < :cutoff").bindparams(
        bindparam("cutoff", type_=UTCDateTime())
    )
    deleted = db.session.execute(statement, {"cutoff": cutoff}).rowcount
    audit("audit.pruned", deleted=deleted, cutoff=cutoff.isoformat())
    return deleted, cutoff
