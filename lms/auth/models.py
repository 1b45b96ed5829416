"""People and their accounts: every member of staff is a user; roles are granted on units."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.models import TimestampMixin, UTCDateTime, utcnow
from lms.core.text import full_name, name_sort_string, nfc, search_key, search_words
from lms.extensions import db
from lms.org.models import OrgUnit, Posting

CATEGORIES = ("can_bo", "cong_chuc", "vien_chuc", "hop_dong")
GENDERS = ("nam", "nu")
ROLES = ("trainer", "hr", "admin")


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the user."""
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, db.Model):
    """A member of staff and their account.

    The name is stored as họ, tên đệm, tên; ``full_name``, ``name_key`` (search) and
    ``sort_key`` (Vietnamese order) are derived from them by :meth:`set_name`.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"category IS NULL OR category IN {CATEGORIES}", name="category"),
        CheckConstraint(f"gender IS NULL OR gender IN {GENDERS}", name="gender"),
        Index("ix_users_unit_sort", "unit_id", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_code: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Login protection: failures counted in a window that starts at the first failure.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    first_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor (TOTP): the base32 secret once enrolled; the last time step used (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column()

    ho: Mapped[str] = mapped_column(String(60))
    ten_dem: Mapped[str] = mapped_column(String(120), default="")
    ten: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(250))
    name_key: Mapped[str] = mapped_column(String(250), index=True)
    sort_key: Mapped[str] = mapped_column(String(400), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(3))
    category: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)

    unit: Mapped[OrgUnit | None] = relationship()
    postings: Mapped[list[Posting]] = relationship(
        back_populates="user", order_by="Posting.start_date", cascade="all, delete-orphan"
    )
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RecoveryCode.id"
    )
    name_words: Mapped[list[UserNameWord]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<User {self.staff_code} {self.full_name}>"

    def set_name(self, ho: str, ten_dem: str, ten: str) -> None:
        """Store the three name parts (NFC) and derive the full name, search and sort keys."""
        self.ho, self.ten_dem, self.ten = nfc(ho) or "", nfc(ten_dem) or "", nfc(ten) or ""
        self.full_name = full_name(self.ho, self.ten_dem, self.ten)
        self.name_key = search_key(self.full_name)
        self.sort_key = name_sort_string(self.ho, self.ten_dem, self.ten)
        kept = {entry.word: entry for entry in self.name_words}
        self.name_words = [kept.get(word) or UserNameWord(word=word) for word in search_words(self.name_key)]

    def get_id(self) -> str:
        # The token makes a stored session id stale once it changes (logout elsewhere).
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def record(self) -> User:
        """The user itself: ``current_user.record`` is the entity whether or not it is loaded
        (see :class:`lms.auth.session.SessionUser`)."""
        return self

    def roles(self) -> set[str]:
        """Every role the user holds, ``learner`` included."""
        return {"learner", *(grant.role for grant in self.grants)}

    def is_locked(self, now: datetime | None = None) -> bool:
        """Whether repeated login failures keep the account locked at ``now`` (default: now)."""
        return self.locked_until is not None and self.locked_until > (now or utcnow())


class UserNameWord(db.Model):
    """One word of a person's ``name_key``: the index a name search looks words up in by prefix.

    Kept by :meth:`User.set_name`; code that writes users in bulk writes their words with
    :func:`lms.org.bulk.insert_name_words`.
    """

    __tablename__ = "user_name_words"
    # On SQLite the rows live in the primary key's b-tree: one b-tree less to write per word.
    __table_args__ = (Index("ix_user_name_words_word", "word", "user_id"), {"sqlite_with_rowid": False})

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Byte order on PostgreSQL too, so that a prefix is exactly a range of the index.
    word: Mapped[str] = mapped_column(String(120).with_variant(String(120, collation="C"), "postgresql"),
                                      primary_key=True)


class RoleGrant(TimestampMixin, db.Model):
    """A role held by a user; an HR grant names the unit whose subtree it covers."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint("role <> 'hr' OR unit_id IS NOT NULL", name="hr_needs_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    unit: Mapped[OrgUnit | None] = relationship()


class RecoveryCode(db.Model):
    """A one-use code that replaces the TOTP code when the phone is lost (only its hash is kept)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")
