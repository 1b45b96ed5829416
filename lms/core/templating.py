"""Template globals: the role menu, date filters, the language switch, a remembering ``url_for``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from lms.core.access import roles_of
from lms.core.i18n import template_gettext, vn_date, vn_datetime


@dataclass(frozen=True)
class MenuItem:
    label: object
    endpoint: str
    role: str


# Each area adds its pages here; an entry whose endpoint is not registered is not shown.
MENU: list[MenuItem] = [
    MenuItem(_l("Học tập"), "learning.dashboard", "learner"),
    MenuItem(_l("Khóa học"), "learning.catalogue", "learner"),
    MenuItem(_l("Soạn bài giảng"), "authoring.courses", "trainer"),
    MenuItem(_l("Tiến độ đơn vị"), "reports.dashboard", "hr"),
    MenuItem(_l("Kế hoạch bồi dưỡng"), "targets.index", "hr"),
    MenuItem(_l("Đơn vị"), "org.units", "hr"),
    MenuItem(_l("Cán bộ"), "org.staff_list", "hr"),
    MenuItem(_l("Giấy chứng nhận"), "certificates_hr.index", "hr"),
    MenuItem(_l("Quản trị"), "admin.index", "admin"),
]


# Highest first.
ROLE_NAMES = {"admin": _l("Quản trị"), "hr": _l("Tổ chức cán bộ"), "trainer": _l("Giảng viên"), "learner": _l("Học viên")}


@lru_cache(maxsize=8)
def _labels(locale: str) -> tuple[dict[str, str], dict[str, str]]:
    """The menu labels by endpoint and the role names by role, in ``locale``.

    Called with ``locale`` active; the catalogues do not change while the app runs, so each page
    reuses them instead of translating every lazy string again (one catalogue lookup each).
    """
    return {item.endpoint: str(item.label) for item in MENU}, {role: str(name) for role, name in ROLE_NAMES.items()}


# url_for's options: a URL built with any of them is not remembered.
_URL_OPTIONS = frozenset({"_anchor", "_method", "_scheme", "_external"})


@lru_cache(maxsize=4096)
def _built_url(_script_root: str, endpoint: str, values: tuple, _types: tuple) -> str:
    return url_for(endpoint, **dict(values))


def remembered_url_for(endpoint: str, **values) -> str:
    """``url_for`` for templates, building each distinct URL once per process.

    A page builds a dozen URLs and Werkzeug's builder costs a few microseconds each; the URL
    of an endpoint and its values never changes while the app runs (the URL map is fixed and
    no ``url_defaults`` are registered), except by the script root, which is in the key.
    Relative endpoints, url_for's options (``_external``…) and unhashable values are built
    every time. Values are keyed with their types (``1`` and ``True`` hash alike).
    """
    if endpoint[0] != "." and _URL_OPTIONS.isdisjoint(values) and has_request_context():
        try:
            return _built_url(request.script_root, endpoint, tuple(values.items()), tuple(map(type, values.values())))
        except TypeError:  # an unhashable value: built below
            pass
    return url_for(endpoint, **values)


def menu_for(user) -> tuple[tuple[str, str, bool], ...]:
    """``(label, url, active)`` for the menu entries ``user`` may use."""
    roles = roles_of(user)
    if not roles:
        return ()
    return _menu(str(get_locale()), frozenset(roles), request.endpoint, request.script_root)


@lru_cache(maxsize=256)
def _menu(locale: str, roles: frozenset[str], endpoint: str | None, _script_root: str) -> tuple[tuple[str, str, bool], ...]:
    """The menu of a set of roles on one page: it depends on nothing else (built once each)."""
    views, labels = current_app.view_functions, _labels(locale)[0]
    return tuple((labels[item.endpoint], remembered_url_for(item.endpoint), endpoint == item.endpoint)
                 for item in MENU if item.endpoint in views and item.role in roles)


def role_names(user) -> list[str]:
    """The user's roles in words, highest first."""
    roles = roles_of(user)
    return [name for role, name in _labels(str(get_locale()))[1].items() if role in roles] if roles else []


def _per_render() -> dict:
    """What each template render gets afresh: ``_`` bound to the request's language, and
    ``csrf_token()`` computed once (Flask-WTF's looks the token up again on every call, and a
    page has up to four forms)."""
    token = None

    def csrf_token() -> str:
        nonlocal token
        if token is None:
            token = generate_csrf()
        return token

    return {"_": template_gettext(), "csrf_token": csrf_token}


def register(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.globals.update(menu_for=menu_for, role_names=role_names, get_locale=get_locale, url_for=remembered_url_for)
    app.context_processor(_per_render)  # after Flask-WTF's, whose csrf_token it replaces
    # The shared macros as a global module built once: an ``{% import %}`` costs every render,
    # and every included course card, a comparison of the template globals (about 10 µs).
    app.jinja_env.globals["macros"] = app.jinja_env.get_template("_macros.html").module
    if any(app.url_default_functions.values()):  # would make a URL depend on more than its endpoint and values
        raise RuntimeError("remembered_url_for does not know url_defaults: remove them or this cache")
