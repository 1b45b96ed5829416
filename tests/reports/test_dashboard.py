"""HR of a commune and HR of the province see matching numbers, on screen, in XLSX and PDF; no one else's."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from lms.admin.models import AuditEvent
from lms.extensions import db


@pytest.fixture
def scene(tree, make_person, make_course, make_target, complete):
    province, department, commune_a, commune_b = tree
    course = make_course("IU01")
    people = {
        "hr_province": make_person(province, "Lê Văn Tỉnh", roles=[("hr", province)]),
        "hr_a": make_person(commune_a, "Trịnh Thị Xã", roles=[("hr", commune_a)]),
        "hr_b": make_person(commune_b, "Mai Văn Phường", roles=[("hr", commune_b)]),
    }
    for name in ("Nguyễn Văn An", "Lê Thị Ánh", "=HYPERLINK(\"x\") Bình"):
        people[name] = make_person(commune_a, name)
    people["Đỗ Văn Cường"] = make_person(commune_b, "Đỗ Văn Cường")
    target = make_target([province], [course])
    complete(people["Nguyễn Văn An"], course)
    complete(people["Đỗ Văn Cường"], course)
    return target, tree, people


def test_province_and_commune_numbers_match_on_every_surface(client, login, scene):
    target, (province, _, commune_a, _), people = scene
    login(people["hr_province"])
    page = client.get(f"/hr/targets/{target.id}/units/{province.id}").get_data(as_text=True)
    assert "2/7" in page.replace(" ", "").replace("\n", "")  # 2 of 7 people in the province have finished
    assert "Phường Hạc Thành" in page and "Phường Hàm Rồng" in page
    sheet = load_workbook(BytesIO(client.get(f"/hr/targets/{target.id}/units/{province.id}/units.xlsx").data)).active
    total = [row for row in sheet.iter_rows(values_only=True)][-1]
    assert total[2:4] == (7, 2)
    pdf = client.get(f"/hr/targets/{target.id}/units/{province.id}/report.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")

    login(people["hr_a"])
    page = client.get(f"/hr/targets/{target.id}/units/{commune_a.id}").get_data(as_text=True)
    assert "1/4" in page.replace(" ", "").replace("\n", "")
    sheet = load_workbook(BytesIO(client.get(f"/hr/targets/{target.id}/units/{commune_a.id}/units.xlsx").data)).active
    assert [row for row in sheet.iter_rows(values_only=True)][-1][2:4] == (4, 1)


def test_hr_of_one_commune_never_sees_another(client, login, scene):
    target, (province, _, commune_a, commune_b), people = scene
    login(people["hr_a"])
    for url in (f"/hr/targets/{target.id}/units/{commune_b.id}", f"/hr/targets/{target.id}/units/{province.id}",
                f"/hr/targets/{target.id}/units/{commune_b.id}/not-finished",
                f"/hr/targets/{target.id}/units/{commune_b.id}/not-finished.xlsx",
                f"/hr/targets/{target.id}/units/{commune_b.id}/report.pdf",
                f"/targets/{target.id}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/hr/targets/{target.id}/units/{commune_b.id}/remind").status_code == 404
    assert client.get("/hr/targets/999/units/1").status_code == 404


def test_learner_cannot_open_the_dashboard(client, login, scene):
    _, _, people = scene
    login(people["Nguyễn Văn An"])
    assert client.get("/hr/targets").status_code == 403


def test_dashboard_lists_the_target_with_percentage_and_gap(client, login, scene):
    target, _, people = scene
    login(people["hr_province"])
    page = client.get("/hr/targets").get_data(as_text=True)
    assert target.name in page and "28.6%" in page
    assert "<meter" in page and "style=" not in page


def test_not_finished_list_in_vietnamese_order_and_xlsx_neutralised_and_audited(client, login, scene):
    target, (_, _, commune_a, _), people = scene
    login(people["hr_a"])
    page = client.get(f"/hr/targets/{target.id}/units/{commune_a.id}/not-finished").get_data(as_text=True)
    page = page[page.index("<tbody>"):]
    assert page.index("Lê Thị Ánh") < page.index("Trịnh Thị Xã")
    assert "Nguyễn Văn An" not in page
    response = client.get(f"/hr/targets/{target.id}/units/{commune_a.id}/not-finished.xlsx")
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"x\") Bình" in names
    assert all(not str(cell).startswith(("=", "+", "-", "@")) for row in rows for cell in row if cell is not None)
    events = db.session.query(AuditEvent).filter_by(action="target.export").all()
    assert [e.details["content"] for e in events] == ["not_finished"] and events[0].details["people"] == 3
