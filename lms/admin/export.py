"""The audit log as a spreadsheet (cells neutralised by :mod:`lms.core.xlsx`)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask_babel import format_datetime
from flask_babel import gettext as _

from lms.admin.models import AuditEvent
from lms.core.xlsx import workbook_bytes


def _row(event: AuditEvent) -> list:
    actor = event.actor
    return [
        format_datetime(event.at, "dd/MM/yyyy HH:mm:ss"),
        actor.full_name if actor else "",
        actor.staff_code if actor else "",
        event.action,
        event.object_type or "",
        event.object_id or "",
        f"{event.unit.code} {event.unit.name}" if event.unit else "",
        event.ip or "",
        json.dumps(event.details, ensure_ascii=False) if event.details else "",
    ]


def audit_workbook(events: Iterable[AuditEvent]) -> bytes:
    """An XLSX file of ``events``, one row each, times in the configured time zone."""
    header = [_("Thời gian"), _("Người thực hiện"), _("Số hiệu"), _("Hành động"), _("Đối tượng"),
              _("Mã đối tượng"), _("Đơn vị"), _("Địa chỉ IP"), _("Chi tiết")]
    return workbook_bytes([(_("Nhật ký"), header, (_row(event) for event in events))])
