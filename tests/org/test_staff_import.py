"""``flask lms staff import``: all or nothing, upsert by staff code, one-time passwords, leavers."""

import json
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.org.models import OneTimePassword

HEADER = "Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Mã đơn vị,Email\n"


@pytest.fixture
def units(province, make_unit):
    return province, make_unit("14797", "Phường Hạc Thành", parent=province), make_unit("14758", "Phường Hàm Rồng", parent=province)


def _csv(tmp_path, body: str, name: str = "ds.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8-sig")
    return path


def _import(runner, path, *options):
    result = runner.invoke(args=["lms", "staff", "import", str(path), "--json", *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, json.loads(result.output)


def _people() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_any_error_writes_nothing_and_names_row_and_column(runner, units, tmp_path):
    path = _csv(tmp_path, "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,Chuyên viên,14797,hoa@example.vn\n"
                          "00124,Lê Văn Tám,31/02/1980,Nam,Chuyên viên,99999,\n"
                          "00123,Trần Văn Ba,01/01/1990,Nam,,14797,\n")
    code, report = _import(runner, path)
    assert code == 1
    assert {(e["row"], e["column"]) for e in report["errors"]} == {(3, "Ngày sinh"), (3, "Mã đơn vị"), (4, "Số hiệu")}
    assert _people() == 0

    text = runner.invoke(args=["lms", "staff", "import", str(path)])
    assert text.exit_code == 1 and "row 3, column Mã đơn vị: không có đơn vị mã 99999" in text.output


def test_import_creates_then_updates_by_staff_code(runner, units, tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    path = _csv(tmp_path, f"00123,{nfd},05/03/1985,Nữ,Chuyên viên,14797,hoa@example.vn\n"
                          "00124,Lê Văn Tám,12-11-1980,Nam,Chủ tịch UBND,14758,\n")
    assert _import(runner, path, "--dry-run") == (0, {"created": 2, "updated": 0, "unchanged": 0, "deactivated": 0, "errors": []})
    assert _people() == 0
    assert _import(runner, path)[1]["created"] == 2
    hoa = db.session.scalars(select(User).where(User.staff_code == "00123")).one()
    assert (hoa.ho, hoa.ten_dem, hoa.ten, hoa.full_name) == ("Nguyễn", "Thị", "Hoà", "Nguyễn Thị Hoà")
    assert hoa.date_of_birth == date(1985, 3, 5) and hoa.gender == "nu" and hoa.unit.code == "14797"
    assert hoa.must_change_password and db.session.get(OneTimePassword, hoa.id) is not None
    assert [p.unit.code for p in hoa.postings] == ["14797"]

    moved = _csv(tmp_path, "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,Chuyên viên chính,14758,\n"
                           "00124,Lê Văn Tám,12/11/1980,Nam,Chủ tịch UBND,14758,\n", "moved.csv")
    assert _import(runner, moved)[1] == {"created": 0, "updated": 1, "unchanged": 1, "deactivated": 0, "errors": []}
    db.session.expire_all()
    assert hoa.position == "Chuyên viên chính" and hoa.email == "hoa@example.vn"  # a blank cell erases nothing
    assert [(p.unit.code, p.end_date is None) for p in hoa.postings] == [("14797", False), ("14758", True)]


def test_one_time_password_logs_in_once_and_is_forgotten_after_change(runner, client, units, tmp_path):
    _import(runner, _csv(tmp_path, "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,Chuyên viên,14797,\n"))
    hoa = db.session.scalars(select(User).where(User.staff_code == "00123")).one()
    password = db.session.get(OneTimePassword, hoa.id).password
    response = client.post_form("/login", {"identifier": "00123", "password": password})
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/account/password")
    client.post_form("/account/password", {"current_password": password, "new_password": "Hoa-moi-2026!x",
                                            "confirm": "Hoa-moi-2026!x", "new_password2": "Hoa-moi-2026!x"})
    db.session.expire_all()
    assert not hoa.must_change_password and db.session.get(OneTimePassword, hoa.id) is None


def test_deactivate_missing_needs_a_unit_and_keeps_history(runner, units, make_person, tmp_path):
    _, ha_thanh, ham_rong = units
    leaver = make_person(ha_thanh, "Phạm Văn Đi", staff_code="00999")
    elsewhere = make_person(ham_rong, "Đỗ Văn Ở", staff_code="00888")
    path = _csv(tmp_path, "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,Chuyên viên,,\n")
    assert runner.invoke(args=["lms", "staff", "import", str(path), "--deactivate-missing"]).exit_code == 2
    code, report = _import(runner, path, "--unit", "14797", "--deactivate-missing")
    assert code == 0 and (report["created"], report["deactivated"]) == (1, 1)
    db.session.expire_all()
    assert not leaver.active and leaver.postings[0].end_date is not None
    assert db.session.get(User, leaver.id) is not None and elsewhere.active


def test_rows_outside_the_unit_are_unknown_units(runner, units, tmp_path):
    code, report = _import(runner, _csv(tmp_path, "00123,Nguyễn Thị Hoà,05/03/1985,Nữ,,14758,\n"), "--unit", "14797")
    assert code == 1 and report["errors"][0]["message"] == "không có đơn vị mã 14758 trong Phường Hạc Thành"


def test_xlsx_with_title_rows_and_unit_names(runner, units, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÁN BỘ"])
    sheet.append(["STT", "Mã cán bộ", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Đơn vị"])
    sheet.append([1, "00123", "Nguyễn", "Thị", "Hoà", 31112, "phuong ham rong"])
    path = tmp_path / "ds.xlsx"
    workbook.save(path)
    assert _import(runner, path)[1]["created"] == 1
    assert db.session.scalars(select(User)).one().unit.code == "14758"
