"""Certificate pages: download, detail (revoke, reissue) and the public verification."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.certificates import codes, queries
from lms.certificates.forms import ReasonForm, VerifyCodeForm, VerifyFileForm
from lms.certificates.models import Certificate
from lms.certificates.operations import reissue_certificate, revoke_certificate
from lms.certificates.storage import stored_pdf
from lms.core.access import can_see_person, is_admin, role_required
from lms.core.uploads import sniff_content_type
from lms.extensions import db, limiter

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config["LMS_CERT_VERIFY_LIMIT"]


# One budget per IP for every way of asking, so codes cannot be enumerated.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def certificate_or_404(viewer, certificate_id: int) -> Certificate:
    """The certificate if ``viewer`` may see it: its holder while it is valid, HR of the
    holder's unit and admin always; anyone else gets 404, as if it did not exist."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not can_see_person(viewer, certificate.user):
        abort(404)
    if certificate.user_id == viewer.id and certificate.status != "valid" and not is_admin(viewer):
        abort(404)
    return certificate


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int):
    """The stored PDF, served only when its SHA-256 matches the record."""
    certificate = certificate_or_404(current_user, certificate_id)
    pdf = stored_pdf(certificate)
    if pdf is None:
        current_app.logger.error("certificate %s: stored PDF missing or altered "
                                 "(run flask lms certificates verify-storage)", certificate.serial)
        abort(500)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{certificate.serial}.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/certificates/<int:certificate_id>")
@login_required
def detail(certificate_id: int):
    """A certificate's record; admins revoke or reissue it from here."""
    certificate = certificate_or_404(current_user, certificate_id)
    return render_template("certificates/detail.html", certificate=certificate,
                           form=ReasonForm(), code=codes.display(certificate.verification_code))


def _reason() -> str | None:
    form = ReasonForm()
    if form.validate_on_submit():
        return form.reason.data.strip()
    flash(_("Cần ghi rõ lý do."), "error")
    return None


@bp.post("/certificates/<int:certificate_id>/revoke")
@role_required("admin")
def revoke(certificate_id: int):
    """Revoke a valid certificate (fraud, error), with a reason shown on verification."""
    certificate = certificate_or_404(current_user, certificate_id)
    reason = _reason()
    if reason and certificate.status == "valid":
        revoke_certificate(certificate, reason)
        db.session.commit()
        flash(_("Đã thu hồi giấy chứng nhận %(serial)s.", serial=certificate.serial), "success")
    return redirect(url_for(".detail", certificate_id=certificate.id))


@bp.post("/certificates/<int:certificate_id>/reissue")
@role_required("admin")
def reissue(certificate_id: int):
    """Replace a valid certificate by a new one with the holder's current details."""
    certificate = certificate_or_404(current_user, certificate_id)
    reason = _reason()
    if not reason or certificate.status != "valid":
        return redirect(url_for(".detail", certificate_id=certificate.id))
    new = reissue_certificate(certificate, reason)
    db.session.commit()
    flash(_("Đã cấp lại: giấy chứng nhận mới số %(serial)s.", serial=new.serial), "success")
    return redirect(url_for(".detail", certificate_id=new.id))


@bp.route("/verify", methods=["GET", "POST"])
@verify_limit
def verify():
    """Check a certificate by its code (typed) or by its PDF file (uploaded)."""
    code_form, file_form = VerifyCodeForm(request.args), VerifyFileForm()
    if request.args.get("code") is not None:
        code = codes.normalise(request.args["code"])
        if code:
            return redirect(url_for(".verify_code", code=code))
        return _not_found(code_form, file_form)
    if request.method == "POST":
        if not file_form.validate_on_submit():
            abort(400)
        return _verify_file(code_form, file_form)
    return render_template("certificates/verify.html", code_form=code_form, file_form=file_form)


def _not_found(code_form, file_form):
    return render_template("certificates/verify.html", code_form=code_form, file_form=file_form,
                           not_found=True), 404


def _verify_file(code_form, file_form):
    data = file_form.pdf.data.read()
    certificate = None
    if sniff_content_type(data) == "application/pdf":
        certificate = queries.by_sha256(hashlib.sha256(data).hexdigest())
    return render_template("certificates/verify.html", code_form=code_form, file_form=file_form,
                           certificate=certificate, file_checked=True, file_matches=certificate is not None)


@bp.get("/verify/<code>")
@verify_limit
def verify_code(code: str):
    """The public record of a certificate: status, holder, course, issue date, serial."""
    certificate = queries.by_code(codes.normalise(code))
    if certificate is None:
        return _not_found(VerifyCodeForm(), VerifyFileForm())
    return render_template("certificates/verify.html", code_form=VerifyCodeForm(), file_form=VerifyFileForm(),
                           certificate=certificate)
