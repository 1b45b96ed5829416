"""Forms of the authoring pages (the question forms are in :mod:`lms.authoring.question_forms`)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from lms.core.forms import BaseForm
from lms.courses.settings import REVIEW_OPTIONS

_DRAW_LINE = re.compile(r"^(.+?)\s*:\s*(\d+)\s*$")


class ActionForm(BaseForm):
    """A button that posts (publish, remove, move…): only the CSRF token."""


class CourseCreateForm(BaseForm):
    code = StringField(_l("Mã khóa học"), validators=[InputRequired(), Length(max=40)])
    title = StringField(_l("Tên khóa học"), validators=[InputRequired(), Length(max=300)])


class EditForm(BaseForm):
    """A form that edits an object of the draft: it carries the version it was loaded with."""

    version = HiddenField()


class SettingsForm(EditForm):
    """Everything in ``course.yaml`` but the code, which never changes."""

    title = StringField(_l("Tên khóa học"), validators=[InputRequired(), Length(max=300)])
    summary = TextAreaField(_l("Giới thiệu ngắn"), validators=[Length(max=5000)])
    audience = TextAreaField(_l("Đối tượng"), validators=[Length(max=2000)])
    study_hours = DecimalField(_l("Số giờ học (in trên giấy chứng nhận)"), places=None,
                               validators=[InputRequired(), NumberRange(min=0, max=1000)])
    passing_score = IntegerField(_l("Điểm đạt (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    quiz_title = StringField(_l("Tên bài kiểm tra"), validators=[Length(max=300)])
    time_limit_minutes = IntegerField(_l("Thời gian làm bài (phút, 0 = không giới hạn)"),
                                      validators=[InputRequired(), NumberRange(min=0, max=600)])
    attempts_allowed = IntegerField(_l("Số lần làm bài (0 = không giới hạn)"),
                                    validators=[InputRequired(), NumberRange(min=0, max=100)])
    grading = SelectField(_l("Cách tính điểm"), choices=[
        ("highest", _l("Lần cao nhất")), ("average", _l("Trung bình các lần")),
        ("first", _l("Lần đầu")), ("last", _l("Lần cuối"))])
    shuffle_questions = BooleanField(_l("Xáo trộn thứ tự câu hỏi"))
    shuffle_answers = BooleanField(_l("Xáo trộn các phương án"))
    draw = TextAreaField(_l("Số câu rút ngẫu nhiên theo nhóm"), validators=[Length(max=5000)])
    review_score = BooleanField(_l("Sau khi nộp, cho xem điểm"))
    review_correctness = BooleanField(_l("Cho xem đúng/sai và đáp án đúng"))
    review_feedback = BooleanField(_l("Cho xem phản hồi của phương án đã chọn"))
    review_general_feedback = BooleanField(_l("Cho xem phản hồi chung"))
    certificate_enabled = BooleanField(_l("Cấp giấy chứng nhận khi hoàn thành"))

    def validate_draw(self, field) -> None:
        for line in filter(None, (line.strip() for line in (field.data or "").splitlines())):
            if not _DRAW_LINE.match(line) or int(_DRAW_LINE.match(line).group(2)) < 1:
                raise ValidationError(_l("Mỗi dòng ghi “Tên nhóm: số câu”, số câu từ 1 trở lên."))

    def load(self, settings: dict) -> None:
        """Fill the form from the draft's settings."""
        quiz = settings["quiz"]
        for name in ("title", "summary", "audience", "study_hours", "passing_score"):
            getattr(self, name).data = settings[name]
        self.quiz_title.data = quiz["title"]
        for name in ("time_limit_minutes", "attempts_allowed", "grading", "shuffle_questions", "shuffle_answers"):
            getattr(self, name).data = quiz[name]
        self.draw.data = "\n".join(f"{category}: {count}" for category, count in quiz["draw"].items())
        for option in REVIEW_OPTIONS:
            getattr(self, f"review_{option}").data = quiz["review"][option]
        self.certificate_enabled.data = settings["certificate"]["enabled"]

    def settings(self) -> dict:
        """The ``course.yaml`` mapping the form describes (the code is added by the operation)."""
        draw = {}
        for line in filter(None, (line.strip() for line in (self.draw.data or "").splitlines())):
            category, count = _DRAW_LINE.match(line).groups()
            draw[category] = int(count)
        quiz = {"title": self.quiz_title.data, "time_limit_minutes": self.time_limit_minutes.data,
                "attempts_allowed": self.attempts_allowed.data, "grading": self.grading.data,
                "shuffle_questions": self.shuffle_questions.data, "shuffle_answers": self.shuffle_answers.data,
                "draw": draw, "review": {o: getattr(self, f"review_{o}").data for o in REVIEW_OPTIONS}}
        study_hours = float(self.study_hours.data)
        return {"title": self.title.data, "summary": self.summary.data, "audience": self.audience.data,
                "study_hours": int(study_hours) if study_hours.is_integer() else study_hours,
                "passing_score": self.passing_score.data, "quiz": quiz,
                "certificate": {"enabled": self.certificate_enabled.data}}


class LessonForm(EditForm):
    title = StringField(_l("Tên bài"), validators=[InputRequired(), Length(max=300)])
    minutes = IntegerField(_l("Thời lượng (phút)"), default=10, validators=[InputRequired(), NumberRange(min=1, max=600)])
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[Length(max=500_000)])


class MediaForm(BaseForm):
    file = FileField(_l("Tệp ảnh, PDF hoặc video MP4"), validators=[FileRequired()])


class ImportForm(BaseForm):
    file = FileField(_l("Tệp câu hỏi"), validators=[FileRequired()])
    format = SelectField(_l("Định dạng"), choices=[
        ("auto", _l("Tự nhận theo tên tệp")), ("gift", "GIFT"), ("aiken", "Aiken"), ("xlsx", _l("Bảng tính Excel (.xlsx)"))])


class MoveForm(BaseForm):
    category = StringField(_l("Chuyển các câu đã chọn sang nhóm"), validators=[Length(max=200)])


class StaffForm(BaseForm):
    staff_code = StringField(_l("Số hiệu cán bộ của giảng viên"), validators=[InputRequired(), Length(max=40)])
    role = SelectField(_l("Vai trò"), choices=[("editor", _l("Cùng soạn")), ("owner", _l("Chủ khóa học"))])

