"""Shared fixtures: one migrated database per run, emptied after every test.

The database is SQLite in a temporary folder, or PostgreSQL when
``LMS_TEST_DATABASE_URL`` is set (CI runs the suite on both). Its schema is made by the
Alembic migrations, exactly as in production. Tests commit for real (the HTTP client,
the CLI and real servers see the same data); an autouse fixture empties every table
afterwards, so each test starts from an empty database.
"""

from __future__ import annotations

import contextvars
import os
import re
import time
from datetime import date

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from config import TestConfig
from lms import create_app
from lms.extensions import db
from tests.database import empty_database

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class LMSClient(FlaskClient):
    """Test client that behaves like a separate browser talking to a separate process.

    Flask reuses an application context that is already pushed (the test's own, used
    to call operations and check the database), which would share ``g`` and the
    database session with the request. Each request here runs in an empty context
    instead, after the test's transaction is ended, and the test's session is
    expired afterwards so that it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        outer = has_app_context()
        if outer:
            db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if outer:
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        page = self.get("/__no_such_page__", follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application on a freshly migrated database."""
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp("lms")
    url = os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"
    if url.startswith("postgresql"):
        _reset_postgres(url)
    application = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(tmp / "storage")})
    application.test_client_class = LMSClient
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def _config_dict() -> dict:
    return {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        empty_database()


@pytest.fixture
def app_ctx(app):
    """An application context for tests that call operations directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app) -> LMSClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_unit(app_ctx):
    """Factory: ``make_unit(code, name, kind="commune", parent=None)``, committed."""
    from lms.org.operations import create_unit

    def make(code: str, name: str | None = None, kind: str = "commune", parent=None, **kwargs):
        unit = create_unit(code, name or f"Đơn vị {code}", kind, parent, **kwargs)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def province(make_unit):
    return make_unit("38", "Tỉnh Thanh Hóa", "province")


@pytest.fixture
def make_person(app_ctx):
    """Factory: ``make_person(unit, name="Nguyễn Văn An", password=None, roles=())``, committed."""
    from lms.auth.operations import grant_role, set_password
    from lms.core.text import split_full_name
    from lms.org.operations import create_person

    counter = iter(range(1, 1_000_000))

    def make(unit, name: str = "Nguyễn Văn An", *, password: str | None = "mat-khau-thu-nghiem",
             roles=(), staff_code: str | None = None, **fields):
        ho, ten_dem, ten = split_full_name(name)
        person = create_person(staff_code or f"T{next(counter):05d}", ho, ten_dem, ten, unit,
                               start=fields.pop("start", date(2025, 7, 1)), **fields)
        if password:
            set_password(person, password)
        for role in roles:
            role_name, role_unit = role if isinstance(role, tuple) else (role, None)
            grant_role(person, role_name, role_unit)
        db.session.commit()
        return person

    return make


def log_in(client, session_id: str) -> None:
    """Put a logged-in session for Flask-Login's ``session_id`` in ``client`` (what /login stores)."""
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["login_at"] = session["seen_at"] = int(time.time())


@pytest.fixture
def login(client):
    """``login(person)`` puts ``person``'s session in the test client (no form round trip)."""

    def do_login(person, target=None):
        target = target or client
        log_in(target, person.get_id())
        return target

    return do_login
