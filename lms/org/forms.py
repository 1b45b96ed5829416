"""Forms of the organisation pages: roster upload, placements, unit administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from lms.core.forms import BaseForm


class RosterUploadForm(BaseForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv)"), validators=[FileRequired()])
    unit = SelectField(_l("Đơn vị"), coerce=int)
    deactivate_missing = BooleanField(_l("Cho nghỉ những người của đơn vị không có trong tệp"))


class PrintedForm(BaseForm):
    issued_until = HiddenField(validators=[DataRequired()])


class PlaceForm(BaseForm):
    unit = SelectField(_l("Đơn vị mới"), coerce=int)


class RenameForm(BaseForm):
    name = StringField(_l("Tên mới"), validators=[DataRequired(), Length(max=200)])


class MoveForm(BaseForm):
    parent_code = StringField(_l("Mã đơn vị cấp trên mới"), validators=[DataRequired(), Length(max=20)])


class MergeForm(BaseForm):
    target_code = StringField(_l("Mã đơn vị nhận sáp nhập"), validators=[DataRequired(), Length(max=20)])
    target_name = StringField(_l("Tên đơn vị mới (nếu mã chưa có)"), validators=[Length(max=200)])
    effective = DateField(_l("Ngày hiệu lực"), validators=[DataRequired()])


class SplitForm(BaseForm):
    target_codes = StringField(_l("Mã các đơn vị nhận (cách nhau bởi dấu phẩy)"), validators=[DataRequired()])
    effective = DateField(_l("Ngày hiệu lực"), validators=[DataRequired()])


class CloseForm(BaseForm):
    effective = DateField(_l("Ngày giải thể"), validators=[DataRequired()])
