"""Forms of the certificate pages (CSRF through :class:`lms.core.forms.BaseForm`)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from lms.core.forms import BaseForm


class VerifyCodeForm(BaseForm):
    """The code typed from a certificate (sent by GET: looking up changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(_l("Mã xác minh"), validators=[DataRequired(), Length(max=60)])


class VerifyFileForm(BaseForm):
    """A PDF whose SHA-256 is compared with the issued certificates."""

    pdf = FileField(_l("Tệp PDF giấy chứng nhận"), validators=[FileRequired()])


class BundleForm(BaseForm):
    """What to bundle: a unit (optionally with its subtree), as a ZIP or one merged PDF."""

    unit = SelectField(_l("Đơn vị"), coerce=int)
    subtree = BooleanField(_l("Gồm cả các đơn vị trực thuộc"))
    merged = BooleanField(_l("Gộp thành một tệp PDF để in"))


class RegisterForm(BaseForm):
    """The register (sổ cấp giấy chứng nhận) of a year and unit, as XLSX."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Đơn vị"), coerce=int)
    year = IntegerField(_l("Năm"), default=lambda: date.today().year,
                        validators=[DataRequired(), NumberRange(min=2000, max=2100)])


class ReasonForm(BaseForm):
    """The reason for revoking or reissuing a certificate (audited)."""

    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(), Length(max=500)])
