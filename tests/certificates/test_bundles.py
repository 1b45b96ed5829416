"""HR prints a unit's certificates: a ZIP or one merged PDF, in Vietnamese name order."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.certificates.models import Certificate, Job
from lms.certificates.storage import sha256_hex
from lms.core.models import utcnow
from lms.extensions import db

from .conftest import needs_poppler, pdf_lines

# Vietnamese order is by given name (Anh < Ánh < Bình), then middle name (Thị < Văn), then family name.
NAMES = ["Trần Thị Bình", "Nguyễn Văn Ánh", "Lê Văn Anh", "Đỗ Thị Anh"]
ORDER = ["Đỗ Thị Anh", "Lê Văn Anh", "Nguyễn Văn Ánh", "Trần Thị Bình"]


@pytest.fixture
def issued(province, commune, make_unit, make_person, make_course, complete):
    course = make_course()
    for name in NAMES:
        complete(make_person(commune, name), course)
    hamlet_office = make_unit("16378-1", "Văn phòng xã Quảng Hòa", "office", commune)
    complete(make_person(hamlet_office, "=HYPERLINK(\"x\")"), course)
    complete(make_person(make_unit("16379", "Xã Quảng Bình", "commune", province), "Ai Khác"), course)
    return course


def _bundle(runner, tmp_path, *options):
    out = tmp_path / "bundle.out"
    result = runner.invoke(args=["lms", "certificates", "bundle", "--unit", "16378", *options, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _zip_holders(data) -> list[str]:
    with zipfile.ZipFile(data) as archive:
        return [name.split(" TH-")[0].split(" ", 1)[1] for name in archive.namelist()]


def test_zip_holds_the_stored_files_in_name_order(runner, tmp_path, issued):
    out = _bundle(runner, tmp_path)
    assert _zip_holders(out) == ORDER
    hashes = set(db.session.scalars(select(Certificate.pdf_sha256)))
    with zipfile.ZipFile(out) as archive:
        assert {sha256_hex(archive.read(name)) for name in archive.namelist()} <= hashes
    assert len(_zip_holders(_bundle(runner, tmp_path, "--subtree"))) == 5


@needs_poppler
def test_merged_pdf_has_one_page_per_person_in_order(runner, tmp_path, issued):
    lines = pdf_lines(_bundle(runner, tmp_path, "--merged").read_bytes(), "-layout")
    holders = [line.removeprefix("Cấp cho: Ông/Bà ") for line in lines if line.startswith("Cấp cho:")]
    assert holders == ORDER


def test_hr_builds_a_bundle_in_the_background(client, login, commune, make_person, issued):
    login(make_person(commune, "Lê Thị Cúc", roles=[("hr", commune)]))
    response = client.post_form("/hr/certificates/bundles", {"unit": commune.id, "subtree": "y"})
    assert response.status_code == 302
    deadline = time.monotonic() + 60
    while (job := db.session.scalar(select(Job))).status not in ("done", "failed") and time.monotonic() < deadline:
        db.session.rollback()  # the test's own transaction would hold SQLite's write lock
        time.sleep(0.1)
    status = client.get(f"/hr/certificates/jobs/{job.id}.json").get_json()
    assert status == {"status": "done", "done": 5, "total": 5, "percent": 100,
                      "file_url": f"/hr/certificates/jobs/{job.id}/file"}
    assert "Tải tệp" in client.get(f"/hr/certificates/jobs/{job.id}").get_data(as_text=True)
    download = client.get(status["file_url"])
    assert len(_zip_holders(io.BytesIO(download.data))) == 5


def test_jobs_and_units_are_private(client, login, province, commune, make_unit, make_person, issued):
    elsewhere = make_unit("16380", "Xã Quảng Nhân", "commune", province)
    login(make_person(elsewhere, "Hoàng Thị Én", roles=[("hr", elsewhere)]))
    assert client.post_form("/hr/certificates/bundles", {"unit": commune.id}).status_code == 400
    job = Job(kind="certificate_bundle", user_id=make_person(commune, "Chủ Tác Vụ").id, params={})
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/hr/certificates/jobs/{job.id}").status_code == 404
    assert client.get(f"/hr/certificates/register.xlsx?unit={commune.id}&year=2026").status_code == 400


def test_a_job_whose_process_was_stopped_shows_as_interrupted(client, login, commune, make_person):
    hr = make_person(commune, "Lê Thị Cúc", roles=[("hr", commune)])
    stopped = Job(kind="certificate_bundle", user_id=hr.id, params={}, status="running", done=3, total=40)
    moving = Job(kind="certificate_bundle", user_id=hr.id, params={}, status="running", done=3, total=40)
    db.session.add_all([stopped, moving])
    db.session.flush()
    stopped.updated_at = utcnow() - timedelta(minutes=11)  # its worker was killed 11 minutes ago
    db.session.commit()
    login(hr)
    assert client.get(f"/hr/certificates/jobs/{stopped.id}.json").get_json()["status"] == "interrupted"
    assert client.get(f"/hr/certificates/jobs/{moving.id}.json").get_json()["status"] == "running"
    assert "dừng giữa chừng" in client.get(f"/hr/certificates/jobs/{stopped.id}").get_data(as_text=True)
    listing = client.get("/hr/certificates").get_data(as_text=True)
    assert listing.count("Bị gián đoạn") == 1 and listing.count("Đang xử lý") == 1


def test_the_register_lists_a_year_by_number_with_formulas_neutralised(client, login, commune, make_person, issued):
    login(make_person(commune, "Lê Thị Cúc", roles=[("hr", commune)]))
    year = db.session.scalar(select(Certificate.year))
    response = client.get(f"/hr/certificates/register.xlsx?unit={commune.id}&year={year}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("Số vào sổ", "Số hiệu", "Họ và tên")
    body = rows[2:]
    assert [row[0] for row in body] == [f"{n}/{year}" for n in range(1, 6)]
    assert "'=HYPERLINK(\"x\")" in [row[2] for row in body]
    assert all(row[8] == "Còn hiệu lực" for row in body)


def _redis_or_skip(url: str):
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return connection


def test_with_redis_the_bundle_goes_to_the_rq_worker(app, client, login, commune, make_person, issued, monkeypatch):
    from rq import Queue, SimpleWorker

    url = "redis://127.0.0.1:6379/0"
    connection = _redis_or_skip(url)
    queue_name = f"lms-test-{uuid.uuid4().hex[:8]}"  # no clash with other runs on the same Redis
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setattr("lms.certificates.jobs.QUEUE", queue_name)
    login(make_person(commune, "Lê Thị Cúc", roles=[("hr", commune)]))
    client.post_form("/hr/certificates/bundles", {"unit": commune.id, "merged": "y"})
    assert db.session.scalar(select(Job.status)) == "queued"  # nothing runs in the web process
    db.session.commit()
    SimpleWorker([Queue(queue_name, connection=connection)], connection=connection).work(burst=True)
    db.session.expire_all()
    job = db.session.scalar(select(Job))
    assert (job.status, job.done, job.total) == ("done", 4, 4) and job.result_name.endswith(".pdf")


@pytest.mark.parametrize("merged", [False, True])
def test_an_interrupted_bundle_leaves_no_file(app_ctx, tmp_path, issued, merged):
    from lms.certificates import queries
    from lms.certificates.bundles import write_merged, write_zip
    from lms.org.models import OrgUnit

    commune = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "16378")).one()
    out = tmp_path / "bundle.out"

    def killed_after_two(done):
        if done == 2:
            raise KeyboardInterrupt  # what a stopped worker raises half-way

    with pytest.raises(KeyboardInterrupt):
        (write_merged if merged else write_zip)(queries.for_holder_unit(commune), out, killed_after_two)
    assert list(tmp_path.iterdir()) == []
    (write_merged if merged else write_zip)(queries.for_holder_unit(commune), out)
    assert out.exists() and list(tmp_path.iterdir()) == [out]
