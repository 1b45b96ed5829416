"""Importing questions from GIFT, Aiken and XLSX: preview, errors with their line or row, all or nothing."""

import io
import zipfile

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lms.authoring.models import CourseDraft
from lms.authoring.xlsx_questions import COLUMNS, TEMPLATE_ROWS, read_xlsx_questions
from lms.extensions import db
from tests.authoring.conftest import upload_questions

COURSE = "/authoring/courses/AU01"


def _bank() -> list[dict]:
    db.session.expire_all()
    return db.session.scalars(select(CourseDraft)).one().questions


def _sheet(*rows) -> bytes:
    book = Workbook()
    book.active.append(list(COLUMNS.values()))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_gift_preview_then_confirm(authoring, new_course):
    page = upload_questions(authoring, "AU01", "::Mới::Hai cộng hai? {=4 ~5}\n\n::Thủ đô::Thủ đô? {=Hà Nội ~Huế}\n".encode(),
                            "them.gift").get_data(as_text=True)
    assert "2 câu hỏi sẽ được nhập" in page and "Thay câu cùng tên" in page and "Tạo mới" in page
    assert len(_bank()) == 3  # nothing yet
    authoring.post_form(f"{COURSE}/import/confirm")
    bank = _bank()
    assert [q["name"] for q in bank] == ["Thủ đô", "Đúng sai", "Kilobyte", "Mới"]
    assert bank[0]["text"] == "Thủ đô?"  # the same name replaced the question


def test_a_gift_error_names_its_line_and_nothing_is_staged(authoring, new_course):
    page = upload_questions(authoring, "AU01", b"::A::Ok {=1 ~2}\n\n::B::Broken {=1 ~2\n", "loi.gift").get_data(as_text=True)
    assert "loi.gift:3: unclosed answer block" in page
    assert db.session.scalars(select(CourseDraft)).one().pending_import is None
    assert authoring.post_form(f"{COURSE}/import/confirm", follow_redirects=True).status_code == 200
    assert len(_bank()) == 3


def test_aiken_is_recognised_by_its_content(authoring, new_course):
    upload_questions(authoring, "AU01", "Thủ phủ Nghệ An?\nA. Vinh\nB. Huế\nANSWER: A\n".encode(), "aiken.txt")
    authoring.post_form(f"{COURSE}/import/confirm")
    assert _bank()[-1]["data"]["answers"][0] == {"text": "Vinh", "fraction": 1.0, "feedback": ""}


def test_not_utf8_and_not_xlsx_are_refused(authoring, new_course):
    page = upload_questions(authoring, "AU01", b"Cau hoi {=d\xfang}", "cu.gift").get_data(as_text=True)
    assert "cu.gift:1: file is not UTF-8 text" in page
    page = upload_questions(authoring, "AU01", b"PK\x03\x04 not a workbook", "bang.xlsx").get_data(as_text=True)
    assert "bang.xlsx:1: not an XLSX workbook" in page


def test_xlsx_errors_carry_their_row_and_nothing_is_imported(authoring, new_course):
    data = _sheet(("Đúng/Sai", "", "A", "Câu đúng", "", "Đúng", "", ""),
                  ("Nhiều lựa chọn", "", "B", "Câu?", "X\nY", "C", "", ""),
                  ("Loại lạ", "", "C", "Câu?", "", "", "", ""))
    page = upload_questions(authoring, "AU01", data, "cau-hoi.xlsx").get_data(as_text=True)
    assert "cau-hoi.xlsx:3: right answer must be letters among A..B" in page
    assert "cau-hoi.xlsx:4: unknown question type" in page
    assert len(_bank()) == 3


def test_the_template_holds_one_valid_example_per_type(authoring, new_course):
    response = authoring.get("/authoring/question-template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS.values())
    questions, problems = read_xlsx_questions(response.data)
    assert problems == [] and len(questions) == len(TEMPLATE_ROWS)
    assert {q.type for q in questions} == {"multichoice", "truefalse", "shortanswer", "numerical", "matching",
                                           "essay", "description"}
    upload_questions(authoring, "AU01", response.data, "mau.xlsx")
    authoring.post_form(f"{COURSE}/import/confirm")
    assert len(_bank()) == 3 + len(TEMPLATE_ROWS) - 2  # its "Thủ đô" and "Kilobyte" replaced the bank's


def test_export_zip_reimports_as_the_same_course(authoring, new_course, runner, tmp_path):
    authoring.post_form(f"{COURSE}/publish")
    archive = authoring.get(f"{COURSE}/export.zip").data
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        bundle.extractall(tmp_path)
    result = runner.invoke(args=["lms", "courses", "import", str(tmp_path)])
    assert result.exit_code == 0 and "unchanged" in result.output, result.output
    bank_only = zipfile.ZipFile(io.BytesIO(authoring.get(f"{COURSE}/export.zip?bank=1").data)).namelist()
    assert sorted(bank_only) == [f"{new_course.slug}/course.yaml", f"{new_course.slug}/questions.gift"]
