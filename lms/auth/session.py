"""Flask-Login wiring: loading users by id and session token, the second step, idle and absolute timeouts."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from lms.auth.models import RoleGrant, User
from lms.extensions import db, login_manager

# Time allowed between the password and the second-factor code.
SECOND_STEP_MINUTES = 5
# The idle clock is restamped at most this often: the session cookie is then re-signed and
# re-sent about once a minute of activity, not on every request (idle limits are in minutes).
SEEN_AT_STEP_SECONDS = 60

# Built once: every request runs it, and building it again costs as much as running it. The
# grants come in the same query, every page's menu and access checks read them: as (user, grant)
# rows, cheaper than a joined eager load (its loader machinery and uniquing cost 0.03 ms a request).
_USER_AND_GRANTS = (
    select(User, RoleGrant).outerjoin(RoleGrant, RoleGrant.user_id == User.id).where(User.id == bindparam("user_id"))
)


def load_user(session_id: str) -> User | None:
    """The user whose id *and* current session token match the stored session id."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    rows = db.session.execute(_USER_AND_GRANTS, {"user_id": int(user_id)}).all()
    user = rows[0][0] if rows else None
    if user is None or not token or user.session_token != token or not user.active:
        return None
    if "grants" in inspect(user).unloaded:  # as an eager load: a collection already loaded is kept
        set_committed_value(user, "grants", [grant for _, grant in rows if grant is not None])
    return user


def begin_session(user: User) -> None:
    """Log ``user`` in on a brand-new session (no fixation), stamped for the timeouts."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = True


def start_second_step(user: User, next_url: str | None) -> str:
    """Remember, in a fresh session, who gave the right password; returns the code page's URL."""
    session.clear()
    session["pending_2fa"] = {"user": user.id, "token": user.session_token, "at": int(time.time()), "next": next_url or ""}
    return url_for("two_factor.verify")


def pending_second_step() -> tuple[User, str] | None:
    """The user waiting to type their code and where they were going, unless it went stale."""
    pending = session.get("pending_2fa")
    if not pending or time.time() - pending["at"] > SECOND_STEP_MINUTES * 60:
        return None
    user = db.session.get(User, pending["user"])
    if user is None or not user.active or not user.totp_secret or user.session_token != pending["token"]:
        return None
    return user, pending["next"]


def _expired(now: int) -> bool:
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    return now - session.get("seen_at", now) > idle or now - session.get("login_at", now) > absolute


def enforce_timeouts() -> None:
    """Log out a session idle for too long or older than the absolute limit."""
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    if _expired(now):
        logout_user()
        session.clear()
        flash(_l("Phiên làm việc đã hết hạn, vui lòng đăng nhập lại."), "info")
        return
    if now - session.get("seen_at", 0) >= SEEN_AT_STEP_SECONDS:
        session["seen_at"] = now


def init_login(app: Flask) -> None:
    """Configure Flask-Login for the app.

    :param app: the application
    """
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_timeouts)
