"""Password policy and hashing (scrypt via werkzeug)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
# No look-alike characters (0/O, 1/l/I): one-time passwords are read off paper.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, identifiers: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a new password (empty when acceptable).

    :param password: the candidate password
    :param identifiers: the account's staff code and e-mail, which it may not equal
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Mật khẩu dài quá %(n)d ký tự.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in _common_passwords() or any(lowered == (i or "").lower() for i in identifiers):
        problems.append(_("Mật khẩu này quá phổ biến hoặc dễ đoán, hãy chọn mật khẩu khác."))
    return problems


def hash_password(password: str) -> str:
    """Hash with scrypt (parameters from ``PASSWORD_HASH_METHOD``; tests use cheaper ones)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    return bool(password_hash) and check_password_hash(password_hash, password)


def one_time_password(length: int = 10) -> str:
    """A random password to hand out on paper; it must be changed at first login."""
    # One uniform draw written in the alphabet's base: the same distribution as a
    # secrets.choice per letter, four times faster (roster imports make 100,000 at once).
    number = secrets.randbelow(len(_OTP_ALPHABET) ** length)
    letters = []
    for _position in range(length):
        number, index = divmod(number, len(_OTP_ALPHABET))
        letters.append(_OTP_ALPHABET[index])
    return "".join(letters)
