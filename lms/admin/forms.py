"""The audit log's search form (a GET form: nothing changes, so no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from lms.core.forms import BaseForm


class AuditSearchForm(BaseForm):
    class Meta:
        csrf = False

    action = StringField(_l("Hành động"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Người thực hiện (tên, số hiệu hoặc email)"), validators=[Optional(), Length(max=250)])
    unit = StringField(_l("Mã đơn vị (cả các đơn vị trực thuộc)"), validators=[Optional(), Length(max=20)])
    date_from = DateField(_l("Từ ngày"), validators=[Optional()])
    date_to = DateField(_l("Đến ngày"), validators=[Optional()])
