"""Public entry point for reading HR staff rosters; the code lives in :mod:`lms.org.roster`."""

from lms.org.roster import CATEGORIES, GENDERS, RosterReadResult, RosterRow, RowError, read_roster

__all__ = ["CATEGORIES", "GENDERS", "RosterReadResult", "RosterRow", "RowError", "read_roster"]
