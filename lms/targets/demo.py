"""Demo training targets: the province's 2026 plans for basic IT skills and information security.

The basic-skills plan groups IU01–IU06 and issues a programme certificate; those of the
simulated history who already finished all six get theirs here, as ``issue-pending`` would.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.programmes import issue_programme_certificate, owed_programmes
from lms.courses.models import Course
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.targets.models import TrainingTarget
from lms.targets.operations import TargetData, create_target

DEMO_TARGETS = (
    ("Kế hoạch bồi dưỡng kỹ năng CNTT cơ bản năm 2026", ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06"),
     "Chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản"),
    ("Bồi dưỡng an toàn thông tin cho cán bộ, công chức năm 2026", ("ATTT",), None),
)


def create_demo_targets() -> int:
    """Create the demo targets on the whole province if there are none; returns how many."""
    if db.session.scalar(select(TrainingTarget.id).limit(1)) is not None:
        return 0
    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "38", OrgUnit.valid_to.is_(None))).one()
    for name, codes, programme in DEMO_TARGETS:
        courses = list(db.session.scalars(select(Course).where(Course.code.in_(codes))))
        create_target(TargetData(name=name, year=2026, start_date=date(2026, 1, 1), deadline=date(2026, 12, 31),
                                 courses=courses, units=[province], programme_certificate=programme is not None,
                                 programme_title=programme or ""))
    for target, user_id in owed_programmes():
        issue_programme_certificate(target, db.session.get(User, user_id))
    return len(DEMO_TARGETS)
