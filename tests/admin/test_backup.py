"""``flask lms backup`` and ``flask lms restore``: a restored backup holds the same data."""

import shutil

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db


@pytest.fixture(autouse=True)
def _needs_pg_tools(app):
    with app.app_context():
        backend = db.engine.url.get_backend_name()
    if backend == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")


def _people():
    return sorted(db.session.execute(select(User.staff_code, User.full_name, User.unit_id)).all())


def test_backup_then_restore_brings_back_the_same_data(runner, tmp_path, province, make_person):
    for n, name in enumerate(("Lê Thị Hoa", "Trần Văn Bình", "Nguyễn Thị Ánh")):
        make_person(province, name, staff_code=f"B{n}")
    before = _people()
    out = tmp_path / "lms.backup"
    result = runner.invoke(args=["lms", "backup", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0

    db.session.get(User, db.session.scalar(select(User.id).where(User.staff_code == "B0"))).full_name = "Đã sửa"
    db.session.commit()
    result = runner.invoke(args=["lms", "restore", str(out), "--force"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _people() == before


def test_restore_refuses_to_overwrite_data_without_force(runner, tmp_path, province, make_person):
    make_person(province, "Lê Thị Hoa")
    out = tmp_path / "lms.backup"
    assert runner.invoke(args=["lms", "backup", str(out)]).exit_code == 0
    result = runner.invoke(args=["lms", "restore", str(out)])
    assert result.exit_code != 0
    assert "--force" in result.output


def test_restore_into_an_empty_database_needs_no_force(runner, tmp_path, province, make_person):
    make_person(province, "Lê Thị Hoa", staff_code="E1")
    out = tmp_path / "lms.backup"
    assert runner.invoke(args=["lms", "backup", str(out)]).exit_code == 0
    db.session.execute(User.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["lms", "restore", str(out)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert db.session.scalar(select(User.full_name).where(User.staff_code == "E1")) == "Lê Thị Hoa"


def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path, app_ctx):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["lms", "restore", str(junk), "--force"])
    assert result.exit_code != 0
