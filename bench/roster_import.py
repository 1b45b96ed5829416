"""Benchmark the whole roster import (read, check, write) of 100,000 people into SQLite.

Run ``python bench/roster_import.py [rows]``. The roster files of ``bench/roster_files.py``
are generated once; each import then runs in a fresh child process on a fresh, migrated
SQLite database holding the 1,000 units the files name, so that its time and peak RSS
(``resource.getrusage``) are the import's alone. Targets: XLSX <= 30 s, CSV <= 10 s,
memory < 500 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]


def import_and_report(path: str, database: str) -> None:
    """Child process: migrate a database, add the units, time one import, print the figures."""
    from flask_migrate import upgrade

    from lms import create_app
    from lms.extensions import db
    from lms.org.operations import create_unit
    from lms.org.staff_import import import_roster

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "STORAGE_DIR": str(Path(database).parent)})
    with app.app_context():
        upgrade()
        province = create_unit("38", "Tỉnh Thanh Hóa", "province")
        for code in range(14000, 15000):
            create_unit(str(code), f"UBND xã số {code}", "commune", province)
        db.session.commit()
        started, cpu = time.perf_counter(), time.process_time()
        plan = import_roster(path, Path(path).name)
        db.session.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = plan.summary()
    print(f"{Path(path).name:>20}: created {summary['created']:,}, errors {len(summary['errors'])}, "
          f"{seconds:.1f} s end-to-end ({cpu:.1f} s CPU), {summary['created'] / seconds:,.0f} rows/s, peak RSS {peak_mb:.0f} MB")


def main(rows: int) -> None:
    from roster_files import FILE_NAMES, write_files

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_files(Path(folder), rows)
        paths = [Path(folder) / name for name in FILE_NAMES]
        print(f"generated {rows:,} rows as CSV and XLSX in {time.perf_counter() - started:.1f} s")
        for number, path in enumerate(paths):
            database = Path(folder) / f"import-{number}.db"
            subprocess.run([sys.executable, __file__, "--import", str(path), str(database)], check=True, env=env)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import"]:
        import_and_report(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
