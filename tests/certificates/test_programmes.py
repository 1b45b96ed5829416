"""A training target grouping courses (IU01–IU03) issues one programme certificate to each
person of its audience who completes them all, besides the course certificates."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.admin.models import AuditEvent
from lms.certificates.models import Certificate
from lms.certificates.storage import pdf_path, sha256_hex
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.learning.operations import enrol
from lms.targets.models import TrainingTarget
from lms.targets.operations import TargetData, create_target, exclude_person, update_target

from .conftest import needs_poppler, pdf_lines

PROGRAMME = "Chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản"


@pytest.fixture
def courses(make_course):
    return [make_course(code, f"Khóa {code}", hours) for code, hours in (("IU01", 4), ("IU02", 6), ("IU03", 8.5))]


def _data(units, courses, **fields) -> TargetData:
    return TargetData(name=fields.pop("name", "Kế hoạch bồi dưỡng CNTT 2026"), year=2026, start_date=date(2026, 1, 1),
                      deadline=date(2026, 12, 31), courses=list(courses), units=list(units), **fields)


@pytest.fixture
def make_programme(app_ctx):
    """``make_programme(units, courses, **fields)``: a target issuing programme certificates, committed."""

    def make(units, courses, **fields):
        fields.setdefault("programme_certificate", True)
        target = create_target(_data(units, courses, **fields))
        db.session.commit()
        return target

    return make


def _programme_certificates(**where) -> list[Certificate]:
    stmt = select(Certificate).where(Certificate.programme_code.is_not(None)).filter_by(**where)
    return list(db.session.scalars(stmt.order_by(Certificate.id)))


def _issue_pending(runner) -> str:
    result = runner.invoke(args=["lms", "certificates", "issue-pending"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_last_course_of_the_programme_issues_one_certificate(commune, make_person, courses, make_programme,
                                                                 complete):
    target = make_programme([commune], courses, programme_title=PROGRAMME)
    person = make_person(commune, "Nguyễn Thị Hương")
    enrol(person, courses[1])
    db.session.execute(Enrollment.__table__.update().values(enrolled_at=datetime(2026, 2, 1, 18, 0, tzinfo=timezone.utc)))
    db.session.commit()
    complete(person, courses[0])
    complete(person, courses[1])
    assert _programme_certificates() == []  # IU03 is missing
    complete(person, courses[2])
    [certificate] = _programme_certificates()
    assert (certificate.programme_code, certificate.course_id, certificate.title) == (f"KH-{target.id}", None, PROGRAMME)
    assert (certificate.study_hours, certificate.programme_courses) == (18.5, ["IU01", "IU02", "IU03"])
    last = db.session.scalar(select(CourseCompletion.completed_at).where(CourseCompletion.course_id == courses[2].id))
    assert certificate.period_start == date(2026, 2, 2)  # the first enrolment, in Thanh Hóa's calendar
    assert certificate.period_end == last.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    # Same serial counter as the course certificates, issued in the same transaction as IU03's.
    assert [c.number for c in db.session.scalars(select(Certificate).order_by(Certificate.number))] == [1, 2, 3, 4]
    assert certificate.number == 4 and certificate.unit_id == commune.id
    assert sha256_hex(pdf_path(certificate).read_bytes()) == certificate.pdf_sha256
    complete(person, courses[2])
    assert len(_programme_certificates()) == 1


def test_only_the_audience_gets_one(province, commune, make_unit, make_person, courses, make_programme, complete):
    target = make_programme([commune], courses)
    elsewhere = make_person(make_unit("16379", "Xã Quảng Bình", "commune", province), "Lê Văn Bình")
    excluded = make_person(commune, "Trần Thị Cúc")
    exclude_person(target, excluded, "Nghỉ thai sản")
    db.session.commit()
    for person in (elsewhere, excluded):
        for course in courses:
            complete(person, course)
    assert _programme_certificates() == []
    assert db.session.query(Certificate).count() == 6  # their course certificates


def test_a_target_without_programme_certificates_issues_none(commune, make_person, courses, make_programme, complete):
    make_programme([commune], courses, programme_certificate=False)
    person = make_person(commune)
    for course in courses:
        complete(person, course)
    assert _programme_certificates() == []


def test_a_programme_needs_two_courses(commune, courses):
    with pytest.raises(ValueError):
        create_target(_data([commune], courses[:1], programme_certificate=True))


def test_issue_pending_covers_a_programme_switched_on_after_completions(runner, province, commune, make_unit,
                                                                       make_person, courses, make_programme, complete):
    target = make_programme([commune], courses, programme_certificate=False)
    done = [make_person(commune, name) for name in ("Nguyễn Văn An", "Đỗ Thị Bích")]
    outside = make_person(make_unit("16379", "Xã Quảng Bình", "commune", province), "Lê Văn Bình")
    halfway = make_person(commune, "Phạm Văn Cường")
    for person in [*done, outside]:
        for course in courses:
            complete(person, course)
    complete(halfway, courses[0])
    update_target(target, _data([commune], courses, name="Kế hoạch CNTT", programme_certificate=True))
    db.session.commit()
    assert _programme_certificates() == []  # switching it on issues nothing by itself
    assert "Đã cấp 0 giấy chứng nhận khóa học, 2 giấy chứng nhận chương trình." in _issue_pending(runner)
    issued = _programme_certificates()
    assert sorted(c.user_id for c in issued) == sorted(p.id for p in done)
    assert {c.title for c in issued} == {"Kế hoạch CNTT"}
    assert [c.number for c in issued] == [11, 12]  # after the ten course certificates
    assert "Đã cấp 0 giấy chứng nhận khóa học, 0 giấy chứng nhận chương trình." in _issue_pending(runner)
    assert len(_programme_certificates()) == 2


@needs_poppler
def test_the_pdf_names_the_programme_in_vietnamese(commune, make_person, courses, make_programme, complete):
    make_programme([commune], courses, programme_title=PROGRAMME)
    person = make_person(commune, "Nguyễn Thị Hương", date_of_birth=date(1985, 3, 5))
    for course in courses:
        complete(person, course)
    [certificate] = _programme_certificates()
    lines = pdf_lines(pdf_path(certificate).read_bytes())
    for expected in ["GIẤY CHỨNG NHẬN", "Hoàn thành chương trình bồi dưỡng", f"Chương trình: {PROGRAMME}",
                     "Gồm các khóa học: IU01, IU02, IU03", "Thời lượng: 18,5 giờ", "Ngày sinh: 05/03/1985",
                     f"Số hiệu: {certificate.serial}"]:
        assert expected in lines
    course_lines = pdf_lines(pdf_path(db.session.scalar(select(Certificate).filter_by(number=1))).read_bytes())
    assert "Hoàn thành khóa bồi dưỡng" in course_lines and "Đã hoàn thành khóa học: Khóa IU01" in course_lines


@pytest.fixture
def programme_certificate(commune, make_person, courses, make_programme, complete):
    make_programme([commune], courses, programme_title=PROGRAMME)
    holder = make_person(commune, "Nguyen Thi Huong")
    for course in courses:
        complete(holder, course)
    return _programme_certificates()[0]


def test_the_learner_downloads_it_from_the_dashboard(client, login, programme_certificate):
    login(programme_certificate.user)
    page = client.get("/learn").get_data(as_text=True)
    assert "Chương trình đã hoàn thành" in page and PROGRAMME in page and programme_certificate.serial in page
    link = f"/certificates/{programme_certificate.id}.pdf"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == programme_certificate.pdf_sha256


def test_verification_shows_the_programme(client, programme_certificate):
    page = client.get(f"/verify/{programme_certificate.verification_code}").get_data(as_text=True)
    assert "Còn hiệu lực" in page and "Chương trình" in page and PROGRAMME in page
    assert programme_certificate.serial in page


def test_hr_bundle_and_register_include_it(runner, tmp_path, client, login, commune, make_person, programme_certificate):
    out = tmp_path / "xa.zip"
    result = runner.invoke(args=["lms", "certificates", "bundle", "--unit", "16378", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert len(names) == 4 and any(programme_certificate.serial in name for name in names)
    login(make_person(commune, "Lê Thị Nhân Sự", roles=[("hr", commune)]))
    response = client.get(f"/hr/certificates/register.xlsx?unit={commune.id}&year={programme_certificate.year}")
    rows = [[cell for cell in row] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert [programme_certificate.serial, PROGRAMME, 18.5] == [rows[-1][1], rows[-1][5], rows[-1][6]]


@pytest.fixture
def admin_client(client, login, province, make_person):
    return login(make_person(province, "Phạm Quản Trị", roles=["admin"]))


def test_admin_reissues_it_with_the_corrected_names(admin_client, courses, programme_certificate):
    holder = programme_certificate.user
    holder.set_name("Nguyễn", "Thị", "Hương")
    db.session.commit()
    _change_programme(programme_certificate, courses, f"{PROGRAMME} (cơ bản)")
    response = admin_client.post_form(f"/certificates/{programme_certificate.id}/reissue", {"reason": "Sửa họ tên"})
    assert response.status_code == 302
    old, new = _programme_certificates()
    assert (old.status, old.replaced_by_id) == ("replaced", new.id)
    assert (new.status, new.holder_name, new.title, new.programme_code) == (
        "valid", "Nguyễn Thị Hương", f"{PROGRAMME} (cơ bản)", old.programme_code)
    assert (new.study_hours, new.programme_courses, new.number) == (18.5, ["IU01", "IU02", "IU03"], 5)
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "Certificate", AuditEvent.object_id == str(old.id))) == "certificate.reissued"


def _change_programme(certificate: Certificate, courses, title: str) -> None:
    target = db.session.get(TrainingTarget, int(certificate.programme_code.removeprefix("KH-")))
    update_target(target, _data(target.units, courses, programme_certificate=True, programme_title=title))
    db.session.commit()


def test_a_reissue_keeps_the_programme_as_printed_when_its_courses_changed(admin_client, make_course, courses,
                                                                         programme_certificate):
    _change_programme(programme_certificate, [*courses, make_course("IU04", "Khóa IU04", 4)], "Tên mới")
    admin_client.post_form(f"/certificates/{programme_certificate.id}/reissue", {"reason": "Sửa đơn vị"})
    _old, new = _programme_certificates()
    assert (new.title, new.programme_courses, new.study_hours) == (PROGRAMME, ["IU01", "IU02", "IU03"], 18.5)


def test_a_revoked_programme_certificate_is_final(admin_client, runner, programme_certificate):
    admin_client.post_form(f"/certificates/{programme_certificate.id}/revoke", {"reason": "Gian lận"})
    page = admin_client.get(f"/verify/{programme_certificate.verification_code}").get_data(as_text=True)
    assert "Đã bị thu hồi" in page and "Gian lận" in page
    assert "0 giấy chứng nhận chương trình." in _issue_pending(runner)
    [certificate] = _programme_certificates()
    assert certificate.status == "revoked"
