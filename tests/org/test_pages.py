"""HR pages: the tree, filtered lists and exports, roster upload with preview, passwords, placements."""

import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.org.models import OneTimePassword, OrgUnit, PendingPlacement
from lms.org.reorganisation import split_unit

CSV = ("Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Email\n"
       "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,Chuyên viên,\n"
       "00124,=HYPERLINK(\"x\") Văn Tám,12/11/1980,Nam,Chủ tịch UBND,\n")


@pytest.fixture
def scene(province, make_unit, make_person):
    district = make_unit("380", "Thành phố Thanh Hóa", "district", parent=province)
    ha_thanh = make_unit("14797", "Phường Hạc Thành", parent=district)
    ham_rong = make_unit("14758", "Phường Hàm Rồng", parent=province)
    hr = make_person(district, "Trịnh Văn Hùng", roles=[("hr", district)], category="cong_chuc")
    return district, ha_thanh, ham_rong, hr


def _upload(client, unit, content: bytes, name="ds.csv", **extra):
    data = {"file": (io.BytesIO(content), name), "unit": str(unit.id), **extra}
    return client.post_form("/staff/import", data, content_type="multipart/form-data")


def test_tree_shows_subtree_counts_in_details(client, login, scene, make_person):
    district, ha_thanh, _, hr = scene
    make_person(ha_thanh, "Lê Thị An")
    login(hr)
    page = client.get(f"/units/{district.id}").get_data(as_text=True)
    assert "<details open>" in page and "Phường Hạc Thành" in page and "Phường Hàm Rồng" not in page
    assert '<span class="badge">2</span>' in page and "style=" not in page
    assert client.get(f"/units/{district.id}?as_of=2025-13-01").status_code == 400


def test_staff_list_filters_and_keeps_them_across_pages(client, login, scene, make_person):
    district, ha_thanh, _, hr = scene
    make_person(ha_thanh, "Lê Thị An", category="vien_chuc", position="Kế toán")
    gone = make_person(ha_thanh, "Phạm Văn Đi", category="vien_chuc")
    gone.active = False
    db.session.commit()
    login(hr)
    page = client.get(f"/staff?unit={district.id}&category=vien_chuc").get_data(as_text=True)
    page = page[page.index("<tbody>"):]
    assert "Lê Thị An" in page and "Trịnh Văn Hùng" not in page and "Phạm Văn Đi" not in page
    assert "Lê Thị An" not in client.get(f"/staff?unit={district.id}&level=district").get_data(as_text=True)
    assert "Phạm Văn Đi" in client.get(f"/staff?unit={district.id}&active=0").get_data(as_text=True)
    only_position = client.get(f"/staff?unit={district.id}&position=Kế+toán").get_data(as_text=True)
    only_position = only_position[only_position.index("<tbody>"):]
    assert "Lê Thị An" in only_position and "Trịnh Văn Hùng" not in only_position
    before = client.get(f"/staff?unit={district.id}&as_of=2025-06-30").get_data(as_text=True)
    assert "Không tìm thấy ai." in before  # everyone was posted on 1 July 2025


def test_export_is_neutralised_and_audited(client, login, scene, make_person):
    district, ha_thanh, _, hr = scene
    make_person(ha_thanh, "=HYPERLINK(\"x\") Văn Bình", staff_code="-1")
    login(hr)
    response = client.post_form(f"/staff/export.xlsx?unit={district.id}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and "'=HYPERLINK(\"x\") Văn Bình" in [r[0] for r in rows]
    assert "'-1" in [r[1] for r in rows]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.exported")).one()
    assert event.details["rows"] == 2 and event.actor_id == hr.id


def test_upload_preview_confirm_then_print_passwords(client, login, scene):
    district, ha_thanh, _, hr = scene
    login(hr)
    response = _upload(client, ha_thanh, CSV.encode("utf-8"))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tạo mới: 2" in preview and "Nguyễn Thị Hoà" in preview
    assert db.session.scalar(select(User).where(User.staff_code == "00123")) is None

    done = client.post_form(response.headers["Location"])
    assert done.headers["Location"].endswith(f"/units/{ha_thanh.id}/passwords")
    hoa = db.session.scalars(select(User).where(User.staff_code == "00123")).one()
    assert hoa.unit_id == ha_thanh.id and hoa.must_change_password
    assert client.get(response.headers["Location"]).status_code == 404  # the stored file is gone

    pdf = client.post_form(f"/units/{district.id}/passwords.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert b"Helvetica" not in pdf.data
    assert "Nguyễn Thị Hoà" in text and db.session.get(OneTimePassword, hoa.id).password in text
    page = client.get(f"/units/{district.id}/passwords").get_data(as_text=True)
    issued = page.split('name="issued_until" type="hidden" value="')[1].split('"')[0]
    client.post_form(f"/units/{district.id}/passwords/printed", {"issued_until": issued})
    assert db.session.get(OneTimePassword, hoa.id) is None


def test_upload_errors_are_listed_and_nothing_is_written(client, login, scene):
    _, ha_thanh, _, hr = scene
    login(hr)
    bad = CSV + "00123,Trần Văn Ba,01/01/1990,Nam,,\n"
    preview = client.get(_upload(client, ha_thanh, bad.encode()).headers["Location"])
    page = preview.get_data(as_text=True)
    assert "số hiệu trùng với dòng 2" in page and "Xác nhận nhập" not in page


def test_upload_is_checked_by_content_and_scope(client, login, scene, make_person):
    _, ha_thanh, ham_rong, hr = scene
    login(hr)
    fake = _upload(client, ha_thanh, b"\x00\x01binary", name="ds.xlsx")
    assert fake.status_code == 200 and "Nội dung tệp không phải bảng tính" in fake.get_data(as_text=True)
    assert _upload(client, ham_rong, CSV.encode()).status_code == 200  # not a choice: form error
    assert db.session.scalar(select(User).where(User.staff_code == "00123")) is None

    location = _upload(client, ha_thanh, CSV.encode()).headers["Location"]
    other = make_person(ham_rong, "Đỗ Văn Khác", roles=[("hr", ham_rong)])
    login(other)
    assert client.get(location).status_code == 404
    assert client.post_form(location).status_code == 404


def test_hr_places_people_of_a_split_unit(client, login, scene, make_person):
    district, ha_thanh, ham_rong, hr = scene
    person = make_person(ha_thanh, "Lê Thị Chờ", start=date(2020, 1, 1))
    other = make_unit_in(district, "14800", "Phường Mới")
    split_unit(ha_thanh, [ham_rong, other], date(2025, 7, 1))
    db.session.commit()
    login(hr)
    page = client.get("/placements").get_data(as_text=True)
    assert "Lê Thị Chờ" in page and "Phường Hàm Rồng" in page and "Phường Mới" in page
    placement = db.session.scalars(select(PendingPlacement)).one()
    field = f"p{placement.id}-unit"
    assert client.post_form(f"/placements/{placement.id}", {field: str(district.id)}).status_code == 400
    assert client.post_form(f"/placements/{placement.id}", {field: str(ham_rong.id)}).status_code == 302
    db.session.expire_all()
    assert person.unit_id == ham_rong.id and person.postings[-1].start_date == date(2025, 7, 1)
    assert db.session.scalar(select(PendingPlacement)) is None


def make_unit_in(parent, code, name):
    from lms.org.operations import create_unit

    unit = create_unit(code, name, "commune", parent)
    db.session.commit()
    return unit


def test_admin_renames_merges_and_closes_hr_cannot(client, login, scene, make_person):
    district, ha_thanh, ham_rong, hr = scene
    login(hr)
    assert client.get(f"/units/{ha_thanh.id}/manage").status_code == 403
    admin = make_person(ham_rong, "Lê Minh Quân", roles=["admin"])
    person = make_person(ha_thanh, "Nguyễn Văn Chuyển")
    login(admin)
    assert client.post_form(f"/units/{ha_thanh.id}/manage/rename", {"rename-name": "Phường Hạc Thành Mới"}).status_code == 302
    closing = client.post_form(f"/units/{ha_thanh.id}/manage/close", {"close-effective": "2025-08-01"})
    assert closing.status_code == 400 and "còn đơn vị trực thuộc hoặc cán bộ" in closing.get_data(as_text=True)
    merged = client.post_form(f"/units/{ha_thanh.id}/manage/merge",
                              {"merge-target_code": "14758", "merge-effective": "2025-08-01"})
    assert merged.status_code == 302
    db.session.expire_all()
    assert ha_thanh.name == "Phường Hạc Thành Mới" and ha_thanh.valid_to == date(2025, 8, 1)
    assert person.unit_id == ham_rong.id
    assert db.session.get(OrgUnit, ha_thanh.id) is not None
    # One audit event per change: the refused close wrote none, the merge its operation's own.
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("org.unit_%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["org.unit_rename", "org.unit_merged"]
