"""What reading a roster file produces: rows, errors and what was found in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lms.core.text import full_name

GENDERS = ("nam", "nu")
CATEGORIES = ("can_bo", "cong_chuc", "vien_chuc", "hop_dong")


@dataclass(slots=True)
class RowError:
    """A problem found in the file.

    ``row`` is the row number as Excel shows it and ``column`` the header text as it
    appears in the file; both are ``None`` for a problem with the whole file (not a
    spreadsheet, no header row), and ``column`` alone for a problem with a whole row.
    """

    row: int | None
    column: str | None
    message: str


@dataclass(slots=True)
class RosterRow:
    """One person as read from the file, values NFC-cleaned, ``None`` when absent.

    A value that failed validation is ``None`` here and has a :class:`RowError`.
    """

    number: int
    staff_code: str | None = None
    ho: str | None = None
    ten_dem: str | None = None
    ten: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    position: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    email: str | None = None
    phone: str | None = None
    category: str | None = None
    level: str | None = None

    @property
    def full_name(self) -> str:
        """The name as Vietnamese writes it: họ, tên đệm, tên."""
        return full_name(self.ho, self.ten_dem, self.ten)


@dataclass
class RosterReadResult:
    """Rows and errors of one roster file.

    ``columns`` maps each recognised field to its header text; ``legacy_encoding``
    is ``"tcvn3"`` or ``"vni"`` when text was converted from an old font encoding.
    """

    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    legacy_encoding: str | None = None
