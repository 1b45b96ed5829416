"""Forms for training targets: the target itself and an exclusion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.forms import BaseForm
from lms.reports.wording import CATEGORY_LABELS, LEVEL_LABELS


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (no script needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TargetForm(BaseForm):
    name = StringField(_l("Tên kế hoạch"), validators=[DataRequired(), Length(max=300)])
    year = IntegerField(_l("Năm"), validators=[DataRequired(), NumberRange(2000, 2100)])
    courses = MultiCheckboxField(_l("Khóa học bắt buộc"), coerce=int, validators=[DataRequired()])
    units = SelectMultipleField(_l("Đơn vị áp dụng (cả các đơn vị trực thuộc)"), coerce=int, validators=[DataRequired()])
    categories = MultiCheckboxField(_l("Đối tượng (bỏ trống: tất cả)"),
                                    choices=[(k, v) for k, v in CATEGORY_LABELS.items() if k])
    levels = MultiCheckboxField(_l("Cấp (bỏ trống: tất cả)"), choices=list(LEVEL_LABELS.items()))
    positions = TextAreaField(_l("Chức vụ (mỗi dòng một cụm từ; bỏ trống: tất cả)"))
    start_date = DateField(_l("Ngày bắt đầu"), validators=[DataRequired()])
    deadline = DateField(_l("Hạn hoàn thành"), validators=[DataRequired()])
    target_percent = IntegerField(_l("Chỉ tiêu (%)"), default=100, validators=[DataRequired(), NumberRange(1, 100)])
    active = BooleanField(_l("Đang áp dụng"), default=True)
    programme_certificate = BooleanField(_l("Cấp giấy chứng nhận hoàn thành chương trình (kế hoạch từ 2 khóa học)"))
    programme_title = StringField(_l("Tên chương trình in trên giấy chứng nhận (bỏ trống: tên kế hoạch)"),
                                  validators=[Length(max=300)])

    def validate_programme_certificate(self, field) -> None:
        if field.data and len(self.courses.data or []) < 2:
            raise ValidationError(_l("Chỉ kế hoạch từ 2 khóa học trở lên mới cấp giấy chứng nhận chương trình."))

    def validate_deadline(self, field) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("Hạn hoàn thành phải sau ngày bắt đầu."))

    def position_list(self) -> list[str]:
        return [line.strip() for line in (self.positions.data or "").splitlines() if line.strip()]


class ExclusionForm(BaseForm):
    staff_code = StringField(_l("Số hiệu cán bộ"), validators=[DataRequired(), Length(max=40)])
    reason = StringField(_l("Lý do"), validators=[DataRequired(), Length(max=300)])
