"""A trainer builds a course in Chromium, a learner passes it, and the course exports and re-imports unchanged."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask_migrate import upgrade
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from config import TestConfig
from lms import create_app
from lms.authoring.xlsx_questions import COLUMNS
from lms.courses.models import Course
from lms.extensions import db
from lms.learning.models import CourseCompletion
from tests.e2e.conftest import PHONE
from tests.e2e.test_learner_journey import ATTEMPT_URL, answer_right, read_every_lesson, submit_quiz

CODE = "TH01"
TITLE = "Tin học văn phòng thử nghiệm"


def gift_bank() -> str:
    """Twenty questions of five types in one category."""
    parts = ["$CATEGORY: Soạn thảo"]
    for n in range(1, 9):
        parts.append(f"::MC{n}::Câu nhiều lựa chọn số {n}? {{=Đúng {n} ~Sai A{n} ~Sai B{n} ~Sai C{n}}}")
    for n in range(1, 5):
        parts.append(f"::TF{n}::Khẳng định số {n} là đúng. {{T}}")
    for n in range(1, 4):
        parts.append(f"::SA{n}::Gõ chữ: tu{n} {{=tu{n}}}")
    for n in range(1, 4):
        parts.append(f"::NU{n}::{n} cộng {n} bằng mấy? {{#{2 * n}}}")
    for n in range(1, 3):
        parts.append(f"::MA{n}::Ghép đôi số {n}. {{=Một -> 1 =Hai -> 2 =Ba -> 3}}")
    return "\n\n".join(parts) + "\n"


def xlsx_bank() -> bytes:
    """Ten questions, one per row, in the documented columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS.values()))
    for n in range(1, 5):
        sheet.append(["Nhiều lựa chọn", "Bảng tính", f"XL-MC{n}", f"Hàm nào tính tổng ({n})?", "SUM\nAVERAGE\nMAX", "A", "", ""])
    for n in range(1, 3):
        sheet.append(["Đúng/Sai", "Bảng tính", f"XL-TF{n}", f"Ô A1 nằm ở cột A ({n}).", "", "Đúng", "", ""])
    for n in range(1, 3):
        sheet.append(["Trả lời ngắn", "Bảng tính", f"XL-SA{n}", f"Phím tắt lưu tệp: Ctrl + ? ({n})", "", "S", "", ""])
    sheet.append(["Số", "Bảng tính", "XL-NU1", "Một trang tính có bao nhiêu cột từ A đến E?", "", "5", "", ""])
    sheet.append(["Ghép đôi", "Bảng tính", "XL-MA1", "Ghép hàm với việc.", "SUM -> tổng\nMAX -> lớn nhất", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def add_lesson(page, title: str, body: str) -> None:
    page.get_by_role("link", name="Thêm bài học").click()
    page.get_by_label("Tên bài").fill(title)
    page.get_by_label("Thời lượng (phút)").fill("5")
    page.get_by_label("Nội dung (Markdown)").fill(body)
    page.get_by_role("button", name="Lưu bài học").click()
    expect(page.get_by_text("Đã lưu bài học vào bản nháp.")).to_be_visible()


def import_file(page, path, count: int) -> None:
    page.get_by_role("link", name="Nhập câu hỏi từ tệp").first.click()
    page.get_by_label("Tệp câu hỏi").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_text(f"{count} câu hỏi sẽ được nhập vào bản nháp.")).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_text(f"Đã nhập {count} câu hỏi mới")).to_be_visible()


def author_course(page, tmp_path) -> None:
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Soạn bài giảng").click()
    page.get_by_label("Mã khóa học").fill(CODE)
    page.get_by_label("Tên khóa học").fill(TITLE)
    page.get_by_role("button", name="Tạo khóa học").click()
    page.get_by_role("link", name="Sửa cài đặt").click()
    page.get_by_label("Số giờ học (in trên giấy chứng nhận)").fill("4")
    page.get_by_label("Điểm đạt (%)").fill("70")
    page.get_by_role("button", name="Lưu cài đặt").click()
    expect(page.get_by_text("Đã lưu cài đặt vào bản nháp.")).to_be_visible()

    add_lesson(page, "Giao diện Word", "Word có **thanh công cụ** ở trên cùng.")
    (tmp_path / "thanh-cong-cu.png").write_bytes(png_image())
    page.get_by_label("Tệp ảnh, PDF hoặc video MP4").set_input_files(str(tmp_path / "thanh-cong-cu.png"))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".media-list").get_by_role("link", name="thanh-cong-cu.png")).to_be_visible()
    body = page.get_by_label("Nội dung (Markdown)")
    body.fill("Word có **thanh công cụ** ở trên cùng.\n\n![Thanh công cụ](media/thanh-cong-cu.png)\n\n![Thiếu](media/khong-co.png)")
    expect(page.locator("#lesson-preview img[alt='Thanh công cụ']")).to_be_visible()  # the live preview (authoring.js)
    expect(page.locator("#missing-media")).to_contain_text("khong-co.png")
    body.fill("Word có **thanh công cụ** ở trên cùng.\n\n![Thanh công cụ](media/thanh-cong-cu.png)")
    expect(page.locator("#missing-media")).to_be_hidden()
    page.get_by_role("button", name="Lưu bài học").click()
    page.get_by_role("link", name="Quay lại").click()
    add_lesson(page, "Lưu và in tài liệu", "Bấm **Ctrl + S** để lưu, **Ctrl + P** để in.")
    page.get_by_role("link", name="Quay lại").click()

    (tmp_path / "soan-thao.gift").write_text(gift_bank(), encoding="utf-8")
    (tmp_path / "bang-tinh.xlsx").write_bytes(xlsx_bank())
    import_file(page, tmp_path / "soan-thao.gift", 20)
    import_file(page, tmp_path / "bang-tinh.xlsx", 10)
    page.get_by_role("link", name=CODE).click()
    page.get_by_role("button", name="Xuất bản").click()
    expect(page.get_by_text("Đã xuất bản khóa học")).to_be_visible()


def learner_passes(browser, base_url, live_app) -> None:
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    learner = context.new_page()
    learner.on("dialog", lambda dialog: dialog.accept())
    learner.goto("/login")
    learner.get_by_label("Số hiệu cán bộ hoặc email").fill("hocvien")
    learner.get_by_label("Mật khẩu").fill("hocvien@2026")
    learner.get_by_role("button", name="Đăng nhập").click()
    learner.goto(f"/courses/{CODE}")
    learner.get_by_role("button", name="Tham gia và bắt đầu học").click()
    expect(learner.locator(".lesson-body img[alt='Thanh công cụ']")).to_be_visible()
    read_every_lesson(learner)
    learner.goto(f"/courses/{CODE}")
    learner.get_by_role("button", name="Làm bài kiểm tra").click()
    expect(learner).to_have_url(ATTEMPT_URL)
    answer_right(learner, live_app, int(ATTEMPT_URL.search(learner.url).group(1)))
    submit_quiz(learner)
    context.close()
    with live_app.app_context():
        completion = db.session.scalars(select(CourseCompletion).join(Course).where(Course.code == CODE)).one()
        assert completion.score == 1.0


def snapshot(app) -> tuple:
    with app.app_context():
        course = db.session.scalars(select(Course).where(Course.code == CODE)).one()
        return (
            {c: getattr(course, c) for c in ("title", "summary", "audience", "study_hours", "passing_score", "quiz", "certificate")},
            [(lesson.slug, lesson.title, lesson.minutes, lesson.body) for lesson in course.active_lessons],
            [(q.name, q.qtype, q.text, q.text_format, q.category, q.general_feedback, q.data) for q in course.active_questions],
            [(m.filename, m.content_type, m.sha256) for m in course.media],
        )


def import_on_fresh_database(archive: bytes, tmp_path):
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        bundle.extractall(tmp_path / "unzipped")
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}", STORAGE_DIR=str(tmp_path / "fresh"))
    fresh = create_app(config)
    with fresh.app_context():
        upgrade()
    result = fresh.test_cli_runner().invoke(args=["lms", "courses", "import", str(tmp_path / "unzipped")])
    assert result.exit_code == 0 and "created" in result.output, result.output
    return fresh


@pytest.mark.e2e
def test_trainer_authors_a_course_that_a_learner_passes(page, log_in, live_app, browser, base_url, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in("giangvien", "giangvien@2026")
    author_course(page, tmp_path)
    with live_app.app_context():
        course = db.session.scalars(select(Course).where(Course.code == CODE)).one()
        assert course.status == "published" and len(course.active_questions) == 30 and len(course.active_lessons) == 2

    learner_passes(browser, base_url, live_app)

    page.get_by_role("link", name="Phân tích câu hỏi").click()
    expect(page.get_by_text("1 lần làm bài.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"Câu hỏi: MC1 "))).to_contain_text("Quá dễ")

    page.get_by_role("link", name=CODE).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải khóa học (.zip)").click()
    fresh = import_on_fresh_database(download.value.path().read_bytes(), tmp_path)
    assert snapshot(fresh) == snapshot(live_app)
    with fresh.app_context():
        db.engine.dispose()
