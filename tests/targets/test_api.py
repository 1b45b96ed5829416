"""The JSON API gives the numbers of the dashboard and of the exports, to the same people, and no one else's."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from jsonschema import Draft202012Validator, validate
from openpyxl import load_workbook

FIGURES = ("audience", "completed", "in_progress", "not_started", "overdue", "percent", "gap")


@pytest.fixture
def scene(tree, make_person, make_course, make_target, complete, start):
    """Seven people in two communes and the department, some finished, some part-way; the deadline passed yesterday."""
    province, department, commune_a, commune_b = tree
    courses = [make_course("IU01"), make_course("IU02")]
    people = {
        "hr_province": make_person(province, "Lê Văn Tỉnh", roles=[("hr", province)]),
        "hr_a": make_person(commune_a, "Trịnh Thị Xã", roles=[("hr", commune_a)]),
        "Nguyễn Văn An": make_person(commune_a, "Nguyễn Văn An"),
    }
    for unit, name in ((commune_a, "Lê Thị Ánh"), (commune_a, "Phạm Văn Bình"), (commune_b, "Đỗ Văn Cường"),
                       (commune_b, "Hoàng Thị Dung"), (department, "Vũ Minh Em")):
        people[name] = make_person(unit, name)
    target = make_target([province], courses, start_date=date(2026, 1, 1), deadline=date.today() - timedelta(days=1),
                         target_percent=80)
    for name in ("Nguyễn Văn An", "Đỗ Văn Cường"):
        for course in courses:
            complete(people[name], course)
    complete(people["Lê Thị Ánh"], courses[0])
    start(people["Vũ Minh Em"], courses[1])
    return target, tree, people


def _xlsx_rows(client, url: str) -> list[tuple]:
    return list(load_workbook(BytesIO(client.get(url).data)).active.iter_rows(values_only=True))[1:]


def _html_rows(page: str) -> list[list[str]]:
    """The drill-down table's rows as [name, audience, completed, …, gap] from the page."""
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip(), *re.findall(r'<td class="num">([^<]*)</td>', row)]
            for row in body.split("<tr>")[1:]]


def _cells(figures: dict) -> list:
    return [figures[name] for name in FIGURES]


def test_api_numbers_equal_the_dashboard_the_page_and_the_xlsx(client, login, scene):
    target, (province, _, commune_a, _), people = scene
    login(people["hr_province"])
    listed = client.get("/api/v1/targets").get_json()["targets"]
    assert [(t["id"], [u["unit"]["code"] for u in t["units"]]) for t in listed] == [(target.id, [province.code])]
    card = listed[0]["units"][0]["figures"]
    assert (card["audience"], card["completed"], card["in_progress"], card["overdue"], card["gap"]) == (8, 2, 2, 6, 5)
    dashboard = client.get("/hr/targets").get_data(as_text=True)
    assert f"{card['percent']}%" in dashboard and f"{card['completed']} / {card['audience']}" in dashboard
    assert listed[0]["units"][0]["projection"]["text"] in dashboard

    for unit in (province, commune_a):
        api = client.get(f"/api/v1/targets/{target.id}/units/{unit.id}").get_json()
        assert len(api["rows"]) == (4 if unit is province else 1)  # three child units and the province's own staff
        xlsx = _xlsx_rows(client, f"/hr/targets/{target.id}/units/{unit.id}/units.xlsx")
        assert [(row["unit"]["code"], *_cells(row["figures"])) for row in api["rows"]] == [row[1:] for row in xlsx[:-1]]
        assert (api["unit"]["code"], *_cells(api["figures"])) == xlsx[-1][1:]
        html = _html_rows(client.get(f"/hr/targets/{target.id}/units/{unit.id}").get_data(as_text=True))
        assert [[str(value) for value in _cells(row["figures"])] for row in api["rows"]] == [row[1:] for row in html]
        assert [row["unit"]["name"] for row in api["rows"] if not row["own"]] == [row[0] for row in html
                                                                                   if row[0] != "Trực thuộc trực tiếp"]


def test_a_completion_moves_the_api_numbers_at_once(client, login, scene, complete):
    target, (province, _, commune_a, _), people = scene
    login(people["hr_a"])
    url = f"/api/v1/targets/{target.id}/units/{commune_a.id}"
    assert client.get(url).get_json()["figures"]["completed"] == 1
    for course in target.courses:
        complete(people["Phạm Văn Bình"], course)
    figures = client.get(url).get_json()["figures"]
    assert (figures["completed"], figures["in_progress"], figures["percent"]) == (2, 1, 50.0)


def test_not_finished_pages_are_the_xlsx_list(client, login, scene):
    target, (province, *_), people = scene
    login(people["hr_province"])
    first = client.get(f"/api/v1/targets/{target.id}/units/{province.id}/not-finished?per_page=4").get_json()
    assert (first["page"], first["per_page"], first["pages"], first["total"]) == (1, 4, 2, 6)
    second = client.get(f"/api/v1/targets/{target.id}/units/{province.id}/not-finished?per_page=4&page=2").get_json()
    people_listed = first["people"] + second["people"]
    xlsx = _xlsx_rows(client, f"/hr/targets/{target.id}/units/{province.id}/not-finished.xlsx")
    assert [(p["full_name"], p["staff_code"], p["unit"]["name"], f"{p['done_courses']}/{p['required_courses']}")
            for p in people_listed] == [(row[0], row[1], row[2], row[5]) for row in xlsx]
    assert people_listed[0]["full_name"] == "Lê Thị Ánh" and people_listed[0]["status"] == "in_progress"
    assert "6 người" in client.get(f"/hr/targets/{target.id}/units/{province.id}/not-finished").get_data(as_text=True)


def test_dates_are_iso_and_nothing_is_cached(client, login, scene):
    target, (province, *_), people = scene
    login(people["hr_province"])
    response = client.get(f"/api/v1/targets/{target.id}/units/{province.id}")
    body = response.get_json()
    assert response.headers["Cache-Control"] == "no-store" and response.mimetype == "application/json"
    assert (body["target"]["start_date"], body["target"]["deadline"]) == ("2026-01-01", target.deadline.isoformat())
    assert body["burnup"]["weeks"][0]["end"] == "2026-01-07" and body["burnup"]["needed"] == 7
    assert body["burnup"]["weeks"][-1]["end"] == target.deadline.isoformat()
    assert sum(figures["audience"] for figures in body["by_level"].values()) == body["figures"]["audience"] == 8
    assert body["projection"] == {"reached": False, "on": (date.today() + timedelta(days=70)).isoformat(), "short": 5,
                                  "per_week": 0.5, "text": body["projection"]["text"]}


def test_hr_of_a_commune_sees_only_its_commune(client, login, scene):
    target, (province, _, commune_a, commune_b), people = scene
    login(people["hr_a"])
    listed = client.get("/api/v1/targets").get_json()["targets"]
    assert [[(u["unit"]["code"], u["figures"]["audience"]) for u in t["units"]] for t in listed] == [[("14797", 4)]]
    base = f"/api/v1/targets/{target.id}/units"
    for refused_url, missing_url in ((f"{base}/{commune_b.id}", f"{base}/987654"), (f"{base}/{province.id}", f"{base}/987654"),
                                     (f"{base}/{commune_b.id}/not-finished", f"{base}/987654/not-finished")):
        refused, missing = client.get(refused_url), client.get(missing_url)
        assert refused.status_code == missing.status_code == 404
        assert refused.get_json() == missing.get_json() and refused.get_json()["error"]["status"] == 404
    assert client.get(f"/api/v1/targets/987654/units/{commune_a.id}").status_code == 404


def test_anonymous_gets_401_and_a_learner_403_in_json(client, login, scene):
    target, (province, *_), people = scene
    response = client.get(f"/api/v1/targets/{target.id}/units/{province.id}")
    assert response.status_code == 401 and "Location" not in response.headers
    assert response.get_json()["error"]["status"] == 401 and response.headers["Cache-Control"] == "no-store"
    login(people["Nguyễn Văn An"])
    response = client.get("/api/v1/targets")
    assert response.status_code == 403 and response.get_json()["error"]["status"] == 403


def _validator(document: dict, path: str):
    """A JSON Schema validator of the 200 answer of GET ``path``, refs resolved in the whole document."""
    pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/get/responses/200/content/application~1json/schema"
    return Draft202012Validator({**document, "$ref": "#" + pointer})


def test_every_api_route_is_described_and_answers_as_its_openapi_schema_says(app, client, login, scene):
    target, (province, _, commune_a, _), people = scene
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == set(document["paths"]), "a route of /api/v1 is missing from lms/api/openapi.yaml, or the reverse"

    login(people["hr_province"])
    urls = {"/targets": "/api/v1/targets",
            "/targets/{target_id}/units/{unit_id}": f"/api/v1/targets/{target.id}/units/{commune_a.id}",
            "/targets/{target_id}/units/{unit_id}/not-finished":
                f"/api/v1/targets/{target.id}/units/{province.id}/not-finished?per_page=3&page=2"}
    for path, url in urls.items():
        answer = client.get(url).get_json()
        errors = [error.message for error in _validator(document, path).iter_errors(answer)]
        assert errors == [], f"{url}: {errors}"
    missing = client.get(f"/api/v1/targets/{target.id + 99}/units/{province.id}").get_json()
    validate(missing, {**document, "$ref": "#/components/schemas/Error"})
