"""``flask lms certificates …``: issue what is owed, bundles, the register, storage repair, a demo signer."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import queries
from lms.certificates.bundles import write_merged, write_zip
from lms.certificates.operations import issue_certificate
from lms.certificates.programmes import issue_programme_certificate, owed_programmes
from lms.certificates.register import register_workbook
from lms.certificates.repair import check_storage
from lms.certificates.signing import make_dev_signer
from lms.core.database import read_only_transactions
from lms.extensions import db
from lms.org.models import OrgUnit

certificates_cli = AppGroup("certificates", help="Giấy chứng nhận.")


@certificates_cli.command("issue-pending")
def issue_pending_command() -> None:
    """Issue the course and programme certificates owed for recorded completions (safe to run again)."""
    owed = [c for c in db.session.scalars(queries.owed_completions()) if queries.gives_certificate(c.course)]
    with click.progressbar(owed, label="Cấp giấy chứng nhận") as completions:
        for completion in completions:
            issue_certificate(completion)
            db.session.commit()  # one certificate, one transaction: an interruption loses nothing
    programmes = owed_programmes()
    with click.progressbar(programmes, label="Cấp giấy chứng nhận chương trình") as pending:
        for target, user_id in pending:
            issue_programme_certificate(target, db.session.get(User, user_id))
            db.session.commit()
    click.echo(f"Đã cấp {len(owed)} giấy chứng nhận khóa học, {len(programmes)} giấy chứng nhận chương trình.")


def _unit_or_fail(code: str):
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.valid_to.is_(None))).first()
    if unit is None:
        raise click.ClickException(f"Không có đơn vị mã {code}.")
    return unit


@certificates_cli.command("bundle")
@click.option("--unit", "unit_code", required=True, help="Code of the unit.")
@click.option("--subtree", is_flag=True, help="Include the units below it.")
@click.option("--merged", is_flag=True, help="One PDF for printing instead of a ZIP of the stored files.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def bundle_command(unit_code: str, subtree: bool, merged: bool, out: Path) -> None:
    """Write the valid certificates of a unit's people, in name order, to a ZIP or one PDF."""
    with read_only_transactions():
        stmt = queries.for_holder_unit(_unit_or_fail(unit_code), subtree)
        total = queries.count(stmt)
        with click.progressbar(length=total, label="Đóng gói") as bar:
            done = write_merged(stmt, out, lambda _done: bar.update(1)) if merged else _zip(stmt, out, bar)
    click.echo(f"Đã ghi {done} giấy chứng nhận vào {out}.")


def _zip(stmt, out: Path, bar) -> int:
    written, problems = write_zip(stmt, out, lambda _done: bar.update(1))
    if problems:
        raise click.ClickException(f"Thiếu hoặc sai tệp: {', '.join(problems)} (chạy verify-storage).")
    return written


@certificates_cli.command("register")
@click.option("--unit", "unit_code", required=True, help="Code of the unit (its subtree is included).")
@click.option("--year", required=True, type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def register_command(unit_code: str, year: int, out: Path) -> None:
    """Export the register (sổ cấp giấy chứng nhận) of a year and unit as XLSX."""
    unit = _unit_or_fail(unit_code)
    out.write_bytes(register_workbook(db.session.scalars(queries.register(year, unit)), unit, year))
    click.echo(f"Đã ghi sổ cấp năm {year} vào {out}.")


@certificates_cli.command("verify-storage")
@click.option("--repair", is_flag=True, help="Rebuild missing files (only when the rebuilt hash matches).")
def verify_storage_command(repair: bool) -> None:
    """Check every certificate's stored PDF against its hash; optionally rebuild missing ones."""
    report = check_storage(repair=repair)
    for serial, problem in report.problems:
        click.echo(f"{serial}: {problem}")
    click.echo(f"Đã kiểm tra {report.checked}; đã khôi phục {report.repaired}; còn lỗi {len(report.problems)}.")
    if report.problems:
        raise SystemExit(1)


@certificates_cli.command("dev-signer")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--password", default=None, help="PKCS#12 password (default: LMS_CERT_P12_PASSWORD).")
def dev_signer_command(path: Path, password: str | None) -> None:
    """Make a self-signed PKCS#12 signing key for development and demos (never production)."""
    make_dev_signer(path, password if password is not None else current_app.config["LMS_CERT_P12_PASSWORD"])
    click.echo(f"Đã tạo khóa ký thử nghiệm {path}; đặt LMS_CERT_P12={path}.")


@click.command("worker")
def worker_command() -> None:
    """Run the background worker for certificate bundles (needs REDIS_URL)."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from lms.certificates.jobs import QUEUE

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL chưa được đặt: các tác vụ chạy ngay trong tiến trình web.")
    connection = Redis.from_url(url)
    # SimpleWorker runs jobs in this process, inside the application context.
    SimpleWorker([Queue(QUEUE, connection=connection)], connection=connection).work()


COMMANDS = (certificates_cli, worker_command)
