"""Demo data: the real Thanh Hóa tree (from 1 July 2025), invented departments and staff."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.operations import grant_role, set_password
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.org.operations import add_person, announce_staff_changes, create_person, create_unit
from lms.org.units_import import import_units, read_unit_rows

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "thanh-hoa"
REFORM_DAY = date(2025, 7, 1)

DEPARTMENTS = [
    ("VPUBND", "Văn phòng UBND tỉnh"), ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("STP", "Sở Tư pháp"),
    ("SCT", "Sở Công Thương"), ("SXD", "Sở Xây dựng"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SKHCN", "Sở Khoa học và Công nghệ"), ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SNGV", "Sở Ngoại vụ"), ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("TTRT", "Thanh tra tỉnh"), ("BQLKKT", "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp"),
    ("VPDDBQH", "Văn phòng Đoàn ĐBQH và HĐND tỉnh"), ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh"),
    ("BQLDADD", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh"),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh"), ("TCDCN", "Trường Cao đẳng Y tế Thanh Hóa"),
]

HO = ["Nguyễn"] * 30 + ["Lê"] * 16 + ["Trần"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 4 + ["Đỗ"] * 4 + ["Vũ"] * 3 + [
    "Trịnh", "Trịnh", "Mai", "Mai", "Đặng", "Bùi", "Ngô", "Dương", "Hà", "Lưu", "Lương", "Cao", "Đinh",
    "Tống", "Quách", "Hồ", "Phan", "Võ", "Đào", "Vương", "Hoàng", "Lại", "Thiều", "Đậu",
]
DEM_NAM = ["Văn", "Văn", "Văn", "Đình", "Đức", "Xuân", "Ngọc", "Minh", "Hữu", "Quang", "Thanh", "Trọng", "Công", "Bá", "Quốc"]
DEM_NU = ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Thùy", "Hải", "Kim"]
TEN_NAM = ["An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
           "Khánh", "Kiên", "Long", "Lâm", "Mạnh", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn",
           "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Ánh", "Ân"]
TEN_NU = ["An", "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Đào", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
          "Hoa", "Hòa", "Hoài", "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
          "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến"]
POSITIONS_COMMUNE = ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch",
                     "Công chức Tài chính - Kế toán", "Công chức Địa chính - Xây dựng", "Công chức Văn hóa - Xã hội",
                     "Chuyên viên", "Chuyên viên", "Chuyên viên"]
POSITIONS_DEPT = ["Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên",
                  "Chuyên viên", "Chuyên viên chính", "Kế toán viên", "Văn thư"]


@dataclass(frozen=True)
class DemoAccount:
    staff_code: str
    password: str
    role: str
    unit_code: str
    ho: str
    ten_dem: str
    ten: str


DEMO_ACCOUNTS = [
    DemoAccount("quantri", "quantri@2026", "admin", "VPUBND", "Lê", "Minh", "Quân"),
    DemoAccount("nhansu.tinh", "nhansu@2026", "hr", "38", "Nguyễn", "Thị", "Hằng"),
    DemoAccount("nhansu.xa", "nhansu@2026", "hr", "14797", "Trịnh", "Văn", "Hùng"),
    DemoAccount("giangvien", "giangvien@2026", "trainer", "SKHCN", "Phạm", "Thu", "Trang"),
    DemoAccount("hocvien", "hocvien@2026", "learner", "14797", "Hoàng", "Đức", "Anh"),
]


def build_demo(staff: int = 2000, seed: int = 2025) -> dict[str, int]:
    """Build the demo organisation if it is missing; idempotent (flush only).

    :param staff: how many invented staff to spread over the units
    :param seed: random seed, so every machine gets the same people
    """
    counts = {"units": 0, "staff": 0, "accounts": 0}
    counts["units"] = _units()
    if db.session.scalar(select(func.count(User.id)).where(User.staff_code.like("TH%"))) == 0:
        counts["staff"] = _staff(staff, random.Random(seed))
    counts["accounts"] = _accounts()
    return counts


def _units() -> int:
    rows, errors = read_unit_rows((DATA_DIR / "units-from-2025-07-01.csv").read_text(encoding="utf-8"))
    if errors:
        raise RuntimeError("; ".join(errors))
    created = import_units(rows, valid_from=REFORM_DAY).created
    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "38", OrgUnit.valid_to.is_(None))).one()
    existing = set(db.session.scalars(select(OrgUnit.code).where(OrgUnit.parent_id == province.id)))
    for code, name in DEPARTMENTS:
        if code not in existing:
            create_unit(code, name, "department", province, valid_from=REFORM_DAY)
            created += 1
    return created


def _staff(count: int, rng: random.Random) -> int:
    units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.valid_to.is_(None), OrgUnit.depth == 1)))
    people = []
    for number in range(1, count + 1):
        unit = rng.choice(units)
        female = rng.random() < 0.52
        positions = POSITIONS_COMMUNE if unit.kind == "commune" else POSITIONS_DEPT
        people.append(add_person(
            f"TH{number:06d}", rng.choice(HO), rng.choice(DEM_NU if female else DEM_NAM),
            rng.choice(TEN_NU if female else TEN_NAM), unit, start=REFORM_DAY,
            gender="nu" if female else "nam", date_of_birth=date(rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28)),
            category=rng.choices(["can_bo", "cong_chuc", "vien_chuc", "hop_dong"], weights=[2, 5, 2, 1])[0],
            position=rng.choice(positions),
        ))
    announce_staff_changes(people)
    return count


def _accounts() -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.staff_code == account.staff_code)):
            continue
        unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == account.unit_code, OrgUnit.valid_to.is_(None))).one()
        user = create_person(account.staff_code, account.ho, account.ten_dem, account.ten, unit, start=REFORM_DAY,
                             category="cong_chuc", position="Tài khoản trình diễn")
        set_password(user, account.password)
        if account.role != "learner":
            grant_role(user, account.role, unit if account.role == "hr" else None)
        created += 1
    return created
