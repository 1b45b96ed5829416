"""Retention: ``flask lms audit prune`` is the one way audit rows are deleted, and it is audited."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.admin.operations import audit, months_before
from lms.core.models import utcnow
from lms.extensions import db


def _event_at(action, at):
    event = audit(action)
    event.at = at
    db.session.commit()


def test_prune_deletes_only_events_older_than_the_days_given(runner, app_ctx):
    _event_at("old.event", utcnow() - timedelta(days=31))
    _event_at("recent.event", utcnow() - timedelta(days=29))
    result = runner.invoke(args=["lms", "audit", "prune", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "Đã xóa 1 sự kiện" in result.output
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["recent.event", "audit.pruned"]
    pruned = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.pruned")).one()
    assert pruned.details["deleted"] == 1


def test_prune_defaults_to_the_configured_months(app, runner, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_RETENTION_MONTHS", 12)
    _event_at("old.event", utcnow() - timedelta(days=370))
    _event_at("kept.event", utcnow() - timedelta(days=350))
    assert runner.invoke(args=["lms", "audit", "prune"]).exit_code == 0
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["kept.event", "audit.pruned"]


def test_months_before_keeps_the_day_or_the_last_of_the_month():
    moment = datetime(2025, 3, 31, 10, 0, tzinfo=timezone.utc)
    assert months_before(moment, 1) == datetime(2025, 2, 28, 10, 0, tzinfo=timezone.utc)
    assert months_before(moment, 12) == datetime(2024, 3, 31, 10, 0, tzinfo=timezone.utc)
    assert months_before(datetime(2025, 1, 15, tzinfo=timezone.utc), 13) == datetime(2023, 12, 15, tzinfo=timezone.utc)
