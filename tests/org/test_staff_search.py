"""Staff search: every word typed begins a word of the name, accents and case ignored, inside the HR scope."""

import re

import pytest
from sqlalchemy import select

from lms.auth.models import User, UserNameWord
from lms.extensions import db
from lms.org import queries

PEOPLE = ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "Lê Văn Khoa", "Đỗ Đức Dũng",
          "Trần Thị Ngọc Ánh"]


@pytest.fixture
def hr_client(client, province, make_unit, make_person, login):
    """An HR officer of Phường Hạc Thành, where PEOPLE work; a namesake works in Phường Hàm Rồng."""
    ha_thanh = make_unit("14797", "Phường Hạc Thành", parent=province)
    ham_rong = make_unit("14758", "Phường Hàm Rồng", parent=province)
    hr = make_person(ha_thanh, "Trịnh Văn Hùng", roles=[("hr", ha_thanh)])
    for name in PEOPLE:
        make_person(ha_thanh, name)
    make_person(ham_rong, "Nguyễn Văn Ân")
    login(hr)
    return client, ha_thanh


def _found(client, unit, query: str) -> list[str]:
    """The names the staff list shows for ``query``, in the order shown."""
    page = client.get("/staff", query_string={"unit": unit.id, "q": query}).get_data(as_text=True)
    return re.findall(r'/staff/\d+">([^<]+)</a>', page[page.index("<tbody>"):])


@pytest.fixture(params=["id list", "subquery"])
def id_list_limit(request, monkeypatch):
    """Run each search both ways: the matching people's ids listed, and the words' intersection as a subquery."""
    if request.param == "subquery":
        monkeypatch.setattr(queries, "ID_LIST_LIMIT", 0)


@pytest.mark.usefixtures("id_list_limit")
@pytest.mark.parametrize(("query", "expected"), [
    ("nguyen van an", ["Nguyễn Văn An", "Nguyễn Văn Anh"]),  # "an" begins "anh" too
    ("NGUYỄN VĂN ÁNH", ["Nguyễn Văn Anh"]),
    ("nguyen thi hoa", ["Nguyễn Thị Hoà", "Nguyễn Thị Hòa"]),  # both tone placements
    ("hoa", ["Nguyễn Thị Hoà", "Nguyễn Thị Hòa"]),  # not Lê Văn Khoa: words match from their start
    ("hoa nguyen", ["Nguyễn Thị Hoà", "Nguyễn Thị Hòa"]),  # any order
    ("ng th h", ["Nguyễn Thị Hoà", "Nguyễn Thị Hòa"]),  # word prefixes
    ("do duc dung", ["Đỗ Đức Dũng"]),  # đ is d
    ("Đ D", ["Đỗ Đức Dũng"]),
    ("anh", ["Nguyễn Văn Anh", "Trần Thị Ngọc Ánh"]),
    ("  van,  an ", ["Nguyễn Văn An", "Nguyễn Văn Anh"]),  # punctuation and spaces separate words
])
def test_each_word_begins_a_word_of_the_name(hr_client, query, expected):
    client, unit = hr_client
    assert _found(client, unit, query) == expected


@pytest.mark.usefixtures("id_list_limit")
@pytest.mark.parametrize("query", ["guyen", "oa", "van xyz", "nguyen van an an an x"])
def test_inside_a_word_or_an_extra_word_finds_nobody(hr_client, query):
    client, unit = hr_client
    assert _found(client, unit, query) == []


def test_results_stay_in_vietnamese_order_and_in_scope(hr_client):
    client, unit = hr_client
    # By tên, then tên đệm, then họ; Nguyễn Văn Ân works outside the officer's unit.
    assert _found(client, unit, "nguyen") == ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Hoà", "Nguyễn Thị Hòa"]
    assert _found(client, unit, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]


def test_province_officer_finds_people_of_every_commune(client, hr_client, province, make_person, login):
    login(make_person(province, "Mai Văn Tỉnh", roles=[("hr", province)]))
    assert _found(client, province, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ân"]


def test_a_staff_code_is_looked_up_exactly(hr_client, make_person):
    client, unit = hr_client
    make_person(unit, "Hà Thị Mã", staff_code="0012345")
    assert _found(client, unit, "0012345") == ["Hà Thị Mã"]
    assert _found(client, unit, "001234") == []


def test_roster_import_keeps_the_words_of_created_and_renamed_people(runner, hr_client, tmp_path):
    client, unit = hr_client
    header = "Số hiệu,Họ và tên,Mã đơn vị\n"
    (tmp_path / "ds.csv").write_text(header + "N001,Phạm Thị Nguyệt,14797\n", encoding="utf-8")
    assert runner.invoke(args=["lms", "staff", "import", str(tmp_path / "ds.csv")]).exit_code == 0
    assert _found(client, unit, "pham nguyet") == ["Phạm Thị Nguyệt"]
    (tmp_path / "ds.csv").write_text(header + "N001,Phạm Thị Nguyệt Minh,14797\n", encoding="utf-8")
    assert runner.invoke(args=["lms", "staff", "import", str(tmp_path / "ds.csv")]).exit_code == 0
    assert _found(client, unit, "pham minh") == ["Phạm Thị Nguyệt Minh"]
    person = db.session.scalar(select(User).where(User.staff_code == "N001"))
    words = db.session.scalars(select(UserNameWord.word).where(UserNameWord.user_id == person.id))
    assert sorted(words) == ["minh", "nguyet", "pham", "thi"]


def test_renaming_a_person_replaces_their_words(app_ctx, province, make_person):
    person = make_person(province, "Lê Văn Tám")
    person.set_name("Lê", "Văn", "Tâm")
    db.session.commit()
    words = db.session.scalars(select(UserNameWord.word).where(UserNameWord.user_id == person.id))
    assert sorted(words) == ["le", "tam", "van"]
    person.set_name("Lê", "Thị", "Tâm")
    db.session.commit()
    words = db.session.scalars(select(UserNameWord.word).where(UserNameWord.user_id == person.id))
    assert sorted(words) == ["le", "tam", "thi"]
