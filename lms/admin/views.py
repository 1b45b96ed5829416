"""Admin pages: the index and the audit log (search, pages, XLSX export)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import func, select

from lms.admin.forms import AuditSearchForm
from lms.admin.models import AuditEvent
from lms.admin.operations import audit
from lms.admin.queries import AuditSearch, search_audit
from lms.admin.export import audit_workbook
from lms.core.access import role_required
from lms.core.forms import BaseForm
from lms.core.models import utcnow
from lms.core.xlsx import XLSX_MIMETYPE
from lms.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50
EXPORT_LIMIT = 100_000


def _search_from(form: AuditSearchForm) -> AuditSearch:
    if not form.validate():
        return AuditSearch()
    return AuditSearch(
        action=form.action.data or "",
        actor=form.actor.data or "",
        unit=form.unit.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.get("/")
@role_required("admin")
def index():
    """The admin start page."""
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    return render_template("admin/index.html", events=events)


@bp.get("/audit")
@role_required("admin")
def audit_log():
    """Search the audit log by action, actor, unit and dates, newest first."""
    form = AuditSearchForm(request.args)
    search = _search_from(form)
    page = db.paginate(search_audit(search), per_page=PER_PAGE, error_out=False)
    filters = {name: request.args.get(name, "") for name in ("action", "actor", "unit", "date_from", "date_to")}
    return render_template("admin/audit.html", form=form, page=page, filters=filters, export_form=BaseForm())


@bp.post("/audit/export")
@role_required("admin")
def audit_export():
    """Download the matching audit events as XLSX (the export is itself audited)."""
    if not BaseForm().validate_on_submit():
        abort(400)
    form = AuditSearchForm(request.form)
    search = _search_from(form)
    events = db.session.scalars(search_audit(search).limit(EXPORT_LIMIT)).all()
    audit("audit.exported", rows=len(events), filters={k: str(v) for k, v in vars(search).items() if v})
    db.session.commit()
    name = f"nhat-ky-{utcnow():%Y%m%d-%H%M}.xlsx"
    return Response(
        audit_workbook(events),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
