"""Login, logout and password change."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.admin.operations import audit
from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.operations import authenticate, set_password
from lms.auth.passwords import password_problems, verify_password
from lms.auth.session import start_session
from lms.core.views import safe_next
from lms.extensions import db, limiter

bp = Blueprint("auth", __name__)

# Endpoints a user who must change their password may still reach.
PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "static", "core.healthz", "core.set_language"}


@bp.before_app_request
def require_password_change():
    """Send a user with a one-time password to the change form before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
    ):
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    """Log in with staff code or e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.identifier.data, form.password.data)
        if user is None:
            db.session.commit()
            flash(_("Số hiệu/email hoặc mật khẩu không đúng."), "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()  # a fresh session at login (no fixation)
        login_user(user)
        start_session()
        db.session.commit()
        return redirect(safe_next(form.next.data, url_for("core.home")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out of this browser."""
    audit("auth.logout", current_user, unit_id=current_user.unit_id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (required after a one-time password)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            problems = password_problems(
                form.new_password.data, identifiers=(current_user.staff_code, current_user.email or "")
            )
            if form.new_password.data == form.current_password.data:
                problems.append(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
            form.new_password.errors.extend(problems)
            if not problems:
                return _save_new_password(form.new_password.data)
    return render_template("auth/change_password.html", form=form)


def _save_new_password(password: str):
    user = current_user._get_current_object()
    set_password(user, password)
    audit("auth.password_changed", user, unit_id=user.unit_id)
    db.session.commit()
    login_user(user)  # the token changed, ending other sessions: keep this browser logged in
    flash(_("Đã đổi mật khẩu."), "success")
    return redirect(url_for("core.home"))
