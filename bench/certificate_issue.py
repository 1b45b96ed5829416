"""Benchmark: issuing certificates (render + store + database) and bundling 10,000 of them.

Usage::

    .venv/bin/python bench/certificate_issue.py [-n 300] [--bundle 10000]

Runs on a fresh SQLite database in a temporary folder (or ``DATABASE_URL``). Issuing goes
through the learning area's completion, so the figure includes the completion, the serial
counter, rendering, the file write and the commit. Bundling writes a ZIP of ``--bundle``
certificates (the stored files, copied as many times as needed) and prints the process's
memory at the start and the end: a streaming bundle keeps it flat. Last, ``--merged``
certificates are rendered into one PDF for printing, with the memory it took.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _app(folder: Path):
    from flask_migrate import upgrade

    from lms import create_app

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(folder / "storage"),
                      "LMS_CERT_SIGNER_NAME": "Lê Văn Trường", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def _people(count: int):
    from lms.auth.models import User
    from lms.courses.models import Course
    from lms.extensions import db
    from lms.org.operations import create_unit

    unit = create_unit("16378", "Xã Quảng Hòa", "commune", None)
    course = Course(code="IU01", slug="iu01", title="Hiểu biết cơ bản về công nghệ thông tin", study_hours=40,
                    certificate={"enabled": True}, quiz={})
    db.session.add(course)
    db.session.flush()
    people = []
    for index in range(count):
        person = User(staff_code=f"B{index:06d}", unit_id=unit.id, date_of_birth=date(1980, 1, 1 + index % 28))
        person.set_name(["Nguyễn", "Trần", "Lê"][index % 3], ["Văn", "Thị"][index % 2], f"Người{index:05d}")
        people.append(person)
    db.session.add_all(people)
    db.session.commit()
    return unit, course, people


def bench_issue(count: int):
    """Issue ``count`` certificates, one completion and commit each; print the rate."""
    from lms.extensions import db
    from lms.learning.operations import refresh_completion

    unit, course, people = _people(count)
    wall, cpu = time.perf_counter(), time.process_time()
    for person in people:
        refresh_completion(person, course)
        db.session.commit()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"issue      {count:>6} certificates: {count / wall:7.1f}/s wall clock, "
          f"{count / cpu:7.1f}/s per CPU second ({1000 * wall / count:.1f} ms each)")
    return unit, course


def _fill_to(total: int, unit, course) -> None:
    """Add certificate rows (and people) sharing the stored files, up to ``total``."""
    from lms.auth.models import User
    from lms.certificates.models import Certificate
    from lms.certificates.storage import pdf_path
    from lms.extensions import db

    model = db.session.scalars(select(Certificate)).all()
    existing = len(model)
    for start in range(existing, total, 1000):
        batch = range(start, min(total, start + 1000))
        users = [{"staff_code": f"F{i:06d}", "ho": "Phạm", "ten_dem": "Văn", "ten": f"Bản{i:05d}",
                  "full_name": f"Phạm Văn Bản{i:05d}", "name_key": "", "sort_key": f"ban{i:05d}",
                  "unit_id": unit.id, "session_token": "x"} for i in batch]
        ids = db.session.scalars(insert(User).returning(User.id), users).all()
        rows = []
        for i, user_id in zip(batch, ids):
            source = model[i % existing]
            values = {c.key: getattr(source, c.key) for c in Certificate.__table__.columns if c.key != "id"}
            values.update(user_id=user_id, number=100000 + i, serial=f"TH-{source.year}-{100000 + i:06d}",
                          verification_code=f"{i:026d}")
            rows.append(values)
            target = pdf_path(Certificate(year=source.year, serial=values["serial"]))
            if not target.exists():
                os.link(pdf_path(source), target)
        db.session.execute(insert(Certificate), rows)
        db.session.commit()


def bench_bundle(total: int, unit, course, folder: Path) -> None:
    """Bundle ``total`` certificates into a ZIP; print time and memory."""
    from lms.certificates import queries
    from lms.certificates.bundles import write_zip
    from lms.core.database import read_only_transactions

    _fill_to(total, unit, course)
    start_rss, start_peak = _rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    marks = []
    wall = time.perf_counter()
    with read_only_transactions():
        stmt = queries.for_holder_unit(unit)
        written, problems = write_zip(stmt, folder / "bundle.zip",
                                      lambda done: marks.append(_rss_mb()) if done % 2000 == 0 else None)
    wall = time.perf_counter() - wall
    size = (folder / "bundle.zip").stat().st_size / 2**20
    print(f"bundle     {written:>6} certificates: {written / wall:7.1f}/s, {size:.0f} MiB ZIP, "
          f"{len(problems)} problems")
    print(f"memory     RSS at start {start_rss:.0f} MiB; every 2000: {', '.join(f'{m:.0f}' for m in marks)} MiB; "
          f"at end {_rss_mb():.0f} MiB (peak before {start_peak:.0f}, after "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


def bench_merged(count: int, unit, folder: Path) -> None:
    """Render the first ``count`` certificates of the unit into one PDF; print time and memory."""
    from lms.certificates import queries
    from lms.certificates.bundles import write_merged
    from lms.core.database import read_only_transactions

    start_rss, wall = _rss_mb(), time.perf_counter()
    with read_only_transactions():
        pages = write_merged(queries.for_holder_unit(unit).limit(count), folder / "merged.pdf")
    wall = time.perf_counter() - wall
    size = (folder / "merged.pdf").stat().st_size / 2**20
    print(f"merged     {pages:>6} pages: {pages / wall:7.1f}/s, {size:.1f} MiB PDF; "
          f"RSS {start_rss:.0f} MiB before, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    """Parse the arguments and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="certificates to issue")
    parser.add_argument("--bundle", type=int, default=10_000, help="certificates to bundle")
    parser.add_argument("--merged", type=int, default=1_000, help="certificates to merge into one PDF")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    try:
        app = _app(folder)
        with app.app_context():
            unit, course = bench_issue(args.n)
            bench_bundle(args.bundle, unit, course, folder)
            bench_merged(args.merged, unit, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
