"""Inserting many plain rows at once, for the roster import (flush-free, in the session's transaction).

SQLAlchemy's ``execute(insert(table), [dict, …])`` builds, defaults and type-processes a
parameter dictionary per row in Python; for a 100,000-person roster that costs more than
SQLite's own work. Here the statement is compiled once for the session's dialect and the
rows go to the driver's ``executemany`` as they are: values that are the same in every row
(timestamps, flags) are processed once, and only the columns whose type needs it (dates)
are processed row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import Table, delete, insert

from lms.auth.models import UserNameWord
from lms.core.text import search_words
from lms.extensions import db

BATCH = 20_000
# Values per IN (…) list: under SQLite's and PostgreSQL's limits on bound parameters.
IN_LIST_SIZE = 5000
# SQLite's page cache while a bulk write runs (KiB): 100,000 new people touch ~60 MB of
# index pages in random order, which the default 2 MB cache reads and writes again and again.
SQLITE_BULK_CACHE_KIB = 65_536


@contextmanager
def bulk_write_cache() -> Iterator[None]:
    """On SQLite, a larger page cache for the session's connection while the block runs."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _processor(column, dialect):
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence], constants: dict | None = None,
                batch: int = BATCH) -> None:
    """Insert ``rows`` (tuples in ``columns`` order), each completed by ``constants``, in batches.

    Columns that are in neither get NULL (Python-side defaults are not applied): callers
    name every column that must hold a value.

    :param table: the table
    :param columns: the names of the per-row values, in order
    :param rows: tuples of Python values
    :param constants: values shared by every row, by column name
    :param batch: rows per ``executemany``
    """
    constants = constants or {}
    connection = db.session.connection()
    dialect = connection.dialect
    names = [*columns, *constants]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    fixed = tuple(_value(table.c[name], value, dialect) for name, value in constants.items())
    processors = [(index, proc) for index, name in enumerate(columns) if (proc := _processor(table.c[name], dialect))]
    order = [names.index(key) for key in compiled.positiontup] if compiled.positional else None
    reorder = None if order is None or order == list(range(len(names))) else itemgetter(*order)
    sql, chunk = str(compiled), []
    for row in rows:
        if processors:
            row = list(row)
            for index, proc in processors:
                row[index] = proc(row[index])
        values = (*row, *fixed)
        if order is None:
            chunk.append(dict(zip(names, values)))
        else:
            chunk.append(reorder(values) if reorder else values)
        if len(chunk) >= batch:
            connection.exec_driver_sql(sql, chunk)
            chunk = []
    if chunk:
        connection.exec_driver_sql(sql, chunk)


def _value(column, value, dialect):
    proc = _processor(column, dialect)
    return proc(value) if proc and value is not None else value


def chunks(values: Sequence, size: int = IN_LIST_SIZE) -> Iterator[Sequence]:
    """``values`` in slices of at most ``size``, for ``column.in_(…)`` lists."""
    for index in range(0, len(values), size):
        yield values[index:index + size]


def insert_name_words(people: Iterable[tuple[int, str]], *, replace: bool = False) -> None:
    """Index the names of people written without :meth:`User.set_name` (bulk inserts and updates).

    :param people: ``(user id, name_key)`` pairs
    :param replace: delete the words these people had first (their names changed)
    """
    people = list(people)
    if replace:
        for chunk in chunks([user_id for user_id, _ in people]):
            db.session.execute(delete(UserNameWord).where(UserNameWord.user_id.in_(chunk)))
    rows = ((user_id, word) for user_id, key in people for word in search_words(key))
    insert_rows(UserNameWord.__table__, ["user_id", "word"], rows)
