"""Emptying the test database between tests (shared by the fixtures and the security world)."""

from sqlalchemy import text

from lms.extensions import db, limiter


def empty_database() -> None:
    """Empty every table and forget the rate-limit counts (inside an application context)."""
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    limiter.reset()
