"""Login and password forms."""

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
