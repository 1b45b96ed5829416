"""An HR officer sees their subtree and nothing else; other people's objects answer 404."""

import pytest


@pytest.fixture
def tree(province, make_unit):
    ha_thanh = make_unit("14797", "Phường Hạc Thành", parent=province)
    ham_rong = make_unit("14758", "Phường Hàm Rồng", parent=province)
    return province, ha_thanh, ham_rong


def test_hr_sees_own_subtree_staff_in_vietnamese_order(client, tree, make_person, login):
    _, ha_thanh, ham_rong = tree
    hr = make_person(ha_thanh, "Trịnh Văn Hùng", roles=[("hr", ha_thanh)])
    for name in ["Nguyễn Văn Ánh", "Lê Thị An", "Phạm Thị Bích", "Đỗ Văn Anh"]:
        make_person(ha_thanh, name)
    make_person(ham_rong, "Hoàng Thị Ẩn Danh")
    login(hr)
    page = client.get(f"/staff?unit={ha_thanh.id}").get_data(as_text=True)
    page = page[page.index("<tbody>"):]
    names = ["Lê Thị An", "Đỗ Văn Anh", "Nguyễn Văn Ánh", "Phạm Thị Bích", "Trịnh Văn Hùng"]
    positions = [page.index(n) for n in names]
    assert positions == sorted(positions)
    assert "Hoàng Thị Ẩn Danh" not in page


def test_search_ignores_accents_and_case(client, tree, make_person, login):
    _, ha_thanh, _ = tree
    hr = make_person(ha_thanh, "Trịnh Văn Hùng", roles=[("hr", ha_thanh)])
    make_person(ha_thanh, "Nguyễn Thị Hoà")
    make_person(ha_thanh, "Nguyễn Thị Hòa")
    make_person(ha_thanh, "Nguyễn Thị Hoa Mai")
    make_person(ha_thanh, "Nguyễn Thị Lan")
    login(hr)
    page = client.get(f"/staff?unit={ha_thanh.id}&q=NGUYEN+thi+hoa").get_data(as_text=True)
    page = page[page.index("<tbody>"):]
    for name in ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "Nguyễn Thị Hoa Mai"):
        assert name in page
    assert "Nguyễn Thị Lan" not in page


def test_other_units_people_and_units_answer_404(client, tree, make_person, login):
    _, ha_thanh, ham_rong = tree
    hr = make_person(ha_thanh, "Trịnh Văn Hùng", roles=[("hr", ha_thanh)])
    stranger = make_person(ham_rong, "Lê Văn Tám")
    login(hr)
    assert client.get(f"/staff/{stranger.id}").status_code == 404
    assert client.get(f"/staff/{stranger.id + 1000}").status_code == 404
    assert client.get(f"/units/{ham_rong.id}").status_code == 404
    assert client.get(f"/staff?unit={ham_rong.id}").status_code == 404
    assert client.post_form(f"/staff/{stranger.id}/reset-password").status_code == 404


def test_province_hr_sees_every_commune(client, tree, make_person, login):
    province, ha_thanh, ham_rong = tree
    hr = make_person(province, "Nguyễn Thị Hằng", roles=[("hr", province)])
    make_person(ham_rong, "Lê Văn Tám")
    login(hr)
    page = client.get(f"/units/{province.id}").get_data(as_text=True)
    assert "Phường Hạc Thành" in page and "Phường Hàm Rồng" in page
    assert "Lê Văn Tám" in client.get(f"/staff?unit={province.id}").get_data(as_text=True)


def test_learner_cannot_open_hr_pages(client, tree, make_person, login):
    _, ha_thanh, _ = tree
    learner = make_person(ha_thanh, "Lê Văn Học")
    login(learner)
    assert client.get("/units").status_code == 403
    assert client.get("/staff").status_code == 403
