"""``flask lms audit prune``, ``flask lms backup`` and ``flask lms restore``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.admin.backup import BackupError, backup, database_has_data, restore
from lms.admin.operations import audit, prune_audit
from lms.extensions import db

audit_cli = AppGroup("audit", help="Nhật ký hệ thống.")


@audit_cli.command("prune")
@click.option("--older-than-days", type=click.IntRange(min=1), default=None,
              help="Delete events older than this many days (default: LMS_AUDIT_RETENTION_MONTHS).")
def prune_command(older_than_days: int | None) -> None:
    """Delete audit events past the retention period (the prune itself is audited)."""
    months = current_app.config["AUDIT_RETENTION_MONTHS"]
    deleted, cutoff = prune_audit(days=older_than_days, months=months)
    db.session.commit()
    click.echo(f"Đã xóa {deleted} sự kiện trước {cutoff:%d/%m/%Y %H:%M} (UTC).")


def _run(operation, path: Path, action: str) -> None:
    """Run a backup or restore, then audit it; a failure is a clean error message."""
    try:
        operation(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    audit(action, file=path.name)
    db.session.commit()


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Write a backup of the whole database to OUT (the application may keep running)."""
    _run(backup, out, "system.backup")
    click.echo(f"Đã sao lưu cơ sở dữ liệu vào {out}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
def restore_command(source: Path, force: bool) -> None:
    """Replace the database with the backup SOURCE (refuses a non-empty database without --force)."""
    if database_has_data() and not force:
        raise click.ClickException("Cơ sở dữ liệu đang có dữ liệu; dùng --force để ghi đè.")
    _run(restore, source, "system.restore")
    click.echo(f"Đã khôi phục cơ sở dữ liệu từ {source}.")


COMMANDS = (audit_cli, backup_command, restore_command)
