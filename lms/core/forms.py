"""The base form: CSRF (Flask-WTF) and NFC normalisation of every text field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from lms.core.text import nfc


def _nfc_filter(value):
    return nfc(value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Every form of the application derives from this one."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Text typed on phones and pasted from Word arrives in NFD as often as NFC.
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                filters = [*unbound_field.kwargs.get("filters", ()), _nfc_filter]
                unbound_field.kwargs["filters"] = filters
            return unbound_field.bind(form=form, **options)
