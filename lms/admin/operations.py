"""Writes of the admin area: the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from lms.admin.models import AuditEvent
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
