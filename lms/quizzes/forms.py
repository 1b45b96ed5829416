"""Forms of the quiz pages: the answers are read by position from the request, the rest here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from lms.core.forms import BaseForm


class EssayGradeForm(BaseForm):
    """A trainer's grade (percent) and comment for one essay."""

    percent = DecimalField(_l("Điểm (%)"), places=None,
                           validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment = TextAreaField(_l("Nhận xét cho học viên"), validators=[Length(max=5000)])
