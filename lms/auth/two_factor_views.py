"""Second-factor pages: the code step at login, enrolment, recovery codes, switching it off."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.forms import DisableSecondFactorForm, EnrolForm, NewRecoveryCodesForm, SecondFactorForm
from lms.auth.passwords import verify_password
from lms.auth.session import pending_second_step
from lms.auth.two_factor import (
    check_second_factor,
    disable_totp,
    enable_totp,
    matching_step,
    must_enrol,
    new_secret,
    qr_data_uri,
    replace_recovery_codes,
)
from lms.auth.views import PASSWORD_CHANGE_EXEMPT, finish_login, limit_login_attempts
from lms.core.access import role_required
from lms.extensions import db

bp = Blueprint("two_factor", __name__)

# Endpoints an HR officer or admin who must still enrol may reach.
ENROLMENT_EXEMPT = PASSWORD_CHANGE_EXEMPT | {"two_factor.enrol"}


@bp.before_app_request
def require_enrolment():
    """With ``LMS_REQUIRE_2FA_FOR_STAFF_ROLES``, send HR and admin accounts to enrol first."""
    if current_user.is_authenticated and request.endpoint not in ENROLMENT_EXEMPT and must_enrol(current_user):
        return redirect(url_for("two_factor.enrol"))
    return None


def _pending_account() -> str:
    return f"pending:{session.get('pending_2fa', {}).get('user')}"


@bp.route("/login/verify", methods=["GET", "POST"])
@limit_login_attempts(_pending_account)
def verify():
    """The second login step: the code from the authenticator app, or a recovery code."""
    pending = pending_second_step()
    if pending is None:
        session.pop("pending_2fa", None)
        return redirect(url_for("auth.login"))
    user, next_url = pending
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return render_template("auth/verify.html", form=form)
    if not check_second_factor(user, form.code.data):
        db.session.commit()
        flash(_("Mã xác thực không đúng."), "error")
        return render_template("auth/verify.html", form=form), 401
    return finish_login(user, next_url)


@bp.route("/account/2fa", methods=["GET", "POST"])
@role_required("hr", "admin")
def enrol():
    """Turn on the second factor: scan the QR code (or type the secret), confirm with a code."""
    user = current_user.record
    if user.totp_secret:
        return _manage_page()
    secret = session.setdefault("totp_pending", new_secret())
    form = EnrolForm()
    if form.validate_on_submit():
        if matching_step(secret, form.code.data) is not None:
            codes = enable_totp(user, secret)
            db.session.commit()
            session.pop("totp_pending", None)
            flash(_("Đã bật xác thực hai lớp."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("Mã không đúng; kiểm tra giờ trên điện thoại rồi thử lại."))
    return render_template("auth/enrol.html", form=form, secret=secret, qr=qr_data_uri(user, secret))


def _manage_page(disable_form=None, codes_form=None):
    return render_template(
        "auth/two_factor.html",
        disable_form=disable_form or DisableSecondFactorForm(formdata=None),
        codes_form=codes_form or NewRecoveryCodesForm(formdata=None),
        required=current_app.config["REQUIRE_2FA_FOR_STAFF_ROLES"],
        unused=sum(1 for code in current_user.recovery_codes if code.used_at is None),
    )


@bp.post("/account/2fa/recovery-codes")
@role_required("hr", "admin")
def new_recovery_codes():
    """Replace the recovery codes (the old ones stop working); needs a current code."""
    user = current_user.record
    form = NewRecoveryCodesForm()
    if not user.totp_secret:
        abort(404)
    if form.validate_on_submit() and matching_step(user.totp_secret, form.code.data) is not None:
        codes = replace_recovery_codes(user)
        db.session.commit()
        return render_template("auth/recovery_codes.html", codes=codes)
    form.code.errors.append(_("Mã không đúng."))
    return _manage_page(codes_form=form), 400


@bp.post("/account/2fa/disable")
@role_required("hr", "admin")
def disable():
    """Turn the second factor off (not allowed when the organisation requires it)."""
    user = current_user.record
    form = DisableSecondFactorForm()
    if not user.totp_secret or current_app.config["REQUIRE_2FA_FOR_STAFF_ROLES"]:
        abort(403)
    if (
        form.validate_on_submit()
        and verify_password(user.password_hash, form.password.data)
        and matching_step(user.totp_secret, form.code.data) is not None
    ):
        disable_totp(user)
        db.session.commit()
        flash(_("Đã tắt xác thực hai lớp."), "info")
        return redirect(url_for("auth.security"))
    form.code.errors.append(_("Mật khẩu hoặc mã không đúng."))
    return _manage_page(disable_form=form), 400
