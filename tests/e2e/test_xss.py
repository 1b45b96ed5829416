"""XSS payloads typed into a course, a lesson, a question, a unit name and a staff name
run nowhere in Chromium: not in the lesson player, the quiz, the dashboard, the HR staff
pages or the public verification page.

Everything is written through the application (the trainer's, the admin's and the
learner's own requests), then each page is opened in Chromium and checked three ways:
``window.__xss`` stays undefined and no dialog opens; the page holds no inline script,
no ``on…`` attribute and no ``javascript:`` URL (so escaping, not only the CSP, stops
them); and a script injected into the page as a control is blocked by the CSP and
reported as a violation.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.org.models import OrgUnit
from tests.authoring.conftest import VERSION_RE
from tests.e2e.conftest import PHONE

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
JS_LINK = "[bấm vào đây](javascript:window.__xss=1)"
CODE = "XSS01"
TITLE = f"Khóa {SCRIPT} {SVG}"
UNIT_NAME = f"Sở {IMG} {SVG}"
STAFF_NAME = f"Nguyễn {SCRIPT}{IMG} An"
LESSON = f"# Bài {SCRIPT}\n\n{IMG}\n\n{SVG}\n\n{JS_LINK}\n\n<a href=\"javascript:window.__xss=1\">liên kết</a>\n"
GIFT = (f"::xss::Câu hỏi {SCRIPT} {IMG} {{={SVG} ~{IMG} ~Phương án <b onmouseover=window.__xss=1>đậm</b>}}\n\n"
        f"::tl::Đúng hay sai: {SVG} {{T}}\n")
PASSWORD = "Mat-khau-rat-dai-2026"

TRAPS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    if (el.tagName === 'SCRIPT' && !el.src) found.push('inline script');
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
      if (/^\\s*javascript:/i.test(attr.value)) found.push(`${el.tagName} ${attr.name}=javascript:`);
    }
  }
  return found;
}"""
RECORD_VIOLATIONS = ("window.__csp = [];"
                     "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));")
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def new_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: _on_dialog(page, dialog))
    return page


def _on_dialog(page, dialog) -> None:
    """The application's own "submit now?" confirmation is answered; any other dialog is a failure."""
    if not (dialog.type == "confirm" and "nộp" in dialog.message.lower()):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.accept()


def log_in(page, identifier: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Số hiệu cán bộ hoặc email").fill(identifier)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def post(page, url: str, form: dict | None = None, multipart: dict | None = None):
    """POST as the page's user, with the CSRF token of the page it is on; follows redirects."""
    token = CSRF.search(page.content()).group(1)
    if multipart is not None:
        response = page.request.post(url, multipart={**multipart, "csrf_token": token})
    else:
        response = page.request.post(url, form={**(form or {}), "csrf_token": token})
    assert response.ok, f"POST {url}: {response.status} {response.text()[:500]}"
    return response


def assert_nothing_runs(page, url: str, shown: str | None = None) -> None:
    """Open ``url``: no payload ran or sits in the DOM as markup; a control script is blocked by the CSP."""
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    page.wait_for_load_state("load")
    if shown is not None:
        assert shown in page.inner_text("body"), f"{url} does not show {shown!r} as text: {page.inner_text('main')[:3000]}"
    assert page.evaluate("window.__xss") is None, f"a payload ran on {url}"
    assert page.dialogs == [], f"dialogs opened on {url}"
    assert page.evaluate(TRAPS) == [], f"{url} holds live markup from a payload"
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__xss = 1';"
                  " document.body.appendChild(s); }")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__xss") is None, f"an injected script ran on {url}"
    assert page.evaluate("window.__csp")[0].startswith("script-src"), f"no CSP report for the blocked script on {url}"


def author_course(page) -> None:
    """The trainer writes the course: payloads in the title, a lesson and the questions; publishes it."""
    log_in(page, "giangvien", "giangvien@2026")
    page.goto("/authoring/courses")
    post(page, "/authoring/courses", {"code": CODE, "title": TITLE})
    settings = {"title": TITLE, "summary": SVG, "audience": IMG, "study_hours": "1", "passing_score": "0",
                "quiz_title": f"Kiểm tra {SCRIPT}", "time_limit_minutes": "0", "attempts_allowed": "0",
                "grading": "highest", "draw": "", "certificate_enabled": "y"}
    page.goto(f"/authoring/courses/{CODE}/settings")
    settings["version"] = VERSION_RE.search(page.content()).group(1)  # the version the form was loaded with
    post(page, f"/authoring/courses/{CODE}/settings", settings)
    post(page, f"/authoring/courses/{CODE}/lessons/new", {"title": f"Bài {IMG}", "minutes": "5", "body": LESSON,
                                                          "action": "save"})
    post(page, f"/authoring/courses/{CODE}/import", multipart={
        "format": "auto", "file": {"name": "xss.gift", "mimeType": "text/plain", "buffer": GIFT.encode()}})
    post(page, f"/authoring/courses/{CODE}/import/confirm")
    post(page, f"/authoring/courses/{CODE}/publish")


def staff_with_payloads(page, live_app) -> tuple[int, int, str]:
    """The admin renames a unit and imports a person into it, both with payloads; returns
    the unit id, the person id and the person's one-time password."""
    with live_app.app_context():
        unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "STP", OrgUnit.valid_to.is_(None)))
    log_in(page, "quantri", "quantri@2026")
    page.goto(f"/units/{unit_id}/manage")
    post(page, f"/units/{unit_id}/manage/rename", {"rename-name": UNIT_NAME})
    roster = f"Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Mã đơn vị,Email\nXSS0001,{STAFF_NAME},01/02/1990,Nam,{SVG},STP,\n"
    page.goto("/staff/import")
    preview = post(page, "/staff/import", multipart={
        "unit": str(unit_id), "file": {"name": "ds.csv", "mimeType": "text/csv", "buffer": roster.encode("utf-8-sig")}})
    page.goto(preview.url)
    post(page, preview.url)
    with live_app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.staff_code == "XSS0001"))
    page.goto(f"/staff/{person_id}")
    done = post(page, f"/staff/{person_id}/reset-password")
    password = re.search(r"Mật khẩu dùng một lần của .*?: (\S+) \(", done.text(), re.S).group(1)
    return unit_id, person_id, password


def learner_passes(page, password: str) -> None:
    """The imported person sets a password, reads the lesson and submits the quiz."""
    log_in(page, "XSS0001", password)
    post(page, "/account/password", {"current_password": password, "new_password": PASSWORD, "confirm": PASSWORD})
    page.goto(f"/courses/{CODE}")
    post(page, f"/courses/{CODE}/enrol")


@pytest.mark.e2e
def test_payloads_run_nowhere(browser, base_url, live_app):
    trainer, admin, learner, visitor = (new_page(browser, base_url) for _ in range(4))
    author_course(trainer)
    unit_id, person_id, password = staff_with_payloads(admin, live_app)
    learner_passes(learner, password)

    lesson_url = f"/courses/{CODE}/lessons/"
    learner.goto(f"/courses/{CODE}")
    lesson_href = learner.locator(f"a[href^='{lesson_url}']").first.get_attribute("href")
    assert_nothing_runs(learner, lesson_href)
    assert learner.locator(".lesson-body a", has_text="bấm vào đây").count() <= 1
    assert_nothing_runs(learner, f"/courses/{CODE}", shown=TITLE)
    learner.goto(f"/courses/{CODE}")
    post(learner, lesson_href + "/read")
    learner.goto(f"/courses/{CODE}")
    learner.get_by_role("button", name=re.compile("Làm bài kiểm tra")).click()
    learner.wait_for_url(re.compile(r"/attempts/\d+$"))
    assert_nothing_runs(learner, learner.url, shown="Đúng hay sai")
    learner.get_by_role("button", name=re.compile("Nộp bài")).first.click()
    learner.wait_for_load_state()
    assert_nothing_runs(learner, learner.url)  # the review shows the questions and answers again
    assert_nothing_runs(learner, "/learn", shown=TITLE)

    assert_nothing_runs(admin, f"/staff?unit={unit_id}", shown=STAFF_NAME)
    assert_nothing_runs(admin, f"/staff/{person_id}", shown=STAFF_NAME)
    assert_nothing_runs(admin, f"/units/{unit_id}", shown=UNIT_NAME)
    with live_app.app_context():
        code = db.session.scalar(select(Certificate.verification_code).where(Certificate.user_id == person_id))
    assert code, "the learner has no certificate"
    assert_nothing_runs(visitor, f"/verify/{code}", shown=TITLE)
    for page in (trainer, admin, learner, visitor):
        page.context.close()
