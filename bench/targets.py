"""Benchmark: the HR dashboard, a unit's drill-down and a full rebuild of a target's rollups.

Usage::

    .venv/bin/python bench/targets.py [--staff 100000] [--runs 30] [--database sqlite:////tmp/bench.db] [--analyze]

Builds the invented province (``flask lms bench-data``) in a fresh database, then prints
server-side times of the HR pages and of the JSON API (p50 and p90 of the full request,
through the test client, logged in as the province's HR, with the CPU time's p50 since the
machine may be shared) and the rebuild time. Targets: dashboard and drill-down ≤ 50 ms at
100,000 staff (≤ 200 ms at 1,000,000), rebuild ≤ 5 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, select, text  # noqa: E402

from lms import create_app  # noqa: E402
from lms.auth.operations import grant_role  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.org.models import OrgUnit  # noqa: E402
from lms.targets.bench_data import build_bench_data  # noqa: E402
from lms.targets.models import TargetCount, TargetDayCount, TargetMember, TrainingTarget  # noqa: E402
from lms.targets.rollups import rebuild_target  # noqa: E402


def _timed(client, url: str, runs: int) -> tuple[float, float, float]:
    """p50 and p90 of the wall time, and p50 of the CPU time (ms): the machine may be shared."""
    client.get(url)  # warm caches and templates
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], statistics.median(cpu)


def _login(app, client):
    from lms.auth.models import User

    hr = db.session.scalar(select(User).order_by(User.id).limit(1))
    province = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
    grant_role(hr, "hr", province)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = hr.get_id()
        session["_fresh"] = True
        session["login_at"] = session["seen_at"] = int(time.time())
    return province


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database", help="an empty database URL (a temporary SQLite file by default)")
    parser.add_argument("--analyze", action="store_true", help="time the pages again after ANALYZE (planner statistics)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_IDLE_MINUTES": 600, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        started, started_cpu = time.perf_counter(), time.process_time()
        counts = build_bench_data(args.staff)
        db.session.commit()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"data: {counts} in {time.perf_counter() - started:.1f} s (CPU {time.process_time() - started_cpu:.1f} s), "
              f"peak memory {peak:.0f} MB")
        client = app.test_client()
        province = _login(app, client)
        target = db.session.get(TrainingTarget, counts["target"])
        district = _worst_child(target, province, "district")
        commune = _worst_child(target, district, "commune")
        api = f"/api/v1/targets/{target.id}/units"
        pages = {"dashboard": "/hr/targets", "province drill-down": f"/hr/targets/{target.id}/units/{province.id}",
                 "district drill-down": f"/hr/targets/{target.id}/units/{district.id}",
                 "API targets": "/api/v1/targets", "API province": f"{api}/{province.id}",
                 "API not-finished, province": f"{api}/{province.id}/not-finished",
                 "API not-finished, commune": f"{api}/{commune.id}/not-finished"}
        _time_pages(client, pages, args.runs)
        if args.analyze:
            started = time.perf_counter()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            print(f"-- after ANALYZE ({time.perf_counter() - started:.1f} s): the planner knows the tables' sizes")
            _time_pages(client, pages, args.runs)
        _rebuild(target)


def _time_pages(client, pages: dict[str, str], runs: int) -> None:
    for name, page in pages.items():
        p50, p90, cpu = _timed(client, page, runs)
        print(f"{name:<27} p50 {p50:7.1f} ms   p90 {p90:7.1f} ms   CPU p50 {cpu:7.1f} ms")


def _worst_child(target, unit: OrgUnit, kind: str) -> OrgUnit:
    """The child unit of ``kind`` with the lowest percentage (the first row of the drill-down)."""
    from lms.targets.queries import unit_report

    return next(row.unit for row in unit_report(target, unit).rows if row.unit.kind == kind)


def _rebuild(target) -> None:
    _timed_rebuild(target, "nothing changed")
    for model in (TargetMember, TargetCount, TargetDayCount):
        db.session.execute(delete(model).where(model.target_id == target.id))
    db.session.commit()
    _timed_rebuild(target, "from empty")


def _timed_rebuild(target, label: str) -> None:
    started, started_cpu = time.perf_counter(), time.process_time()
    rebuild_target(target)
    db.session.commit()
    print(f"rebuild ({label + ')':<22} {time.perf_counter() - started:6.2f} s   CPU {time.process_time() - started_cpu:6.2f} s")


if __name__ == "__main__":
    main()
