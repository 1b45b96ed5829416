"""Backup and restore of the whole database: SQLite's online backup API, PostgreSQL's pg_dump."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from lms.auth.models import User
from lms.extensions import db


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


def database_has_data() -> bool:
    """Whether the current database holds any account (restoring over it would lose data)."""
    try:
        return bool(db.session.scalar(select(func.count(User.id))))
    except Exception:  # no schema yet: nothing to lose
        db.session.rollback()
        return False
    finally:
        db.session.remove()


def backup(out: Path) -> None:
    """Write a consistent copy of the database to ``out`` while the application keeps running."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), out)
    elif url.get_backend_name() == "postgresql":
        _run_pg("pg_dump", url, ["--format=custom", "--no-owner", f"--file={out}"])
    else:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {url.get_backend_name()}.")


def restore(source: Path) -> None:
    """Replace the database's content with the backup in ``source``.

    The caller checks first that nothing would be lost (see :func:`database_has_data`).
    """
    if not source.is_file():
        raise BackupError(f"{source}: không có tệp này.")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold a lock or stale pages
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(source)
        _sqlite_copy(source, Path(url.database))
    elif url.get_backend_name() == "postgresql":
        _run_pg("pg_restore", url, ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)])
    else:
        raise BackupError(f"Không hỗ trợ khôi phục cơ sở dữ liệu {url.get_backend_name()}.")


def _sqlite_copy(source: Path, target: Path) -> None:
    # The backup API copies page by page under SQLite's own locking, WAL content included.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _check_sqlite_file(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            has_schema = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'users'").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: không phải tệp SQLite ({error}).") from error
    if not ok or not has_schema:
        raise BackupError(f"{path}: không phải bản sao lưu của hệ thống này.")


def _run_pg(tool: str, url: URL, args: list[str]) -> None:
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(f"Không tìm thấy {tool}: hãy cài công cụ PostgreSQL (Debian: postgresql-client).")
    # The password travels in the environment, never on the command line (visible in ps).
    env = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
    connection = ["--host", url.host or "localhost", "--port", str(url.port or 5432), "--username", url.username or ""]
    command = [binary, *connection, f"--dbname={url.database}", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} báo lỗi: {result.stderr.strip()}")
