"""Reading HR rosters from XLSX and CSV: layouts, encodings, values and errors."""

import csv
import io
import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from lms.core.legacy_encodings import TCVN3, VNI, from_unicode
from lms.org.roster.values import parse_category, parse_gender
from lms.org.roster_file import RowError, read_roster

HEADER = ["STT", "Số hiệu", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Mã đơn vị", "Tên đơn vị",
          "Email", "Điện thoại", "Phân loại", "Cấp"]


def person(stt, code, name, born="17/05/1980", gender="Nam", category="Công chức", email=""):
    return [stt, code, name, born, gender, "Chuyên viên", "14758", "Sở Nội vụ", email, "0912345678", category, "Tỉnh"]


def xlsx(tmp_path, *sheets, name="roster.xlsx"):
    """Write sheets given as (title, rows) or bare row lists; rows may hold any cell values."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        title, rows = sheet if isinstance(sheet, tuple) else ("Danh sách", sheet)
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_bytes(rows, encode=lambda text: text.encode("utf-8-sig"), delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return encode(buffer.getvalue())


def csv_file(tmp_path, rows, **options):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows, **options))
    return path


def cp1258(text):
    """Encode as Windows-1258 does: letters it lacks become base letter + combining tone."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(mark for mark in decomposed if mark in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", decomposed.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def names(result):
    return [(row.number, row.staff_code, row.ho, row.ten_dem, row.ten) for row in result.rows]


def test_xlsx_with_title_rows_blank_rows_and_numbered_template_rows(tmp_path):
    path = xlsx(tmp_path, [
        ["UBND TỈNH THANH HÓA"],
        ["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2025"],
        [],
        HEADER,
        [1, "00123", "  Nguyễn   Văn Ánh ", datetime(1980, 5, 17), "Nam", "Chuyên viên", 14758, "Sở Nội vụ",
         "an.nv@thanhhoa.gov.vn", "0912345678", "Công chức", "Tỉnh"],
        [],
        [2, 124.0, unicodedata.normalize("NFD", "Trần Thị Bích"), 29221, "Nữ", None, "14759", None, None, None,
         "Viên chức", None],
        [3],
        [4, "TH-9", "Lê Anh", "7/5/1985", "nữ", "", "", "", "", "", "HĐ 68", ""],
    ])
    result = read_roster(path, "Danh sach.xlsx")
    assert result.errors == []
    assert (result.sheet, result.header_row, result.legacy_encoding) == ("Danh sách", 4, None)
    assert names(result) == [
        (5, "00123", "Nguyễn", "Văn", "Ánh"), (7, "124", "Trần", "Thị", "Bích"), (9, "TH-9", "Lê", None, "Anh"),
    ]
    first, second, third = result.rows
    assert (first.date_of_birth, first.gender, first.category) == (date(1980, 5, 17), "nam", "cong_chuc")
    assert first.level == "Tỉnh"
    assert (first.unit_code, first.unit_name, first.position) == ("14758", "Sở Nội vụ", "Chuyên viên")
    assert (first.email, first.phone, first.full_name) == ("an.nv@thanhhoa.gov.vn", "0912345678", "Nguyễn Văn Ánh")
    assert (second.date_of_birth, second.gender, second.category) == (date(1980, 1, 1), "nu", "vien_chuc")
    assert (second.email, second.position) == (None, None)
    assert (third.date_of_birth, third.gender, third.category) == (date(1985, 5, 7), "nu", "hop_dong")


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"encode": lambda text: text.encode("utf-8")},
        {"delimiter": ";"},
        {"delimiter": "\t"},
        {"encode": cp1258},
        {"encode": lambda text: text.encode("utf-16"), "delimiter": "\t"},
    ],
    ids=["utf-8-bom", "utf-8", "semicolon", "tab", "cp1258", "excel-unicode-text"],
)
def test_csv_encodings_and_delimiters(tmp_path, options):
    rows = [["DANH SÁCH CÁN BỘ"], HEADER, person(1, "00123", "Nguyễn Thị Hoà"), person(2, "0456", "Phạm Thị Ân")]
    result = read_roster(csv_file(tmp_path, rows, **options), "roster.csv")
    assert result.errors == []
    assert names(result) == [(3, "00123", "Nguyễn", "Thị", "Hoà"), (4, "0456", "Phạm", "Thị", "Ân")]
    assert result.rows[0].unit_name == "Sở Nội vụ"


def test_csv_from_file_objects_and_excel_text_formulas(tmp_path):
    data = csv_bytes([HEADER, person(1, '="00123"', "Lê Văn Anh")])
    assert names(read_roster(io.BytesIO(data), "roster.csv")) == [(2, "00123", "Lê", "Văn", "Anh")]

    class Upload(io.RawIOBase):  # a stream that cannot seek, like some upload wrappers
        def __init__(self, payload):
            self.source = io.BytesIO(payload)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.source.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert names(read_roster(Upload(data), "roster.csv")) == [(2, "00123", "Lê", "Văn", "Anh")]


def test_csv_typed_in_tcvn3(tmp_path):
    rows = [[from_unicode(cell, TCVN3) if isinstance(cell, str) else cell for cell in row] for row in [
        ["DANH SÁCH CÁN BỘ, CÔNG CHỨC"],
        HEADER,
        person(1, "001", "Lê Thị Ánh", gender="Nữ"),
        person(2, "002", "Lý Tú", category="Cán bộ"),
    ]]
    result = read_roster(csv_file(tmp_path, rows, encode=lambda text: text.encode("latin-1")), "cu.csv")
    assert result.errors == []
    assert result.legacy_encoding == TCVN3
    assert result.columns["staff_code"] == "Số hiệu"
    assert names(result) == [(3, "001", "Lê", "Thị", "Ánh"), (4, "002", "Lý", None, "Tú")]
    assert (result.rows[0].gender, result.rows[0].unit_name, result.rows[1].category) == ("nu", "Sở Nội vụ", "can_bo")


def test_xlsx_typed_in_vni(tmp_path):
    rows = [[from_unicode(cell, VNI) if isinstance(cell, str) else cell for cell in row] for row in [
        HEADER, person(1, "001", "Trương Văn Hùng"), person(2, "002", "NGUYỄN THỊ HOÀ", gender="Nữ"),
    ]]
    result = read_roster(xlsx(tmp_path, rows), "roster.xlsx")
    assert result.errors == []
    assert result.legacy_encoding == VNI
    assert names(result) == [(2, "001", "Trương", "Văn", "Hùng"), (3, "002", "NGUYỄN", "THỊ", "HOÀ")]
    assert result.rows[0].position == "Chuyên viên"


@pytest.mark.parametrize(
    ("cell", "born"),
    [
        ("17/05/1980", date(1980, 5, 17)),
        ("17-05-1980", date(1980, 5, 17)),
        ("17.05.1980", date(1980, 5, 17)),
        ("7/5/1980", date(1980, 5, 7)),
        ("1980-05-07", date(1980, 5, 7)),
        ("29358", date(1980, 5, 17)),
        (29358, date(1980, 5, 17)),
        (29358.75, date(1980, 5, 17)),
        (datetime(1980, 5, 17, 8, 30), date(1980, 5, 17)),
    ],
)
def test_dates_of_birth(tmp_path, cell, born):
    result = read_roster(xlsx(tmp_path, [HEADER, person(1, "001", "Lê Văn An", born=cell)]), "roster.xlsx")
    assert result.errors == []
    assert result.rows[0].date_of_birth == born


def test_each_kind_of_error_names_row_column_and_value(tmp_path):
    too_young = date(date.today().year - 10, 1, 1)
    rows = [
        ["DANH SÁCH"],
        HEADER,
        person(1, "TH001", "Nguyễn Văn An"),
        person(2, "", "Trần Thị Bình", gender="Nữ"),
        person(3, "TH003", ""),
        person(4, "th001", "Lê Văn Cường"),
        person(5, "TH005", "Phạm Văn Dũng", born="31/02/1980"),
        person(6, "TH006", "Hoàng Văn Em", born="01/01/1930"),
        person(7, "TH007", "Vũ Thị Giang", born=too_young.strftime("%d/%m/%Y"), gender="Nữ"),
        person(8, "TH008", "Đỗ Văn Hải", born="không rõ"),
        person(9, "TH009", "Ngô Văn Khánh", gender="Khác"),
        person(10, "TH010", "Bùi Văn Long", category="Chuyên viên"),
        person(11, "TH011", "Đinh Văn Minh", email="minh@"),
    ]
    result = read_roster(csv_file(tmp_path, rows), "roster.csv")
    assert result.errors == [
        RowError(4, "Số hiệu", "thiếu số hiệu cán bộ"),
        RowError(5, "Họ và tên", "thiếu họ tên"),
        RowError(6, "Số hiệu", "số hiệu trùng với dòng 3"),
        RowError(7, "Ngày sinh", "ngày sinh không hợp lệ: 31/02/1980"),
        RowError(8, "Ngày sinh", "ngày sinh không hợp lệ: 01/01/1930 (năm sinh trước 1940)"),
        RowError(9, "Ngày sinh", f"ngày sinh không hợp lệ: {too_young:%d/%m/%Y} (chưa đủ 15 tuổi)"),
        RowError(10, "Ngày sinh", "ngày sinh không hợp lệ: không rõ"),
        RowError(11, "Giới tính", "giới tính không hợp lệ: Khác"),
        RowError(12, "Phân loại", "phân loại không hợp lệ: Chuyên viên"),
        RowError(13, "Email", "email không hợp lệ: minh@"),
    ]
    assert [row.number for row in result.rows] == list(range(3, 14))
    assert (result.rows[4].date_of_birth, result.rows[8].gender, result.rows[10].email) == (None, None, None)


def test_english_headers(tmp_path):
    header = ["No.", "Staff code", "Full name", "Date of birth", "Gender", "Position", "Unit code", "Unit",
              "Email", "Phone", "Category", "Level"]
    rows = [
        header,
        [1, "001", "Nguyễn Văn An", "1980-05-17", "M", "Officer", "14758", "DOHA", "", "", "Civil servant", ""],
        [2, "002", "Lê Thị Hoa", "1985-01-02", "F", "", "", "", "", "", "Contract", ""],
    ]
    result = read_roster(xlsx(tmp_path, rows), "roster.xlsx")
    assert result.errors == []
    assert [(row.gender, row.category) for row in result.rows] == [("nam", "cong_chuc"), ("nu", "hop_dong")]


def test_separate_name_columns_and_a_female_mark_column(tmp_path):
    rows = [["TT", "Mã CB", "Họ", "Tên đệm", "Tên", "Ngày, tháng, năm sinh (dd/mm/yyyy)", "Nữ"],
            [1, "001", "Nguyễn", "Thị Ngọc", "Ánh", "01/02/1990", "x"],
            [2, "002", "Tôn Nữ", "", "Hà", "01/02/1991", ""]]
    result = read_roster(xlsx(tmp_path, rows), "roster.xlsx")
    assert result.errors == []
    assert names(result) == [(2, "001", "Nguyễn", "Thị Ngọc", "Ánh"), (3, "002", "Tôn Nữ", None, "Hà")]
    assert [row.gender for row in result.rows] == ["nu", "nam"]


def test_ho_va_ten_dem_column_with_ten_column_and_column_numbers_row(tmp_path):
    rows = [["Số hiệu", "Họ và tên đệm", "Tên", "Chức vụ"], ["(1)", "(2)", "(3)", "(4)"],
            ["001", "Trần Văn", "Dũng", "Trưởng phòng"]]
    result = read_roster(xlsx(tmp_path, rows), "roster.xlsx")
    assert result.errors == []
    assert names(result) == [(3, "001", "Trần", "Văn", "Dũng")]


def test_first_sheet_with_a_header_is_read(tmp_path):
    guide = ("Hướng dẫn", [["Điền danh sách vào trang sau"]])
    path = xlsx(tmp_path, guide, ("DS", [HEADER, person(1, "001", "Lê An")]))
    result = read_roster(path, "roster.xlsx")
    assert (result.sheet, names(result)) == ("DS", [(2, "001", "Lê", None, "An")])


def test_header_is_looked_for_in_the_first_20_rows(tmp_path):
    found = read_roster(xlsx(tmp_path, [["tiêu đề"]] * 19 + [HEADER, person(1, "001", "Lê An")]), "a.xlsx")
    assert (found.header_row, len(found.rows)) == (20, 1)
    missed = read_roster(xlsx(tmp_path, [["tiêu đề"]] * 20 + [HEADER, person(1, "001", "Lê An")]), "a.xlsx")
    assert missed.rows == []
    assert missed.errors == [RowError(None, None, "không tìm thấy dòng tiêu đề trong 20 dòng đầu "
                                      "(cần các cột như “Số hiệu”, “Họ và tên”, “Ngày sinh”)")]


def test_missing_required_column(tmp_path):
    result = read_roster(xlsx(tmp_path, [["Họ và tên", "Ngày sinh"], ["Lê An", "01/01/1980"]]), "a.xlsx")
    assert result.rows == []
    assert result.errors == [RowError(1, None, "thiếu cột: Số hiệu (Mã cán bộ)")]


@pytest.mark.parametrize(
    ("filename", "payload", "message"),
    [
        ("cu.xls", b"\xd0\xcf\x11\xe0", "tệp .xls (Excel 97-2003) chưa được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv"),
        ("hong.xlsx", b"not a zip file", "không đọc được tệp hong.xlsx: tệp hỏng hoặc không đúng định dạng"),
        ("anh.png", b"\x89PNG", "định dạng tệp không được hỗ trợ: anh.png (cần .xlsx hoặc .csv)"),
    ],
)
def test_unreadable_files(filename, payload, message):
    assert read_roster(io.BytesIO(payload), filename).errors == [RowError(None, None, message)]


@pytest.mark.parametrize(
    ("text", "category"),
    [("Cán bộ", "can_bo"), ("CÔNG CHỨC", "cong_chuc"), ("Công chức cấp xã", "cong_chuc"), ("Viên chức", "vien_chuc"),
     ("Hợp đồng", "hop_dong"), ("HĐ 68", "hop_dong"), ("hđ68", "hop_dong"), ("hop_dong", "hop_dong"),
     ("VC", "vien_chuc"), ("Chuyên viên", None)],
)
def test_category_values(text, category):
    assert parse_category(text) == category


@pytest.mark.parametrize(
    ("text", "gender"), [("Nam", "nam"), ("NỮ", "nu"), ("nu", "nu"), ("Male", "nam"), ("F", "nu"), ("x", None)]
)
def test_gender_values(text, gender):
    assert parse_gender(text) == gender
