"""Flask-Login wiring: loading users by id and session token, the second step, idle and absolute timeouts."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user, login_user, logout_user
from sqlalchemy import bindparam, select

from lms.auth.models import RoleGrant, User
from lms.extensions import db, login_manager

# Time allowed between the password and the second-factor code.
SECOND_STEP_MINUTES = 5
# The idle clock is restamped at most this often: the session cookie is then re-signed and
# re-sent about once a minute of activity, not on every request (idle limits are in minutes).
SEEN_AT_STEP_SECONDS = 60

# What every request reads of the logged-in user, roles included, in one Core query: loading
# the ORM entity and its grants cost as much as the rest of a lesson page's queries. Built once.
_SESSION_USER = (
    select(User.id, User.session_token, User.active, User.staff_code, User.full_name, User.unit_id,
           User.must_change_password, User.totp_secret, RoleGrant.role)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(User.id == bindparam("user_id"))
)


class SessionUser(UserMixin):
    """The logged-in user of one request (``current_user``): reads like a :class:`User`.

    The columns every page needs (name, unit, flags) and the roles come from one Core query.
    Reading any other attribute loads the :class:`User` entity (one more query), and once it is
    loaded every attribute is read from it. The object itself is read-only: to change the user,
    or to hand it to the ORM or the audit log, use :attr:`record`, the entity (a :class:`User`
    has ``record`` too, so code written for ``current_user`` serves both). The roles are those
    granted when the request began.
    """

    def __init__(self, row, roles: frozenset[str]):
        object.__setattr__(self, "_columns", row._asdict())
        object.__setattr__(self, "_roles", roles)
        object.__setattr__(self, "_record", None)

    @property
    def record(self) -> User:
        """The user as an ORM entity, loaded on first use."""
        if self._record is None:
            object.__setattr__(self, "_record", db.session.get(User, self._columns["id"]))
        return self._record

    def __getattr__(self, name: str):
        if name.startswith("_"):  # the ORM's and Python's own probes never load the user
            raise AttributeError(name)
        if self._record is None and name in self._columns:
            return self._columns[name]
        return getattr(self.record, name)

    def __setattr__(self, name: str, _value) -> None:
        raise AttributeError(f"current_user is read-only: set current_user.record.{name}")

    def __repr__(self) -> str:
        return f"<SessionUser {self._columns['id']} {self._columns['staff_code']}>"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def roles(self) -> frozenset[str]:
        """Every role the user holds, ``learner`` included (as :meth:`User.roles`)."""
        return self._roles


def load_user(session_id: str) -> SessionUser | None:
    """The user whose id *and* current session token match the stored session id."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    # On the session's connection, without the ORM: plain columns need none of its work.
    rows = db.session.connection().execute(_SESSION_USER, {"user_id": int(user_id)}).all()
    if not rows or rows[0].session_token != token or not rows[0].active:
        return None
    return SessionUser(rows[0], frozenset({"learner", *(row.role for row in rows if row.role)}))


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
