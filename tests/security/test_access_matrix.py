"""The access matrix: every route of the application, as every kind of user.

``MATRIX`` holds, for each method and URL rule, the status each kind of user gets; the
URL is filled with objects of unit A or of unit A's learner (``tests/security/world.py``),
so the HR officer of unit B must get exactly what a missing object gets. Adding a route
without adding it here fails :func:`test_every_route_is_in_the_matrix`.

For each (route, user) :func:`test_route_answers_each_kind_of_user_as_written` checks the
status; that a refused request (login page, 403, 404) changed no row of the database;
and that where the answer is 404 a missing object gets the same answer, body included.
POSTs carry a valid CSRF token, so what refuses them is the access rule, not the token.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime, timezone

import pytest

from lms.extensions import db
from tests.conftest import log_in
from tests.database import empty_database
from tests.security.world import KINDS, Snapshot, build_world, fingerprint

L = "login"  # redirected to the login page
OK, GO = 200, 302
# Columns: anonymous, deactivated, learner, trainer, HR of unit A, HR of unit B, admin.
MATRIX: dict[tuple[str, str], tuple] = {
    # core, accounts, login
    ("GET", "/"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/healthz"): (OK, OK, OK, OK, OK, OK, OK),
    ("POST", "/lang/<code>"): (GO, GO, GO, GO, GO, GO, GO),
    ("GET", "/login"): (OK, OK, GO, GO, GO, GO, GO),
    ("POST", "/login"): (OK, OK, GO, GO, GO, GO, GO),
    ("POST", "/logout"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/account/security"): (L, L, OK, OK, OK, OK, OK),
    ("GET", "/account/password"): (L, L, OK, OK, OK, OK, OK),
    ("POST", "/account/password"): (L, L, OK, OK, OK, OK, OK),
    ("POST", "/account/sessions/end-others"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/login/verify"): (L, L, L, L, L, L, L),
    ("POST", "/login/verify"): (L, L, L, L, L, L, L),
    ("GET", "/account/2fa"): (L, L, 403, 403, OK, OK, OK),
    ("POST", "/account/2fa"): (L, L, 403, 403, OK, OK, OK),
    ("POST", "/account/2fa/recovery-codes"): (L, L, 403, 403, 404, 404, 404),
    ("POST", "/account/2fa/disable"): (L, L, 403, 403, 403, 403, 403),
    ("POST", "/staff/<int:user_id>/unlock"): (L, L, 403, 403, GO, 404, GO),
    # admin
    ("GET", "/admin/"): (L, L, 403, 403, 403, 403, OK),
    ("GET", "/admin/audit"): (L, L, 403, 403, 403, 403, OK),
    ("POST", "/admin/audit/export"): (L, L, 403, 403, 403, 403, OK),
    # learning and course media
    ("GET", "/learn"): (L, L, OK, OK, OK, OK, OK),
    ("GET", "/courses"): (L, L, OK, OK, OK, OK, OK),
    ("GET", "/courses/<code>"): (L, L, OK, OK, OK, OK, OK),
    ("POST", "/courses/<code>/enrol"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/courses/<code>/lessons/<slug>"): (L, L, OK, OK, OK, OK, OK),
    ("POST", "/courses/<code>/lessons/<slug>/visit"): (L, L, 204, 204, 204, 204, 204),
    ("POST", "/courses/<code>/lessons/<slug>/read"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/courses/<code>/media/<filename>"): (L, L, OK, OK, OK, OK, OK),
    # quizzes: attempts are their learner's alone; trainers and admins review and grade
    ("POST", "/courses/<code>/quiz/start"): (L, L, GO, GO, GO, GO, GO),
    ("GET", "/attempts/<int:attempt_id>"): (L, L, OK, 404, 404, 404, 404),
    ("POST", "/attempts/<int:attempt_id>"): (L, L, GO, 404, 404, 404, 404),
    ("POST", "/attempts/<int:attempt_id>/autosave"): (L, L, OK, 404, 404, 404, 404),
    ("POST", "/attempts/<int:attempt_id>/submit"): (L, L, GO, 404, 404, 404, 404),
    ("GET", "/attempts/<int:attempt_id>/review"): (L, L, OK, OK, 404, 404, OK),
    ("GET", "/trainer/courses/<code>/attempts"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/trainer/attempts/<int:attempt_id>/questions/<int:position>/grade"): (L, L, 403, GO, 403, 403, GO),
    # authoring: the trainer is on the course's staff
    ("GET", "/authoring/courses"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/edit"): (L, L, 403, GO, 403, 403, GO),
    ("GET", "/authoring/courses/<code>/settings"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/settings"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/lessons/new"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/lessons/new"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/lessons/<slug>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/lessons/<slug>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/lessons/<slug>/<any(up, down, remove):action>"): (L, L, 403, GO, 403, 403, GO),
    ("POST", "/authoring/courses/<code>/preview"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/media"): (L, L, 403, GO, 403, 403, GO),
    ("POST", "/authoring/courses/<code>/media/<filename>/remove"): (L, L, 403, GO, 403, 403, GO),
    ("GET", "/authoring/courses/<code>/draft-media/<filename>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/<any(publish, unpublish, discard):action>"): (L, L, 403, GO, 403, 403, GO),
    ("POST", "/authoring/courses/<code>/staff"): (L, L, 403, 403, 403, 403, GO),
    ("POST", "/authoring/courses/<code>/staff/<int:user_id>/remove"): (L, L, 403, 403, 403, 403, GO),
    ("GET", "/authoring/courses/<code>/questions"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/questions/new/<qtype>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/questions/new/<qtype>"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/questions/<key>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/questions/<key>"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/questions/<key>/<any(duplicate, retire):action>"): (L, L, 403, GO, 403, 403, GO),
    ("POST", "/authoring/courses/<code>/questions/move"): (L, L, 403, GO, 403, 403, GO),
    ("GET", "/authoring/courses/<code>/import"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/import"): (L, L, 403, OK, 403, 403, OK),
    ("POST", "/authoring/courses/<code>/import/<any(confirm, cancel):action>"): (L, L, 403, GO, 403, 403, GO),
    ("GET", "/authoring/question-template.xlsx"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/export.zip"): (L, L, 403, OK, 403, 403, OK),
    ("GET", "/authoring/courses/<code>/analysis"): (L, L, 403, OK, 403, 403, OK),
    # certificates: the holder, HR of the holder's unit and admins; verification is public
    ("GET", "/certificates/<int:certificate_id>"): (L, L, OK, 404, OK, 404, OK),
    ("GET", "/certificates/<int:certificate_id>.pdf"): (L, L, OK, 404, OK, 404, OK),
    ("POST", "/certificates/<int:certificate_id>/revoke"): (L, L, 403, 403, 403, 403, GO),
    ("POST", "/certificates/<int:certificate_id>/reissue"): (L, L, 403, 403, 403, 403, GO),
    ("GET", "/verify"): (OK, OK, OK, OK, OK, OK, OK),
    ("POST", "/verify"): (400, 400, 400, 400, 400, 400, 400),
    ("GET", "/verify/<code>"): (OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/hr/certificates"): (L, L, 403, 403, OK, OK, OK),
    ("GET", "/hr/certificates/find"): (L, L, 403, 403, GO, 404, GO),
    ("POST", "/hr/certificates/bundles"): (L, L, 403, 403, GO, 400, GO),
    # a bundle job is its maker's alone, admins included
    ("GET", "/hr/certificates/jobs/<int:job_id>"): (L, L, 403, 403, OK, 404, 404),
    ("GET", "/hr/certificates/jobs/<int:job_id>.json"): (L, L, 403, 403, OK, 404, 404),
    ("GET", "/hr/certificates/jobs/<int:job_id>/file"): (L, L, 403, 403, OK, 404, 404),
    ("GET", "/hr/certificates/register.xlsx"): (L, L, 403, 403, OK, 400, OK),
    # organisation: HR within their subtree, admins everywhere
    ("GET", "/units"): (L, L, 403, 403, GO, GO, GO),
    ("GET", "/units/<int:unit_id>"): (L, L, 403, 403, OK, 404, OK),
    ("GET", "/staff"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/staff/export.xlsx"): (L, L, 403, 403, OK, 404, OK),
    ("GET", "/staff/<int:user_id>"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/staff/<int:user_id>/reset-password"): (L, L, 403, 403, GO, 404, GO),
    ("GET", "/staff/import"): (L, L, 403, 403, OK, OK, OK),
    ("POST", "/staff/import"): (L, L, 403, 403, OK, OK, OK),
    # an uploaded roster is its uploader's alone
    ("GET", "/staff/import/<token>"): (L, L, 403, 403, OK, 404, 404),
    ("POST", "/staff/import/<token>"): (L, L, 403, 403, GO, 404, 404),
    ("GET", "/units/<int:unit_id>/passwords"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/units/<int:unit_id>/passwords.pdf"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/units/<int:unit_id>/passwords/printed"): (L, L, 403, 403, GO, 404, GO),
    ("GET", "/placements"): (L, L, 403, 403, OK, OK, OK),
    ("POST", "/placements/<int:placement_id>"): (L, L, 403, 403, GO, 404, GO),
    ("GET", "/units/<int:unit_id>/manage"): (L, L, 403, 403, 403, 403, OK),
    ("POST", "/units/<int:unit_id>/manage/<action>"): (L, L, 403, 403, 403, 403, GO),
    # targets and their reports
    ("GET", "/targets"): (L, L, 403, 403, OK, OK, OK),
    ("GET", "/targets/new"): (L, L, 403, 403, OK, OK, OK),
    ("POST", "/targets/new"): (L, L, 403, 403, OK, OK, OK),
    ("GET", "/targets/<int:target_id>/edit"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/targets/<int:target_id>/edit"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/targets/<int:target_id>/exclusions"): (L, L, 403, 403, GO, 404, GO),
    ("POST", "/targets/<int:target_id>/exclusions/<int:exclusion_id>/delete"): (L, L, 403, 403, GO, 404, GO),
    ("GET", "/hr/targets"): (L, L, 403, 403, OK, OK, OK),
    ("GET", "/hr/targets/<int:target_id>/units/<int:unit_id>"): (L, L, 403, 403, OK, 404, OK),
    ("GET", "/hr/targets/<int:target_id>/units/<int:unit_id>/not-finished"): (L, L, 403, 403, OK, 404, OK),
    ("POST", "/hr/targets/<int:target_id>/units/<int:unit_id>/remind"): (L, L, 403, 403, GO, 404, GO),
    ("GET", "/hr/targets/<int:target_id>/units/<int:unit_id>/units.xlsx"): (L, L, 403, 403, OK, 404, OK),
    ("GET", "/hr/targets/<int:target_id>/units/<int:unit_id>/not-finished.xlsx"): (L, L, 403, 403, OK, 404, OK),
    ("GET", "/hr/targets/<int:target_id>/units/<int:unit_id>/report.pdf"): (L, L, 403, 403, OK, 404, OK),
    # the JSON API answers 401 where the pages send to the login page
    ("GET", "/api/v1/openapi.json"): (OK, OK, OK, OK, OK, OK, OK),
    ("GET", "/api/v1/targets"): (401, 401, 403, 403, OK, OK, OK),
    ("GET", "/api/v1/targets/<int:target_id>/units/<int:unit_id>"): (401, 401, 403, 403, OK, 404, OK),
    ("GET", "/api/v1/targets/<int:target_id>/units/<int:unit_id>/not-finished"): (401, 401, 403, 403, OK, 404, OK),
}

# Which object of the world fills each URL parameter (by rule, then by name), and its missing twin.
PARAMS = {"user_id": "learner", "unit_id": "unit_a", "code": "course", "slug": "slug", "filename": "media",
          "key": "question_key", "attempt_id": "open_attempt", "certificate_id": "certificate", "job_id": "job",
          "target_id": "target", "exclusion_id": "exclusion", "placement_id": "placement", "token": "token"}
RULE_PARAMS = {
    "/lang/<code>": {"code": "=en"},
    "/verify/<code>": {"code": "verification_code"},
    "/attempts/<int:attempt_id>/review": {"attempt_id": "submitted_attempt"},
    "/trainer/attempts/<int:attempt_id>/questions/<int:position>/grade": {"attempt_id": "submitted_attempt"},
    "/authoring/courses/<code>/staff/<int:user_id>/remove": {"user_id": "trainer"},
}
FIXED = {"qtype": "multichoice", "position": "1", "action": None}
ACTIONS = {"/units/<int:unit_id>/manage/<action>": "rename"}  # any(...) rules take their first choice
MISSING = {"course": "ZZ404", "slug": "khong-co", "media": "khong-co.png", "question_key": "khongco",
           "token": "A" * 32}
QUERY = {
    "/staff": {"unit": "unit_a"}, "/staff/export.xlsx": {"unit": "unit_a"},
    "/hr/certificates/find": {"serial": "serial"},
    "/hr/certificates/register.xlsx": {"unit": "unit_a", "year": "=2026"},
}
FORM = {
    "/certificates/<int:certificate_id>/revoke": {"reason": "=cấp nhầm"},
    "/certificates/<int:certificate_id>/reissue": {"reason": "=đổi tên"},
    "/hr/certificates/bundles": {"unit": "unit_a", "subtree": "=y"},
    "/targets/<int:target_id>/exclusions": {"staff_code": "learner_code", "reason": "=nghỉ ốm"},
    "/units/<int:unit_id>/manage/<action>": {"rename-name": "=Phường Hạc Thành mới"},
    "/units/<int:unit_id>/passwords/printed": {"issued_until": "now"},
    "/trainer/attempts/<int:attempt_id>/questions/<int:position>/grade": {"percent": "=80", "comment": "=tốt"},
}
JSON = {"/attempts/<int:attempt_id>/autosave": {"seq": 1, "answers": {"2": ["0"]}},
        "/authoring/courses/<code>/preview": {"body": "**đậm**"}}
MISSING_ID = 987654
NEXT_VALUE = re.compile(r'(name="next" value=")[^"]*"')
CSRF_VALUE = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+"')


def _value(name: str, ids: dict, missing: bool):
    if name.startswith("="):
        return name[1:]
    if name == "now":
        return datetime.now(timezone.utc).isoformat()
    if name == "learner_code":
        return ids["learner_code"]
    if missing:
        return MISSING.get(name, MISSING_ID)
    return ids[name]


def _param(rule: str, name: str, converter: str, ids: dict, missing: bool) -> str:
    if converter.startswith("any("):
        return converter[4:].split(",")[0].strip()
    if name == "action":
        return ACTIONS[rule]
    if name in FIXED:
        return FIXED[name]
    source = RULE_PARAMS.get(rule, {}).get(name) or PARAMS[name]
    return str(_value(source, ids, missing))


def build_url(rule: str, ids: dict, missing: bool = False) -> str:
    """``rule`` with its parameters filled from the world (or with missing objects)."""
    def fill(match):
        converter, name = match.group(1) or "", match.group(2)
        return _param(rule, name, converter, ids, missing)

    url = re.sub(r"<(?:([^:<>]+):)?([a-z_]+)>", fill, rule)
    query = {key: _value(source, ids, missing) for key, source in QUERY.get(rule, {}).items()}
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def has_objects(rule: str) -> bool:
    """Whether the rule names an object whose absence the matrix can compare with."""
    names = re.findall(r"<(?:[^:<>]+:)?([a-z_]+)>", rule)
    return any(n in PARAMS for n in names) or rule in QUERY


def test_every_route_is_in_the_matrix(app):
    """Adding a route (or a method) without writing down who may use it fails here."""
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - set(MATRIX) == set(), "routes missing from the access matrix"
    assert set(MATRIX) - routes == set(), "the access matrix names routes that do not exist"


def _request(app, world, kind: str, method: str, rule: str, missing: bool = False):
    client = app.test_client()
    if kind != "anonymous":
        log_in(client, world.people[kind])
    token = client.csrf_token()
    url = build_url(rule, world.ids, missing)
    if method == "GET":
        return client.get(url)
    if rule in JSON:
        return client.post(url, json=JSON[rule], headers={"X-CSRFToken": token, "Accept": "application/json"})
    data = {key: _value(source, world.ids, missing) for key, source in FORM.get(rule, {}).items()}
    if rule == "/placements/<int:placement_id>":
        data[f"p{world.ids['placement']}-unit"] = world.ids["placement_unit"]
    return client.post(url, data={**data, "csrf_token": token})


def _normalised(response) -> tuple:
    """Status and body, without the CSRF token and the page's own address (the language form's ``next``)."""
    body = CSRF_VALUE.sub(r"\1…\"", response.get_data(as_text=True))
    return response.status_code, NEXT_VALUE.sub(r"\1…\"", body)


def _check(response, expected, kind: str, method: str, rule: str) -> None:
    where = f"{method} {rule} as {kind}"
    if expected == L:
        assert response.status_code == 302 and "/login" in response.headers["Location"], where
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"


@pytest.fixture(scope="module")
def snapshot(app):
    """The world, built once for the module."""
    with app.app_context():
        empty_database()
        yield Snapshot(build_world())


@pytest.fixture
def world(app, snapshot, monkeypatch):
    """The world as built, with bundle jobs kept from starting threads that outlive a request."""
    monkeypatch.setattr("lms.certificates.hr_views.launch", lambda job_id: None)
    with app.app_context():
        yield snapshot.restore()
        db.session.remove()


@pytest.mark.parametrize("method, rule", sorted(MATRIX), ids=lambda value: value)
def test_route_answers_each_kind_of_user_as_written(app, snapshot, world, method, rule):
    """Each kind of user gets the status written down; a refusal changes nothing, and
    an object out of scope answers exactly as a missing one."""
    current = world
    for kind, expected in zip(KINDS, MATRIX[(method, rule)]):
        before = fingerprint()
        response = _request(app, current, kind, method, rule)
        _check(response, expected, kind, method, rule)
        changed = fingerprint() != before
        if expected in (L, 403, 404):
            assert not changed, f"{method} {rule} as {kind} was refused but changed the database"
        if expected == 404 and has_objects(rule):
            missing = _request(app, current, kind, method, rule, missing=True)
            a, b = _normalised(missing), _normalised(response)
            assert a == b, "\n".join(difflib.unified_diff(a[1].splitlines(), b[1].splitlines(), lineterm=""))
        if changed:
            current = snapshot.restore()
