"""Account writes: authentication and lockout, passwords, role grants, ending sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select

from lms.admin.operations import audit
from lms.auth.models import RoleGrant, User, new_session_token
from lms.auth.passwords import hash_password, one_time_password, verify_password
from lms.core.models import utcnow
from lms.core.text import nfc
from lms.extensions import db
from lms.org.events import staff_changed
from lms.org.models import OrgUnit


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against a real hash when the account is unknown keeps the response
    # time the same, so timing does not tell whether an account exists.
    return hash_password("not-a-real-password")


def find_account(identifier: str) -> User | None:
    """The user whose staff code or e-mail (case-insensitive) is ``identifier``."""
    identifier = nfc(identifier) or ""
    if "@" in identifier:
        stmt = select(User).where(func.lower(User.email) == identifier.lower())
    else:
        stmt = select(User).where(User.staff_code == identifier)
    return db.session.scalars(stmt).first()


def authenticate(identifier: str, password: str) -> User | None:
    """The active, unlocked user for these credentials, or ``None``; every outcome is audited.

    A locked account answers exactly as a wrong password (no enumeration); the audit log
    tells them apart (``auth.locked``).

    :param identifier: staff code or e-mail
    :param password: the password typed
    """
    user = find_account(identifier)
    now = utcnow()
    if user is None:
        verify_password(_dummy_hash(), password)
        audit("auth.login_failed", actor_id=None, identifier=identifier[:100])
        return None
    if user.is_locked(now):
        verify_password(_dummy_hash(), password)
        audit("auth.locked", user, actor_id=user.id, unit_id=user.unit_id)
        return None
    if not user.active or not verify_password(user.password_hash, password):
        record_failure(user, now)
        return None
    clear_failures(user)
    return user


def record_login(user: User) -> None:
    """Note a completed login (after the second factor, when there is one).

    :param user: who logged in
    """
    user.last_login_at = utcnow()
    audit("auth.login", user, actor_id=user.id, unit_id=user.unit_id)


def record_failure(user: User, now: datetime, action: str = "auth.login_failed") -> None:
    """Count a failed attempt; lock the account when the failures reach the limit in the window.

    :param user: the account attacked or mistyped
    :param now: the time of the attempt
    :param action: the audit action (a wrong password, a wrong second-factor code)
    """
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    if user.first_failed_login_at is None or now - user.first_failed_login_at > window:
        user.failed_logins, user.first_failed_login_at = 0, now
    user.failed_logins += 1
    audit(action, user, actor_id=user.id, unit_id=user.unit_id, failures=user.failed_logins)
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
        user.failed_logins, user.first_failed_login_at = 0, None
        audit("auth.lockout", user, actor_id=user.id, unit_id=user.unit_id, until=user.locked_until.isoformat())


def clear_failures(user: User) -> None:
    """Forget past failures and any lock (a successful login, an unlock)."""
    user.failed_logins, user.first_failed_login_at, user.locked_until = 0, None, None


def unlock_account(user: User, *, by: User) -> None:
    """Lift a lock before it expires.

    :param user: the locked account
    :param by: the HR officer or admin doing it
    """
    clear_failures(user)
    audit("auth.unlocked", user, unit_id=user.unit_id, actor_id=by.id)


def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    """Store a new password and end the user's other sessions.

    :param user: the account
    :param password: the new password (already checked against the policy)
    :param must_change: force a change at next login (one-time passwords)
    """
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.session_token = new_session_token()


def reset_password(user: User, *, by: User | None = None) -> str:
    """Give ``user`` a one-time password (to hand out on paper); returns it.

    :param user: the account whose password is reset
    :param by: the HR officer or admin doing it
    """
    password = one_time_password()
    set_password(user, password, must_change=True)
    audit("auth.password_reset", user, unit_id=user.unit_id, actor_id=by.id if by else None)
    return password


def end_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (logout everywhere, deactivation)."""
    user.session_token = new_session_token()


def deactivate_account(user: User, *, by: User | None = None) -> None:
    """Close an account (someone who left): it can no longer log in and its sessions end.

    :param user: the account
    :param by: the HR officer or admin doing it
    """
    user.active = False
    end_sessions(user)
    audit("auth.deactivated", user, unit_id=user.unit_id, actor_id=by.id if by else None)
    staff_changed.send(None, users=[user])  # a leaver leaves the training targets' denominators


def grant_role(user: User, role: str, unit: OrgUnit | None = None, *, by: User | None = None) -> RoleGrant:
    """Grant ``role`` (on ``unit`` for HR) unless the user already holds that grant.

    :param user: who receives the role
    :param role: ``trainer``, ``hr`` or ``admin``
    :param unit: the unit whose subtree an HR grant covers
    :param by: who grants it
    """
    unit_id = unit.id if unit is not None else None
    for grant in user.grants:
        if grant.role == role and grant.unit_id == unit_id:
            return grant
    grant = RoleGrant(role=role, unit=unit, granted_by_id=by.id if by else None)
    user.grants.append(grant)
    audit("auth.role_granted", user, unit_id=unit_id, actor_id=by.id if by else None, role=role)
    return grant
