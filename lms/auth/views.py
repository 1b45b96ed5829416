"""Login (with its limits), logout, password change, ending one's other sessions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.admin.operations import audit
from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.operations import authenticate, end_sessions, record_login, set_password, unlock_account
from lms.auth.passwords import password_problems, verify_password
from lms.auth.session import begin_session, start_second_step
from lms.auth.two_factor import offers_second_factor
from lms.core.access import person_or_404, role_required
from lms.core.forms import BaseForm
from lms.core.text import nfc
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


def _login_failed(response) -> bool:
    # Only failures use up the login limits: a busy office behind one IP can still log in.
    return response.status_code == 401


def _setting(name: str):
    # Read when a request comes, so that tests and deployments can change the limits.
    return lambda: current_app.config[name]


def _typed_account() -> str:
    return "account:" + (nfc(request.form.get("identifier", "")) or "").strip().lower()[:254]


def limit_login_attempts(account_key):
    """Flask-Limiter limits on a login step's POSTs: per IP, and per account as ``account_key()`` names it."""

    def decorate(view):
        per_ip = limiter.limit(_setting("LOGIN_LIMIT_PER_IP"), methods=["POST"], deduct_when=_login_failed)
        per_account = limiter.limit(
            _setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=account_key, methods=["POST"], deduct_when=_login_failed
        )
        return per_ip(per_account(view))

    return decorate


def login_refused(form):
    """The one answer for a wrong password, an unknown or locked account and a wrong code."""
    db.session.commit()
    flash(_("Số hiệu/email hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form), 401


def finish_login(user, next_url: str | None):
    """Start the user's new session, note the login, commit and go on."""
    begin_session(user)
    record_login(user)
    db.session.commit()
    return redirect(safe_next(next_url, url_for("core.home")))


@bp.route("/login", methods=["GET", "POST"])
@limit_login_attempts(_typed_account)
def login():
    """Log in with staff code or e-mail and password (then the second factor, when enrolled)."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    user = authenticate(form.identifier.data, form.password.data)
    if user is None:
        return login_refused(form)
    if user.totp_secret:
        db.session.commit()
        return redirect(start_second_step(user, form.next.data))
    return finish_login(user, form.next.data)


@bp.post("/logout")
@login_required
def logout():
    """Log out: this session and every other session of the account end."""
    user = current_user.record
    end_sessions(user)
    audit("auth.logout", user, unit_id=user.unit_id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account/security")
@login_required
def security():
    """The account's security page: password, second factor, other sessions."""
    return render_template("auth/security.html", form=BaseForm(), offers_2fa=offers_second_factor(current_user))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """Log out everywhere else (another office computer, a phone); this browser stays in."""
    if not BaseForm().validate_on_submit():
        abort(400)
    user = current_user.record
    end_sessions(user)
    audit("auth.sessions_ended", user, unit_id=user.unit_id)
    db.session.commit()
    login_user(user)  # the new token, in this browser only
    flash(_("Đã đăng xuất khỏi mọi thiết bị khác."), "success")
    return redirect(url_for("auth.security"))


@bp.post("/staff/<int:user_id>/unlock")
@role_required("hr", "admin")
def unlock(user_id: int):
    """Lift the lock that repeated login failures put on a person's account."""
    person = person_or_404(current_user, user_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    unlock_account(person, by=current_user)
    db.session.commit()
    flash(_("Đã mở khóa tài khoản của %(name)s.", name=person.full_name), "success")
    return redirect(url_for("org.staff", user_id=person.id))


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
    user = current_user.record
    set_password(user, password)
    audit("auth.password_changed", user, unit_id=user.unit_id)
    db.session.commit()
    login_user(user)  # the token changed, ending other sessions: keep this browser logged in
    flash(_("Đã đổi mật khẩu."), "success")
    return redirect(url_for("core.home"))
