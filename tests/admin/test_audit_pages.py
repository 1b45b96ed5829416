"""The admin's audit log pages: search by action, actor, unit and dates; pages; XLSX export."""

from datetime import datetime, timedelta, timezone
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.admin.operations import audit
from lms.extensions import db


@pytest.fixture
def admin_browser(app, province, make_person, login):
    admin = make_person(province, "Quản Trị Viên", staff_code="A0001", roles=["admin"])
    return login(admin, app.test_client())


def _event(action, *, actor=None, unit=None, at=None, **details):
    event = audit(action, actor, actor_id=actor.id if actor else None, unit_id=unit.id if unit else None, **details)
    if at is not None:
        event.at = at
    db.session.commit()
    return event


def test_only_admins_see_the_audit_log(app, province, make_person, login):
    hr = make_person(province, roles=[("hr", province)])
    assert login(hr, app.test_client()).get("/admin/audit").status_code == 403
    assert app.test_client().get("/admin/audit").status_code == 302


def test_search_by_action_actor_unit_and_dates(admin_browser, province, make_unit, make_person):
    commune = make_unit("14797", "Phường Hạc Thành", parent=province)
    village = make_unit("14797-01", "Tổ dân phố 1", kind="office", parent=commune)
    hoa = make_person(commune, "Lê Thị Hoa", staff_code="H001")
    binh = make_person(province, "Trần Văn Bình", staff_code="B001")
    _event("staff.import", actor=hoa, unit=village, at=datetime(2025, 3, 10, 3, 0, tzinfo=timezone.utc))
    _event("auth.role_granted", actor=binh, unit=province, at=datetime(2025, 3, 12, 18, 0, tzinfo=timezone.utc))

    def rows(**query):
        page = admin_browser.get("/admin/audit", query_string=query).get_data(as_text=True)
        return page.count("<tr>") - 1  # minus the header row

    assert rows(action="staff") == 1
    assert rows(actor="le thi hoa") == 1 and rows(actor="B001") == 1
    assert rows(unit="14797") == 1  # the commune and the units below it
    assert rows(date_from="2025-03-13", date_to="2025-03-13") == 1  # 18:00 UTC is 01:00 on the 13th in Vietnam
    assert rows(date_from="2025-03-10", date_to="2025-03-10", action="staff") == 1


def test_the_log_is_paged(admin_browser, app_ctx):
    for n in range(55):
        audit("test.event", n=n)
    db.session.commit()
    first = admin_browser.get("/admin/audit").get_data(as_text=True)
    assert 'rel="next"' in first
    second = admin_browser.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count("test.event") == 5


def test_export_is_xlsx_with_formulas_neutralised_and_is_audited(admin_browser, province, make_person):
    evil = make_person(province, "=HYPERLINK(\"http://x\") Văn", staff_code="=1+1")
    _event("staff.import", actor=evil, file="@SUM(A1)", unit=province)
    response = admin_browser.post_form("/admin/audit/export", {"action": "staff"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.data)).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'=1+1" in values and any(str(v).startswith("'=HYPERLINK") for v in values)
    assert sheet.max_row == 2
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")).one()
    assert exported.details["rows"] == 1 and exported.details["filters"] == {"action": "staff"}


def test_export_needs_csrf(admin_browser, app_ctx):
    assert admin_browser.post("/admin/audit/export").status_code == 400


def test_the_admin_index_links_the_audit_log(admin_browser, app_ctx):
    page = admin_browser.get("/admin/").get_data(as_text=True)
    assert "/admin/audit" in page


def test_the_application_cannot_change_or_delete_audit_rows(app_ctx):
    event = _event("test.event")
    event.action = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).at > datetime.now(timezone.utc) - timedelta(minutes=5)
