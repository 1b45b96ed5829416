"""Engine set-up: SQLite pragmas and write transactions begun with ``BEGIN IMMEDIATE``.

A deferred SQLite transaction that reads and then writes fails with "database is locked"
when another connection wrote in between, whatever the busy timeout. So every transaction
that may write takes the write lock up front (``BEGIN IMMEDIATE``) and waits its turn; only
GET/HEAD requests, which never write, begin deferred so that readers run side by side.

A view marked :func:`writes_late` (a busy write such as a quiz submission) begins deferred
too and takes the write lock only when it calls :func:`begin_write`: its access checks and
the checking of its input run outside the lock, which every writer waits for.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.extensions import db

_read_only: ContextVar[bool] = ContextVar("lms_read_only", default=False)


@contextmanager
def read_only_transactions():
    """Let transactions opened inside the block begin deferred (reports, exports)."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def writes_late(view):
    """Mark a view that reads first and calls :func:`begin_write` before its first write."""
    view.writes_late = True
    return view


def _reading_first() -> bool:
    """Whether this request's view is marked :func:`writes_late` and has not begun writing."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "writes_late", False) and not g.get("lms_writing", False)


def begin_write() -> None:
    """In a view marked :func:`writes_late`: end the read transaction and take the write lock.

    What was loaded stays loaded but may be stale: the first write must re-check what it
    relies on (a conditional UPDATE). Elsewhere, and on PostgreSQL, the transaction goes on.
    """
    if not has_request_context() or not _reading_first():
        return
    g.lms_writing = True
    if db.session().in_transaction() and db.engine.dialect.name == "sqlite":
        connection = db.session.connection()
        connection.exec_driver_sql("COMMIT")  # a read: nothing to commit, it just ends
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def commit_without_expiring() -> None:
    """Commit, keeping what the session loaded as it is instead of expiring it.

    For a view that reads nothing from the database after its commit (it redirects or
    answers with what it has): expiring every loaded object costs more than the commit
    when the request loaded many (a quiz attempt's 30 questions). The values kept are the
    ones the transaction saw and wrote.
    """
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _may_write() -> bool:
    if _read_only.get():
        return False
    if has_request_context():
        return request.method not in ("GET", "HEAD", "OPTIONS") and not _reading_first()
    return True


def _install_sqlite_hooks(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Straight to the driver: every request begins a transaction, and SQLAlchemy's
        # statement machinery (exec_driver_sql) cost as much as running the BEGIN itself.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def init_database(app: Flask) -> None:
    """Attach the SQLite hooks to every SQLite engine of the app.

    :param app: the application whose engines are configured
    """
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _install_sqlite_hooks(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
