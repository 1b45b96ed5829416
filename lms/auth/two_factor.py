"""The optional second factor for HR and admin accounts: TOTP codes and one-use recovery codes."""

from __future__ import annotations


import pyotp
import segno
from flask import current_app
from pyotp.utils import strings_equal

from lms.admin.operations import audit
from lms.auth.models import RecoveryCode, User
from lms.auth.operations import clear_failures, record_failure
from lms.auth.passwords import hash_password, one_time_password, verify_password
from lms.core.access import has_role
from lms.core.models import utcnow

ISSUER = "LMS Thanh Hoa"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# A code typed a little before or after its 30-second step still counts (phone clock drift).
_DRIFT_STEPS = (0, -1, 1)


def offers_second_factor(user) -> bool:
    """HR and admin accounts may (and, when configured, must) use a second factor."""
    return has_role(user, "hr") or has_role(user, "admin")


def must_enrol(user) -> bool:
    """Whether ``user`` has to enrol before using the application (``LMS_REQUIRE_2FA_FOR_STAFF_ROLES``)."""
    return bool(
        current_app.config["REQUIRE_2FA_FOR_STAFF_ROLES"] and not user.totp_secret and offers_second_factor(user)
    )


def new_secret() -> str:
    return pyotp.random_base32()


def qr_data_uri(user: User, secret: str) -> str:
    """The enrolment QR code as an SVG ``data:`` URI (the CSP allows ``img-src data:``)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.staff_code, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def matching_step(secret: str, code: str, after: int | None = None) -> int | None:
    """The time step whose TOTP equals ``code`` (within one step of drift), if later than ``after``."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    code = (code or "").strip().replace(" ", "")
    for step in (now + drift for drift in _DRIFT_STEPS):
        if (after is None or step > after) and strings_equal(totp.generate_otp(step), code):
            return step
    return None


def enable_totp(user: User, secret: str) -> list[str]:
    """Turn the second factor on with a confirmed secret; returns fresh recovery codes (shown once).

    :param user: the HR or admin account
    :param secret: the base32 secret the user's app now holds
    """
    user.totp_secret, user.totp_last_step = secret, None
    codes = replace_recovery_codes(user)
    audit("auth.2fa_enabled", user, unit_id=user.unit_id)
    return codes


def disable_totp(user: User) -> None:
    """Turn the second factor off and forget its recovery codes.

    :param user: the account
    """
    user.totp_secret, user.totp_last_step = None, None
    user.recovery_codes.clear()
    audit("auth.2fa_disabled", user, unit_id=user.unit_id)


def replace_recovery_codes(user: User) -> list[str]:
    """Give ``user`` a new set of recovery codes (the old ones stop working); only hashes are kept.

    :param user: the account
    """
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes[:] = [RecoveryCode(code_hash=hash_password(_plain(code))) for code in codes]
    audit("auth.recovery_codes_issued", user, unit_id=user.unit_id)
    return codes


def _recovery_code() -> str:
    # Printed and typed back: the one-time passwords' alphabet, without look-alike characters.
    raw = one_time_password(RECOVERY_CODE_LENGTH)
    return f"{raw[:5]}-{raw[5:]}"


def _plain(code: str) -> str:
    """A recovery code as compared: lower case, without the hyphen or spaces people type."""
    return "".join(ch for ch in (code or "").lower() if ch not in "- ")


def check_second_factor(user: User, code: str) -> bool:
    """Whether ``code`` is the current TOTP code or an unused recovery code of ``user``.

    A wrong code counts as a login failure (towards the lock); a locked account is refused.

    :param user: the account that gave the right password
    :param code: what was typed
    """
    now = utcnow()
    if user.is_locked(now):
        audit("auth.locked", user, actor_id=user.id, unit_id=user.unit_id)
        return False
    step = matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
    elif not _use_recovery_code(user, code):
        record_failure(user, now, action="auth.2fa_failed")
        return False
    clear_failures(user)
    return True


def _use_recovery_code(user: User, code: str) -> bool:
    typed = _plain(code)
    if len(typed) != RECOVERY_CODE_LENGTH:  # a mistyped TOTP code: spare ten scrypt checks
        return False
    for recovery in user.recovery_codes:
        if recovery.used_at is None and verify_password(recovery.code_hash, typed):
            recovery.used_at = utcnow()
            audit("auth.recovery_code_used", user, actor_id=user.id, unit_id=user.unit_id)
            return True
    return False
