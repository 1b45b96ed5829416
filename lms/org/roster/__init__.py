"""Reading HR staff rosters (XLSX, CSV) into validated rows; see :func:`read_roster`."""

from lms.org.roster.model import CATEGORIES, GENDERS, RosterReadResult, RosterRow, RowError
from lms.org.roster.reader import read_roster

__all__ = ["CATEGORIES", "GENDERS", "RosterReadResult", "RosterRow", "RowError", "read_roster"]
