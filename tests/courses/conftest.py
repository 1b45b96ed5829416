"""Fixtures for the course-folder tests: a small valid course written to a temp folder."""

import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "courses"

COURSE_YAML = """\
code: TEST1
title: Khóa học thử nghiệm
summary: Một khóa học nhỏ để kiểm thử.
study_hours: 2
passing_score: 60
quiz:
  time_limit_minutes: 10
  attempts_allowed: 2
  draw:
    Cơ bản: 2
"""

LESSON_1 = """\
---
title: Bài mở đầu
minutes: 5
---

Xin chào **học viên**. ![Sơ đồ](media/so-do.svg)
"""

LESSON_2 = """\
---
title: Bài thứ hai
minutes: 7
---

Nội dung bài hai.
"""

QUESTIONS = """\
$CATEGORY: Cơ bản

::Q1 Thủ đô::Thủ đô của Việt Nam là {=Hà Nội ~Huế ~Đà Nẵng}.

::Q2 Đúng sai::Thanh Hóa thuộc Bắc Trung Bộ. {T}

::Q3 Số::1 KB bằng bao nhiêu byte? {#1024}
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'


@pytest.fixture
def course_folder(tmp_path) -> Path:
    """A valid course folder ``test1-thu-nghiem`` with two lessons, three questions and one image."""
    folder = tmp_path / "test1-thu-nghiem"
    (folder / "lessons").mkdir(parents=True)
    (folder / "media").mkdir()
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (folder / "lessons" / "01-mo-dau.md").write_text(LESSON_1, encoding="utf-8")
    (folder / "lessons" / "02-bai-hai.md").write_text(LESSON_2, encoding="utf-8")
    (folder / "questions.gift").write_text(QUESTIONS, encoding="utf-8")
    (folder / "media" / "so-do.svg").write_text(SVG, encoding="utf-8")
    return folder


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    """A copy of the shipped curriculum that a test may change."""
    target = tmp_path / "courses"
    shutil.copytree(SHIPPED, target)
    return target
