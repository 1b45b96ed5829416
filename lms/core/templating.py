"""Template globals: the role menu, date filters, the language switch."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core.access import roles_of
from lms.core.i18n import vn_date, vn_datetime


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


def menu_for(user) -> list[tuple[str, str, bool]]:
    """``(label, url, active)`` for the menu entries ``user`` may use."""
    roles = roles_of(user)
    if not roles:
        return []
    views, current = current_app.view_functions, request.endpoint
    labels = _labels(str(get_locale()))[0]
    return [(labels[item.endpoint], url_for(item.endpoint), current == item.endpoint)
            for item in MENU if item.endpoint in views and item.role in roles]


def role_names(user) -> list[str]:
    """The user's roles in words, highest first."""
    roles = roles_of(user)
    return [name for role, name in _labels(str(get_locale()))[1].items() if role in roles] if roles else []


def register(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.globals.update(menu_for=menu_for, role_names=role_names, get_locale=get_locale)
