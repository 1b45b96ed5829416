"""Sentences said about a target's figures, the same on the page and in the PDF."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core.pdf import vn_numeric_date
from lms.targets.models import TrainingTarget
from lms.targets.queries import Projection

CATEGORY_LABELS = {"can_bo": _l("Cán bộ"), "cong_chuc": _l("Công chức"), "vien_chuc": _l("Viên chức"),
                   "hop_dong": _l("Hợp đồng"), "": _l("Chưa phân loại")}
LEVEL_LABELS = {"province": _l("Cấp tỉnh"), "district": _l("Cấp huyện"), "commune": _l("Cấp xã")}


def projection_sentence(target: TrainingTarget, projection: Projection) -> str:
    """"At the current pace, N% on dd/mm/yyyy" or "N people short at the deadline"."""
    if projection.reached:
        return _("Đã đạt chỉ tiêu %(percent)d%%.", percent=target.target_percent)
    if projection.on is None:
        return _("Chưa có ai hoàn thành trong 4 tuần qua: với tốc độ này, thiếu %(short)d người vào hạn chót %(deadline)s.",
                 short=projection.short, deadline=vn_numeric_date(target.deadline))
    if projection.short == 0:
        return _("Với tốc độ hiện tại (%(pace).1f người/tuần), đạt %(percent)d%% vào ngày %(day)s.",
                 pace=projection.per_week, percent=target.target_percent, day=vn_numeric_date(projection.on))
    return _("Với tốc độ hiện tại (%(pace).1f người/tuần), còn thiếu %(short)d người vào hạn chót %(deadline)s.",
             pace=projection.per_week, short=projection.short, deadline=vn_numeric_date(target.deadline))


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))
