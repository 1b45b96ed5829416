"""Fixtures for the learner's pages: a learner, and courses built straight in the database."""

from __future__ import annotations

import hashlib

import pytest

from lms.courses.models import Course, CourseMedia, Lesson, Question
from lms.courses.operations import question_values
from lms.courses.settings import normalise_certificate, normalise_quiz
from lms.extensions import db
from lms.quizzes.gift import parse_gift

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'

# Three true/false questions: a learner answering "true" to the first two passes at 60%.
GIFT = """\
::C1::Thanh Hóa thuộc vùng Bắc Trung Bộ. {T}

::C2::Mật khẩu mạnh có ít nhất 12 ký tự. {T}

::C3::Có thể chia sẻ mật khẩu cho đồng nghiệp. {F}
"""


@pytest.fixture
def learner(province, make_person):
    return make_person(province, "Hoàng Đức Anh")


@pytest.fixture
def make_course(app_ctx):
    """Factory: ``make_course(code, lessons=3, status="published", quiz=False)``, committed.

    Lessons are ``bai-1``… of 10, 20, 30… minutes; each shows the course's image
    ``hinh.svg``. With ``quiz=True`` the bank holds :data:`GIFT` and the pass mark is 60.
    """

    def make(code: str = "KH01", lessons: int = 3, status: str = "published", quiz: bool = False) -> Course:
        course = Course(
            code=code, slug=code.lower(), title=f"Khóa học {code}", summary="Tóm tắt khóa học.", study_hours=4,
            passing_score=60, quiz=normalise_quiz({"attempts_allowed": 3}), certificate=normalise_certificate({}),
            status=status,
        )
        for n in range(1, lessons + 1):
            body = f"Nội dung bài {n}.\n\n![Hình minh họa](media/hinh.svg)\n"
            course.lessons.append(Lesson(slug=f"bai-{n}", position=n, title=f"Bài {n}", minutes=10 * n, body=body))
        course.media.append(
            CourseMedia(filename="hinh.svg", content_type="image/svg+xml", sha256=hashlib.sha256(SVG).hexdigest(),
                        size=len(SVG), data=SVG)
        )
        if quiz:
            for n, parsed in enumerate(parse_gift(GIFT), start=1):
                course.questions.append(Question(name=parsed.name, position=n, **question_values(parsed)))
        db.session.add(course)
        db.session.commit()
        return course

    return make
