"""Certificate bundles as background jobs, their progress kept in the ``jobs`` table.

With ``REDIS_URL`` set the job goes to the rq queue ``lms`` (``flask lms worker`` or
``rq worker lms``); otherwise it runs in a thread of the web process. Either way the
runner reads in a read-only transaction and writes the job's row on a connection of its
own, so the page polling the progress sees it move and no write lock is held meanwhile.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import update

from lms.admin.operations import audit
from lms.certificates import queries
from lms.certificates.bundles import write_merged, write_zip
from lms.certificates.models import Job
from lms.certificates.storage import storage_root
from lms.core.database import read_only_transactions
from lms.core.models import utcnow
from lms.extensions import db
from lms.org.models import OrgUnit

logger = logging.getLogger(__name__)
BUNDLE = "certificate_bundle"
QUEUE = "lms"


def create_bundle_job(user, unit: OrgUnit, *, subtree: bool, merged: bool) -> Job:
    """Record a bundle job for ``user`` (flush only; :func:`launch` it after the commit).

    :param user: who asked; only they see the job and its file
    :param unit: the unit whose people's certificates are bundled
    :param subtree: include the units below ``unit``
    :param merged: one PDF for printing instead of a ZIP of the stored files
    """
    job = Job(kind=BUNDLE, user_id=user.id, params={"unit_id": unit.id, "subtree": subtree, "merged": merged})
    db.session.add(job)
    db.session.flush()
    audit("certificate.bundle", job, unit_id=unit.id, subtree=subtree, merged=merged)
    return job


def job_file(job: Job) -> Path | None:
    """The finished job's file, if any."""
    return storage_root() / "jobs" / str(job.id) / job.result_name if job.result_name else None


def launch(job_id: int) -> None:
    """Start a committed job: on the rq queue when Redis is configured, else in a thread."""
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(run_in_worker, job_id)
        return
    app = current_app._get_current_object()
    threading.Thread(target=_run_in_thread, args=(app, job_id), daemon=True, name=f"job-{job_id}").start()


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)
        db.session.remove()


def run_in_worker(job_id: int) -> None:
    """The rq entry point: runs in ``flask lms worker`` or builds the app for ``rq worker``."""
    if has_app_context():
        run_job(job_id)
        return
    from lms import create_app

    with create_app().app_context():
        run_job(job_id)


def _set(job_id: int, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(updated_at=utcnow(), **values))


def _progress(job_id: int, total: int):
    step = max(1, total // 100)

    def report(done: int) -> None:
        if done % step == 0 or done == total:
            _set(job_id, done=done)

    return report


def run_job(job_id: int) -> None:
    """Build the bundle of job ``job_id`` and record the outcome on its row."""
    with read_only_transactions():
        job = db.session.get(Job, job_id)
        unit = db.session.get(OrgUnit, job.params["unit_id"])
        stmt = queries.for_holder_unit(unit, job.params["subtree"])
        total = queries.count(stmt)
        name = f"giay-chung-nhan-{unit.code}-{utcnow():%Y%m%d-%H%M}.{'pdf' if job.params['merged'] else 'zip'}"
        folder = storage_root() / "jobs" / str(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        _set(job_id, status="running", total=total)
        try:
            error = _write(stmt, folder / name, job.params["merged"], _progress(job_id, total))
        except Exception as exc:  # the job fails, the worker carries on
            logger.exception("bundle job %s failed", job_id)
            error = str(exc) or type(exc).__name__
        finally:
            db.session.rollback()
    _set(job_id, status="failed" if error else "done", result_name=None if error else name, error=error)


def _write(stmt, out: Path, merged: bool, progress) -> str | None:
    if merged:
        write_merged(stmt, out, progress)
        return None
    _written, problems = write_zip(stmt, out, progress)
    # A bundle missing certificates is not handed out as if complete.
    return f"missing or altered files: {', '.join(problems)}" if problems else None
