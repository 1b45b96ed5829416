"""Login, password and second-factor forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.auth.passwords import MAX_LENGTH
from lms.core.forms import BaseForm


class LoginForm(BaseForm):
    identifier = StringField(_l("Số hiệu cán bộ hoặc email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()
    submit = SubmitField(_l("Đăng nhập"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired()])
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Hai mật khẩu không khớp nhau."))],
    )
    submit = SubmitField(_l("Đổi mật khẩu"))


class SecondFactorForm(BaseForm):
    code = StringField(_l("Mã xác thực hoặc mã khôi phục"), validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Xác nhận"))


class EnrolForm(BaseForm):
    code = StringField(_l("Mã 6 chữ số trên ứng dụng"), validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Bật xác thực hai lớp"))


class DisableSecondFactorForm(BaseForm):
    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    code = StringField(_l("Mã 6 chữ số trên ứng dụng"), validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Tắt xác thực hai lớp"))


class NewRecoveryCodesForm(BaseForm):
    code = StringField(_l("Mã 6 chữ số trên ứng dụng"), validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Tạo bộ mã khôi phục mới"))
