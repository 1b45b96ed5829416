"""Each demo account logs in, sees the menu of its roles, and logs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.core.templating import MENU
from lms.org.demo import DEMO_ACCOUNTS

ROLES_OF = {"learner": {"learner"}, "trainer": {"learner", "trainer"}, "hr": {"learner", "hr"}, "admin": {"learner", "admin"}}


def expected_menu(live_app, role: str) -> tuple[list[str], list[str]]:
    """Menu labels the role should and should not see, among the pages this build has."""
    with live_app.test_request_context():
        built = [item for item in MENU if item.endpoint in live_app.view_functions]
        shown = [str(item.label) for item in built if item.role in ROLES_OF[role]]
        hidden = [str(item.label) for item in built if item.role not in ROLES_OF[role]]
    return shown, hidden


@pytest.mark.e2e
@pytest.mark.parametrize("account", DEMO_ACCOUNTS[:2] + DEMO_ACCOUNTS[3:], ids=lambda account: account.role)
def test_each_role_sees_its_menu_and_logs_out(page, log_in, live_app, account):
    log_in(account.staff_code, account.password)
    menu = page.get_by_role("navigation", name="Menu chính")
    shown, hidden = expected_menu(live_app, account.role)
    assert "Khóa học" in shown
    for label in shown:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.locator(".who .name")).to_have_text(f"{account.ho} {account.ten_dem} {account.ten}")

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.goto("/learn")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Flearn$|/login\?next=/learn$"))
