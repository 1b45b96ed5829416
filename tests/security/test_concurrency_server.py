"""Concurrency and faults against a real gunicorn server on the test database (SQLite or
PostgreSQL, whichever ``LMS_TEST_DATABASE_URL`` names).

100 learners, each in a client of their own, log in, autosave their open attempt a few
times and submit it (every fifth submits twice at once): no 5xx, every last autosaved
answer stored, every attempt graded once, one completion and one certificate each, and
the year's serial numbers gapless. Then ``flask lms staff import`` is killed (SIGKILL)
while writing a large roster: the staff count is the one before, never one between, and
running the import again finishes it.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, text

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.core.database import read_only_transactions
from lms.courses.models import Course
from lms.courses.operations import import_course
from lms.courses.settings import normalise_certificate, normalise_quiz
from lms.courses.spec import CourseSpec
from lms.extensions import db
from lms.learning.models import CourseCompletion
from lms.quizzes.gift import parse_gift
from lms.quizzes.models import Attempt, AttemptQuestion
from lms.quizzes.operations import start_attempt
from tests.conftest import CSRF_RE
from tests.quizzes.conftest import right_values, wrong_values

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
LEARNERS = 100
PASSWORD = "mat-khau-thu-nghiem"
QUESTIONS = """\
::mc::Trụ sở UBND tỉnh đặt ở đâu? {=Thành phố Thanh Hóa ~Thành phố Sầm Sơn ~Thị xã Bỉm Sơn}

::tf::Mật khẩu nên dài ít nhất 12 ký tự. {TRUE}

::sa::Tên khu di tích nhà Hậu Lê ở Thọ Xuân là gì? {=Lam Kinh}
"""
ROSTER_ROWS = 30_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(app) -> dict:
    """The environment that points a subprocess at the test's database and storage."""
    return {**os.environ, "LMS_CONFIG": "testing", "LMS_TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LMS_STORAGE_DIR": app.config["STORAGE_DIR"], "LMS_INSTANCE_DIR": str(Path(app.config["STORAGE_DIR"]).parent)}


@pytest.fixture
def server(app, app_ctx):
    """``gunicorn -w 2 wsgi:app`` on a free loopback port, on the test database (already migrated)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=_env(app))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield url
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture
def quiz_world(app_ctx, make_unit, province, make_person):
    """A course whose passed quiz completes it and issues a certificate; 100 learners, each with an open attempt."""
    spec = CourseSpec(code="CC01", slug="cc01", title="Khóa thi đồng thời", passing_score=50,
                      quiz=normalise_quiz({"shuffle_questions": False, "shuffle_answers": False, "attempts_allowed": 0}),
                      certificate=normalise_certificate({"enabled": True}), questions=parse_gift(QUESTIONS))
    import_course(spec)
    course = db.session.scalar(select(Course).where(Course.code == "CC01"))
    commune = make_unit("16378", "Xã Quảng Hòa", "commune", province)
    plan = []
    for n in range(LEARNERS):
        learner = make_person(commune, f"Lê Thị Học{n}", staff_code=f"HV{n:04d}", password=PASSWORD)
        attempt = start_attempt(learner, course)
        db.session.flush()
        wrong = {str(q.position): wrong_values(q) for q in attempt.questions}
        right = {str(q.position): right_values(q) for q in attempt.questions}
        plan.append((learner.staff_code, attempt.id, wrong, right))
    db.session.commit()
    db.session.remove()  # no transaction of the test may hold a lock while the server works
    return plan


def _token(page: str) -> str:
    return CSRF_RE.search(page).group(1)


def _session() -> requests.Session:
    """A client that opens a connection per request.

    Reusing a kept-alive connection races the server closing it when idle (gunicorn's
    ``--keep-alive``, 2 s): under this load a POST can be written to a socket the server has
    just closed, and a client does not retry a POST. That is the network's race, not the app's.
    """
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def _client(base: str, staff_code: str) -> tuple[requests.Session, str]:
    """A logged-in browser of its own, and the CSRF token of its new session."""
    session = _session()
    token = _token(session.get(f"{base}/login", timeout=60).text)
    response = session.post(f"{base}/login", data={"identifier": staff_code, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=60)
    assert response.status_code == 302, f"login of {staff_code}: {response.status_code}"
    return session, _token(session.get(f"{base}/learn", timeout=60).text)


def _learner(base: str, job: tuple, index: int, statuses: list, lock: threading.Lock) -> None:
    staff_code, attempt_id, wrong, right = job
    session, token = _client(base, staff_code)
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    seen = []
    for seq, answers in enumerate((wrong, right, wrong, right), start=1):
        response = session.post(f"{base}/attempts/{attempt_id}/autosave", json={"seq": seq, "answers": answers},
                                headers=headers, timeout=60)
        seen.append(("autosave", response.status_code))
    submits = 2 if index % 5 == 0 else 1
    results = [None] * submits

    def submit(slot: int) -> None:
        twin = _session()
        twin.cookies.update(session.cookies)
        results[slot] = twin.post(f"{base}/attempts/{attempt_id}/submit", data={"csrf_token": token},
                                  allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=submit, args=(slot,)) for slot in range(submits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seen += [("submit", status) for status in results]
    with lock:
        statuses.extend(seen)


def test_100_learners_autosave_and_submit_at_once(quiz_world, server):
    statuses, lock = [], threading.Lock()
    threads = [threading.Thread(target=_learner, args=(server, job, i, statuses, lock)) for i, job in enumerate(quiz_world)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(t.is_alive() for t in threads), "clients still waiting after 4 minutes"
    assert [s for s in statuses if s[1] is None or s[1] >= 500] == []
    assert {s for s in statuses if s[0] == "autosave"} == {("autosave", 200)}
    assert {s for s in statuses if s[0] == "submit"} == {("submit", 302)}
    assert len(statuses) == LEARNERS * 4 + LEARNERS + LEARNERS // 5

    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt).where(Attempt.id.in_([job[1] for job in quiz_world]))).all()
    assert {a.state for a in attempts} != {"open"} and all(a.submitted_at and a.score == 1.0 for a in attempts)
    items = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id.in_([a.id for a in attempts])))
    assert {(item.seq, item.fraction) for item in items} == {(4, 1.0)}, "a last autosave was lost"
    completions = db.session.execute(select(CourseCompletion.user_id, func.count()).group_by(CourseCompletion.user_id)).all()
    assert len(completions) == LEARNERS and {count for _user, count in completions} == {1}
    certificates = db.session.execute(select(Certificate.user_id, Certificate.year, Certificate.number)).all()
    assert len({c.user_id for c in certificates}) == len(certificates) == LEARNERS
    assert sorted(c.number for c in certificates) == list(range(1, LEARNERS + 1)), "serials skipped or repeated"


# --- A roster import killed while it writes ---------------------------------------------------


def _write_roster(path: Path, rows: int) -> None:
    lines = ["Số hiệu,Họ và tên,Ngày sinh,Giới tính,Chức vụ,Mã đơn vị,Email"]
    lines += [f"K{n:06d},Nguyễn Văn Người{n},01/02/1990,Nam,Chuyên viên,16378," for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _staff_count() -> int:
    with read_only_transactions(), db.engine.connect() as conn:
        return conn.execute(select(func.count(User.id))).scalar_one()


def _writing(app) -> bool:
    """Whether a transaction is writing: the write lock is taken (SQLite), a row lock on ``users`` (PostgreSQL)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        probe = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with read_only_transactions(), db.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE relation = 'users'::regclass "
                                      "AND mode = 'RowExclusiveLock'")).scalar_one())


def test_a_roster_import_killed_while_writing_leaves_nothing_and_a_rerun_finishes(app, app_ctx, province, make_unit,
                                                                                tmp_path):
    make_unit("16378", "Xã Quảng Hòa", "commune", province)
    db.session.remove()
    roster = tmp_path / "ds.csv"
    _write_roster(roster, ROSTER_ROWS)
    before = _staff_count()
    command = [str(BIN / "flask"), "--app", "wsgi", "lms", "staff", "import", str(roster), "--unit", "16378"]
    process = subprocess.Popen(command, cwd=ROOT, env=_env(app), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while process.poll() is None and not _writing(app) and time.monotonic() < deadline:
        assert _staff_count() == before
        time.sleep(0.05)
    time.sleep(0.5)  # well into the writing
    assert process.poll() is None and _writing(app), "the import ended before it could be killed: make the roster bigger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _staff_count() == before, "a killed import left some of its rows"

    rerun = subprocess.run(command, cwd=ROOT, env=_env(app), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _staff_count() == before + ROSTER_ROWS
