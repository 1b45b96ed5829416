"""Browser tests: Debian's Chromium driving the app served for real.

The app runs in a werkzeug server thread on a free loopback port, on a migrated temporary
SQLite database holding the demo data (``flask lms demo``: demo accounts and the shipped
courses). Tests read the database through ``live_app``'s context; they never write to it
except through the browser. They share that database for the whole run, so each checks
only the rows it made (its course, its attempt), never a count or "the only one". Without ``/usr/bin/chromium`` the tests are skipped, unless
``LMS_E2E_REQUIRED=1`` makes that a failure.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from config import TestConfig
from lms import create_app
from lms.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 800}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is absent: install Debian's chromium package to run the browser tests"
        if os.environ.get("LMS_E2E_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, chromium_path):
    """The application on a fresh SQLite database with the demo data."""
    tmp = tmp_path_factory.mktemp("e2e")
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'lms.db'}", STORAGE_DIR=str(tmp / "storage"))
    app = create_app(config)
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["lms", "demo", "--staff", "20"])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app) -> str:
    """The URL of a real server running ``live_app`` in a thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh browser (no cookies) with a phone-sized window."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def log_in(page):
    """``log_in(staff_code, password)`` through the login form."""

    def do_log_in(staff_code: str, password: str) -> None:
        page.goto("/login")
        page.get_by_label("Số hiệu cán bộ hoặc email").fill(staff_code)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()

    return do_log_in
