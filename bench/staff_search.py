"""Benchmark the HR staff search over 100,000 people (SQLite): one page of results and its count.

Run ``python bench/staff_search.py [people]``. People are bulk-inserted into a fresh,
migrated database under 1,000 communes; each query is then run as the staff list runs it
(``staff_in_subtree`` for the province, first page of 50 plus the total) and timed as the
median of several runs. Target: <= 50 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]
QUERIES = ["nguyen thi hoa", "NGUYỄN", "hoa", "tran van an", "Lê Thị Thu Hằng", "0012345", "khong co ai"]
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


def _timed(run) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(count: int) -> None:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db
    from lms.org.operations import create_unit
    from lms.org.queries import StaffFilter, staff_in_subtree

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/search.db", "STORAGE_DIR": folder})
        with app.app_context():
            upgrade()
            province = create_unit("38", "Tỉnh Thanh Hóa", "province")
            unit_ids = [create_unit(str(code), f"Xã {code}", "commune", province).id for code in range(14000, 15000)]
            db.session.execute(insert(User), list(_people(count, unit_ids)))
            db.session.commit()
            print(f"{count:,} people in {len(unit_ids):,} units")
            for query in QUERIES:
                stmt = staff_in_subtree(province, StaffFilter(query=query))
                found = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
                page = _timed(lambda: db.paginate(stmt, page=1, per_page=50, error_out=False).items)
                print(f"{query!r:>20}: {found:>6,} found, first page + count {page:6.1f} ms (median of {RUNS})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
