"""The certificate register (sổ cấp giấy chứng nhận) as a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from lms.certificates.models import Certificate
from lms.core.i18n import vn_date
from lms.core.xlsx import neutralise


def _status(certificate: Certificate) -> str:
    if certificate.status == "revoked":
        return _("Đã thu hồi ngày %(date)s: %(reason)s", date=vn_date(certificate.revoked_at),
                 reason=certificate.revoked_reason)
    if certificate.status == "replaced":
        return _("Đã cấp lại (số %(serial)s)", serial=certificate.replaced_by.serial)
    return _("Còn hiệu lực")


def _row(certificate: Certificate) -> list:
    return [
        certificate.register_number, certificate.serial, certificate.holder_name,
        vn_date(certificate.holder_birth_date), certificate.holder_unit_name, certificate.title,
        certificate.study_hours, vn_date(certificate.issue_date), _status(certificate),
    ]


def register_workbook(certificates: Iterable[Certificate], unit, year: int) -> bytes:
    """An XLSX register of ``certificates`` (issued in ``year`` to people of ``unit``)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sổ cấp GCN %(year)s", year=year))
    sheet.append([neutralise(_("Sổ cấp giấy chứng nhận năm %(year)s — %(unit)s", year=year, unit=unit.name))])
    sheet.append([_("Số vào sổ"), _("Số hiệu"), _("Họ và tên"), _("Ngày sinh"), _("Đơn vị công tác"),
                  _("Khóa học, chương trình"), _("Số giờ"), _("Ngày cấp"), _("Tình trạng")])
    for certificate in certificates:
        sheet.append([neutralise(value) for value in _row(certificate)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
