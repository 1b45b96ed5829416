"""Languages (Vietnamese by default, English on request), dates as dd/mm/yyyy in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, session
from flask_babel import get_locale, get_translations, to_user_timezone
from jinja2 import pass_eval_context
from markupsafe import Markup

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


# Translations without variables, by (locale, autoescape, message): the catalogues do not
# change while the app runs, and a page asks for a dozen such constants. Templates pass
# literal messages only; the bound keeps a template that one day translates data from
# growing it without end.
_constant_texts: dict[tuple[str, bool, str], str] = {}
_CONSTANT_TEXTS_MAX = 20_000


def template_gettext():
    """``_`` for one template render, bound to the request's catalogue at its first call.

    Flask-Babel's own ``_`` looks the catalogue up again on every call (a dozen context-local
    lookups), and a page calls it 20 to 100 times. This one behaves as Jinja's "newstyle"
    gettext that it replaces: Markup under autoescape, always %-formatted with the keywords;
    a message without keywords is translated once per process.
    """
    catalogue = None
    locale = str(get_locale())

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables) -> str:
        nonlocal catalogue
        key = (locale, eval_ctx.autoescape, string)
        if not variables:
            text = _constant_texts.get(key)
            if text is not None:
                return text
        if catalogue is None:
            catalogue = get_translations()
        text = catalogue.ugettext(string)
        if eval_ctx.autoescape:
            text = Markup(text)
        text = text % variables
        if not variables and len(_constant_texts) < _CONSTANT_TEXTS_MAX:
            _constant_texts[key] = text
        return text

    return gettext


# Digits only, so no locale data is needed: formatted directly (Babel's pattern formatting cost
# ten times as much, on pages that list dozens of dates).
def vn_date(value: date | datetime | None) -> str:
    """``dd/mm/yyyy`` (datetimes are shown in the configured time zone; naive ones are UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def vn_datetime(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:mm`` in the configured time zone (naive datetimes are UTC)."""
    if value is None:
        return ""
    local = to_user_timezone(value)
    return f"{vn_date(local.date())} {local.hour:02d}:{local.minute:02d}"
