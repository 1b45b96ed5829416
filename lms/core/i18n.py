"""Languages (Vietnamese by default, English on request), dates as dd/mm/yyyy in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, session
from flask_babel import format_date, format_datetime

from lms.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """The language chosen in the session, else the default (Vietnamese)."""
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_babel(app: Flask) -> None:
    """Initialise Flask-Babel with the project's catalogues.

    :param app: the application
    """
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS_DIR))


def vn_date(value: date | datetime | None) -> str:
    """``dd/mm/yyyy`` (datetimes are shown in the configured time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def vn_datetime(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:mm`` in the configured time zone."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")
