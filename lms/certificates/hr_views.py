"""HR pages on certificates: bundles for printing (background jobs) and the register."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from lms.certificates import queries
from lms.certificates.forms import BundleForm, RegisterForm
from lms.certificates.jobs import create_bundle_job, job_file, launch
from lms.certificates.models import Certificate, Job
from lms.certificates.register import register_workbook
from lms.core.access import can_see_person, role_required, unit_or_404, unit_scope_condition
from lms.extensions import db
from lms.org.models import OrgUnit

bp = Blueprint("certificates_hr", __name__, url_prefix="/hr/certificates")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_choices() -> list[tuple[int, str]]:
    """The units in force that the current user manages, in tree order."""
    stmt = (select(OrgUnit).where(unit_scope_condition(current_user), OrgUnit.valid_to.is_(None))
            .order_by(OrgUnit.path))
    return [(unit.id, f"{'· ' * unit.depth}{unit.name} ({unit.code})") for unit in db.session.scalars(stmt)]


def _forms() -> tuple[BundleForm, RegisterForm]:
    bundle, register = BundleForm(), RegisterForm(request.args)
    bundle.unit.choices = register.unit.choices = _unit_choices()
    return bundle, register


def _job_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.get("")
@role_required("hr", "admin")
def index():
    """Bundles for printing, the register, and a search by serial."""
    bundle, register = _forms()
    jobs = db.session.scalars(select(Job).where(Job.user_id == current_user.id).order_by(Job.id.desc()).limit(10))
    return render_template("certificates/hr.html", bundle_form=bundle, register_form=register, jobs=list(jobs))


@bp.get("/find")
@role_required("hr", "admin")
def find():
    """Open a certificate by its serial (số hiệu), within the user's scope."""
    serial = request.args.get("serial", "").strip().upper()
    certificate = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
    if certificate is None or not can_see_person(current_user, certificate.user):
        abort(404)
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.post("/bundles")
@role_required("hr", "admin")
def start_bundle():
    """Start building a bundle in the background; the job page shows its progress."""
    form, _register = _forms()
    if not form.validate_on_submit():
        abort(400)
    unit = unit_or_404(current_user, form.unit.data)
    job = create_bundle_job(current_user, unit, subtree=form.subtree.data, merged=form.merged.data)
    db.session.commit()
    launch(job.id)
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
@role_required("hr", "admin")
def job(job_id: int):
    """A bundle job's progress (the page polls it with JavaScript, or reload it)."""
    return render_template("certificates/job.html", job=_job_or_404(job_id))


@bp.get("/jobs/<int:job_id>.json")
@role_required("hr", "admin")
def job_status(job_id: int):
    """A bundle job's progress as JSON, for the page's polling."""
    current = _job_or_404(job_id)
    file_url = url_for(".job_download", job_id=current.id) if current.state == "done" else None
    return {"status": current.state, "done": current.done, "total": current.total,
            "percent": round(current.percent), "file_url": file_url}


@bp.get("/jobs/<int:job_id>/file")
@role_required("hr", "admin")
def job_download(job_id: int):
    """The finished bundle."""
    path = job_file(_job_or_404(job_id))
    if path is None or not path.exists():
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


@bp.get("/register.xlsx")
@role_required("hr", "admin")
def register_export():
    """The register (sổ cấp giấy chứng nhận) of a year and unit, with its subtree, as XLSX."""
    _bundle, form = _forms()
    if not form.validate():
        abort(400)
    unit = unit_or_404(current_user, form.unit.data)
    rows = db.session.scalars(queries.register(form.year.data, unit))
    name = f"so-cap-gcn-{unit.code}-{form.year.data}.xlsx"
    return Response(register_workbook(rows, unit, form.year.data), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
