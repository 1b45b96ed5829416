"""Benchmark the HR staff search over 100,000 people (SQLite, or PostgreSQL): one page of results and its count.

Run ``python bench/staff_search.py [people] [--database URL]``. People are bulk-inserted into a fresh,
migrated database under 1,000 communes; each query is then run as the staff list runs it
(``staff_in_subtree`` for the province, first page of 50 plus the total) and timed as the
median of several runs. Target: <= 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from sqlalchemy import insert, select, text

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]
QUERIES = ["nguyen thi hoa", "NGUYỄN", "hoa", "tran van an", "Lê Thị Thu Hằng", "hoa nguyen", "thi", "0012345",
           "khong co ai"]
RUNS = 7


def _people(count: int, unit_ids: list[int]):
    from roster_files import DEM, HO, TEN

    from lms.core.text import full_name, name_sort_string, search_key

    rng = random.Random(3)
    for number in range(count):
        ho, dem, ten = rng.choice(HO), rng.choice(DEM), rng.choice(TEN)
        name = full_name(ho, dem, ten)
        yield {"staff_code": f"{number:07d}", "ho": ho, "ten_dem": dem, "ten": ten, "full_name": name,
               "name_key": search_key(name), "sort_key": name_sort_string(ho, dem, ten),
               "unit_id": rng.choice(unit_ids), "position": "Chuyên viên", "session_token": str(number)}


def _first_page(province, query: str):
    """The staff list's work for one search: build the query (a rare name's ids looked up), page 1 and its count."""
    from lms.extensions import db
    from lms.org.queries import StaffFilter, staff_in_subtree

    return db.paginate(staff_in_subtree(province, StaffFilter(query=query)), page=1, per_page=50, error_out=False)


def _timed(run) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Fill a database (a temporary SQLite file, or the empty one ``--database`` names), then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int, nargs="?", default=100_000)
    parser.add_argument("--database", help="URL of an empty database, e.g. postgresql+psycopg://…/bench")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database or f"sqlite:///{folder}/search.db"
        run(arguments.people, {"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": folder})


def run(count: int, config: dict) -> None:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db
    from lms.org.bulk import insert_name_words
    from lms.org.operations import create_unit

    with create_app(config).app_context():
        upgrade()
        province = create_unit("38", "Tỉnh Thanh Hóa", "province")
        unit_ids = [create_unit(str(code), f"Xã {code}", "commune", province).id for code in range(14000, 15000)]
        db.session.execute(insert(User), list(_people(count, unit_ids)))
        insert_name_words(db.session.execute(select(User.id, User.name_key)).all())
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a large import: statistics, and the visibility map
            # that lets the name index be read without visiting the table.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        print(f"{count:,} people in {len(unit_ids):,} units ({db.engine.dialect.name})")
        for query in QUERIES:
            found = _first_page(province, query).total
            page = _timed(partial(_first_page, province, query))
            print(f"{query!r:>20}: {found:>6,} found, first page + count {page:6.1f} ms (median of {RUNS})")


if __name__ == "__main__":
    main()
