"""Template globals: the role menu, date filters, the language switch."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core.access import has_role
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


def menu_for(user) -> list[tuple[object, str, bool]]:
    """``(label, url, active)`` for the menu entries ``user`` may use."""
    if not user.is_authenticated:
        return []
    views, current = current_app.view_functions, request.endpoint
    return [(item.label, url_for(item.endpoint), current == item.endpoint)
            for item in MENU if item.endpoint in views and has_role(user, item.role)]


# Highest first.
ROLE_NAMES = {"admin": _l("Quản trị"), "hr": _l("Tổ chức cán bộ"), "trainer": _l("Giảng viên"), "learner": _l("Học viên")}


def role_names(user) -> list[str]:
    """The user's roles in words, highest first."""
    return [str(name) for role, name in ROLE_NAMES.items() if has_role(user, role)]


def register(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.globals.update(menu_for=menu_for, role_names=role_names, get_locale=get_locale)
