"""One-time passwords of imported accounts: their hash, the printable list per unit, forgetting them.

Design: the plain password is kept in ``one_time_passwords`` only until HR confirms the
printed list was handed out, or the person sets their own password (the row is then
deleted, see :class:`lms.org.models.OneTimePassword`). While it is kept, anyone who can
read the database can read it, so hashing it at the full scrypt cost would buy nothing
and would make a 100,000-person import take hours: it gets a cheap salted PBKDF2 hash.
The password the person chooses at first login is hashed at the full cost as usual.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from sqlalchemy import delete, func, select

from lms.auth.models import User
from lms.core.fonts import FONT_BOLD, FONT_REGULAR, register_fonts
from lms.core.pdf import vn_numeric_date
from lms.extensions import db
from lms.org.models import OneTimePassword, OrgUnit
from lms.org.queries import subtree_condition

HASH_ROUNDS = 10


def cheap_hash(password: str) -> str:
    """A werkzeug-compatible ``pbkdf2:sha256`` hash with few rounds (see the module docstring).

    :param password: a one-time password
    """
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), HASH_ROUNDS).hex()
    return f"pbkdf2:sha256:{HASH_ROUNDS}${salt}${digest}"


@dataclass(frozen=True)
class PrintedPassword:
    staff_code: str
    full_name: str
    unit_name: str
    password: str


def _in_subtree(unit: OrgUnit, *columns):
    return (
        select(*(columns or (OneTimePassword, User, OrgUnit)))
        .select_from(OneTimePassword)
        .join(User, OneTimePassword.user_id == User.id)
        .join(OrgUnit, User.unit_id == OrgUnit.id)
        .where(subtree_condition(unit), User.active, User.must_change_password)
    )


def passwords_to_print(unit: OrgUnit) -> list[PrintedPassword]:
    """The one-time passwords still kept for active people of ``unit``'s subtree, by unit then name."""
    stmt = _in_subtree(unit).order_by(OrgUnit.name, User.sort_key)
    return [PrintedPassword(user.staff_code, user.full_name, unit_.name, otp.password)
            for otp, user, unit_ in db.session.execute(stmt)]


def waiting_passwords(unit: OrgUnit) -> tuple[int, datetime | None]:
    """How many kept passwords of the subtree wait to be printed, and when the newest was made
    (what a confirmation covers), in one query."""
    count, newest = db.session.execute(_in_subtree(unit, func.count(), func.max(OneTimePassword.created_at))).one()
    return count, newest


def forget_printed(unit: OrgUnit, issued_until: datetime) -> int:
    """Delete the kept passwords of ``unit``'s subtree made up to ``issued_until``; returns how many.

    :param unit: the unit whose list was printed
    :param issued_until: the newest creation time shown when the list was printed
    """
    stmt = _in_subtree(unit, OneTimePassword.user_id).where(OneTimePassword.created_at <= issued_until)
    ids = list(db.session.scalars(stmt))
    if ids:
        db.session.execute(delete(OneTimePassword).where(OneTimePassword.user_id.in_(ids)))
    return len(ids)


def render_password_list(unit: OrgUnit, entries: list[PrintedPassword], day: date) -> bytes:
    """A printable A4 list of one-time passwords for ``unit``, in Liberation Serif.

    :param unit: the unit the list is for
    :param entries: the people and their passwords
    :param day: the date printed on the list
    """
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm, initialFontName=FONT_REGULAR,
                                 title=f"Mật khẩu dùng một lần - {unit.name}")
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=17, alignment=1)
    note = ParagraphStyle("note", fontName=FONT_REGULAR, fontSize=10, leading=13)
    story = [
        Paragraph(f"DANH SÁCH MẬT KHẨU DÙNG MỘT LẦN<br/>{_escape(unit.name.upper())}", title),
        Paragraph(f"Ngày in: {vn_numeric_date(day)}. Mỗi người đăng nhập bằng số hiệu và mật khẩu dưới đây, "
                  "rồi phải đổi mật khẩu ngay. Cắt theo dòng và trao tận tay; không gửi qua mạng.", note),
        _table(entries),
    ]
    document.build(story)
    return buffer.getvalue()


def _table(entries: list[PrintedPassword]) -> Table:
    rows = [["STT", "Họ và tên", "Số hiệu", "Đơn vị", "Mật khẩu"]]
    cell = ParagraphStyle("cell", fontName=FONT_REGULAR, fontSize=10, leading=12)
    for number, entry in enumerate(entries, start=1):
        rows.append([str(number), Paragraph(_escape(entry.full_name), cell), entry.staff_code,
                     Paragraph(_escape(entry.unit_name), cell), entry.password])
    table = Table(rows, colWidths=[12 * mm, 52 * mm, 28 * mm, 58 * mm, 30 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_REGULAR, 10),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10),
        ("FONT", (4, 1), (4, -1), FONT_BOLD, 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
