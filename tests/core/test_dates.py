"""Dates as the pages show them: dd/mm/yyyy in Asia/Ho_Chi_Minh (UTC+7), naive datetimes read as UTC."""

from datetime import UTC, date, datetime

import pytest

from lms.core.i18n import vn_date, vn_datetime


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 3, 5), "05/03/2026"),
    (datetime(2026, 1, 31, 16, 59, tzinfo=UTC), "31/01/2026"),
    (datetime(2026, 1, 31, 17, 0, tzinfo=UTC), "01/02/2026"),
    (datetime(2026, 12, 31, 17, 30), "01/01/2027"),
    (date(999, 1, 2), "02/01/0999"),
    (None, ""),
])
def test_vn_date(app_ctx, value, expected):
    assert vn_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2026, 1, 31, 17, 5, tzinfo=UTC), "01/02/2026 00:05"),
    (datetime(2026, 7, 1, 2, 9), "01/07/2026 09:09"),
    (None, ""),
])
def test_vn_datetime(app_ctx, value, expected):
    assert vn_datetime(value) == expected
