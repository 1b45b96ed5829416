"""Benchmark: the learner's pages under gunicorn, next to a bare Flask page (the floor).

Usage::

    .venv/bin/python bench/learning.py [--requests 400] [--rounds 3] [--concurrency 4] [--seconds 20]

Builds a temporary instance (SQLite, migrated, demo data, a copy of IU01 whose quiz draws
30 questions), serves it with gunicorn (2 sync workers) on a free loopback port, and the
floor app (``bench/floor_app.py``) the same way. Logged-in clients then time, each in a
bounded loop: the dashboard, a lesson page, an autosave of 30 answers and the submission
of a 30-question attempt (attempts are started and their forms read beforehand, untimed).
The scenarios run in rounds (the floor first in each), and each round's figures are taken
against that round's floor: a machine's speed drifts over a minute, and one run of each
scenario let that drift decide the ratio. Prints, per scenario, the median over the rounds of
requests per second and of its share of the floor's, the p95 latency over all requests, and
the CPU time the gunicorn workers spent per request (from ``/proc``, Linux), which, unlike the
throughput, holds on a machine shared with other work.
Targets: lesson page >= 50% of the floor, submission >= 25%.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
COURSE_FOLDER = ROOT / "courses" / "iu01-hieu-biet-cntt-co-ban"
BENCH_COURSES = 12  # copies of IU01: one open attempt per learner and course to submit
LEARNERS = 8
PASSWORD = "Bench-mat-khau-2026"
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/attempts/(\d+)$")


# --- HTTP client ------------------------------------------------------------------------

class Browser:
    """One logged-in user: cookies and the CSRF token, one connection per request (sync workers)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or ():
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location", ""), data

    def post_form(self, path: str, fields: list[tuple[str, str]]):
        body = urlencode([("csrf_token", self.csrf), *fields]).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def log_in(self, staff_code: str, password: str) -> None:
        _status, _location, page = self.request("GET", "/login")
        self.csrf = CSRF_RE.search(page.decode()).group(1)
        status, _location, _page = self.post_form("/login", [("identifier", staff_code), ("password", password)])
        assert status == 302, f"login of {staff_code} failed ({status})"
        _status, _location, page = self.request("GET", "/learn")
        self.csrf = CSRF_RE.search(page.decode()).group(1)


# --- Timing -------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    errors: int = 0
    server_cpu: float = 0.0  # seconds of the server's workers

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.server_cpu / len(self.latencies) if self.latencies else 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the worker processes of the gunicorn ``server`` (0 without ``/proc``)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == server.pid:  # parent pid; then user and system time in clock ticks
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(name: str, jobs: list, work, concurrency: int, seconds: float, server: subprocess.Popen) -> Result:
    """Run ``work(job)`` for every job (bounded), ``concurrency`` at a time, for at most ``seconds``."""
    result = Result(name)
    cpu_before = workers_cpu(server)
    lock = threading.Lock()
    pending = list(reversed(jobs))
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                if not pending:
                    return
                job = pending.pop()
            started = time.perf_counter()
            ok = work(job)
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                result.errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    result.server_cpu = workers_cpu(server) - cpu_before
    return result


def get_ok(browser: Browser, path: str) -> bool:
    return browser.request("GET", path)[0] == 200


# --- Setting up -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict) -> None:
    completed = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if completed.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")


def bench_course_folders(tmp: Path) -> list[Path]:
    """Copies of IU01 whose quiz draws 30 questions, without time limit or attempt limit."""
    yaml = (COURSE_FOLDER / "course.yaml").read_text(encoding="utf-8")
    yaml = re.sub(r"time_limit_minutes: \d+", "time_limit_minutes: 0", yaml)
    yaml = re.sub(r"attempts_allowed: \d+", "attempts_allowed: 0", yaml)
    for old, new in (("Phần cứng và phần mềm: 5", "Phần cứng và phần mềm: 8"), ("Mạng và Internet: 5", "Mạng và Internet: 8"),
                     ("CNTT trong cơ quan nhà nước: 5", "CNTT trong cơ quan nhà nước: 7"),
                     ("An toàn, sức khỏe và bản quyền: 5", "An toàn, sức khỏe và bản quyền: 7")):
        assert old in yaml, old
        yaml = yaml.replace(old, new)
    folders = []
    for n in range(1, BENCH_COURSES + 1):
        folder = tmp / "courses" / f"bench{n:02d}-ban-sao-iu01"
        shutil.copytree(COURSE_FOLDER, folder)
        (folder / "course.yaml").write_text(yaml.replace("code: IU01", f"code: BENCH{n:02d}"), encoding="utf-8")
        folders.append(folder)
    return folders


def prepare_instance(tmp: Path, env: dict) -> tuple[list[str], str]:
    """Migrate, load the demo and the bench courses, give learners passwords; returns their codes and a lesson URL."""
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    run([*flask, "db", "upgrade"], env)
    run([*flask, "lms", "demo", "--staff", "40"], env)
    run([*flask, "lms", "courses", "import", *map(str, bench_course_folders(tmp))], env)
    script = f"""
from sqlalchemy import select
from lms import create_app
from lms.auth.models import User
from lms.auth.operations import set_password
from lms.courses.models import Course
from lms.extensions import db
app = create_app()
with app.app_context():
    users = db.session.scalars(select(User).where(User.staff_code.like("TH%")).order_by(User.id).limit({LEARNERS})).all()
    for user in users:
        set_password(user, {PASSWORD!r})
    db.session.commit()
    course = db.session.scalar(select(Course).where(Course.code == "IU01"))
    print(" ".join(u.staff_code for u in users), "/courses/IU01/lessons/" + course.active_lessons[0].slug)
"""
    out = subprocess.run([str(BIN / "python"), "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    *codes, lesson_url = out.stdout.split()
    return codes, lesson_url


def serve(app_spec: str, port: int, env: dict, chdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(chdir), "--log-level", "warning", app_spec],
        cwd=ROOT, env=env,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"gunicorn {app_spec} did not start")


# --- Quiz scenarios -------------------------------------------------------------------------

def answer_fields(page: str) -> list[tuple[str, str]]:
    """A complete set of answers read off an attempt's form: the first option or a typed '1'."""
    fields: list[tuple[str, str]] = []
    for match in re.finditer(r'<fieldset class="question question-(\w+)[^"]*" id="q(\d+)">(.*?)</fieldset>', page, re.S):
        qtype, position, html = match.groups()
        name = f"q{position}"
        if qtype in ("multichoice", "truefalse"):
            fields.append((name, re.search(r'type="(?:radio|checkbox)" name="q\d+" id="[^"]+" value="([^"]+)"', html).group(1)))
        elif qtype == "matching":
            fields += [(name, value) for value in re.findall(r'<select name="q\d+"[^>]*>\s*<option value="">.*?<option value="([^"]+)"', html, re.S)]
        elif qtype in ("shortanswer", "numerical", "essay"):
            fields.append((name, "1"))
    return fields


def open_attempt(browser: Browser, course_code: str) -> tuple[int, list[tuple[str, str]]]:
    status, location, _page = browser.post_form(f"/courses/{course_code}/quiz/start", [])
    match = ATTEMPT_RE.search(location)
    assert status == 302 and match, f"start of {course_code} quiz: {status} {location}"
    attempt_id = int(match.group(1))
    _status, _location, page = browser.request("GET", f"/attempts/{attempt_id}")
    fields = answer_fields(page.decode())
    assert len({name for name, _value in fields}) == 30, f"attempt {attempt_id}: {len(fields)} answers read"
    return attempt_id, fields


def autosave_body(fields: list[tuple[str, str]], seq: int) -> bytes:
    import json

    answers: dict[str, list[str]] = {}
    for name, value in fields:
        answers.setdefault(name[1:], []).append(value)
    return json.dumps({"seq": seq, "answers": answers}).encode()


# --- Main -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per page scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every scenario, the floor first")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20, help="time cap of each scenario")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    env = {**os.environ, "LMS_INSTANCE_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'lms.db'}",
           "SECRET_KEY": "bench-secret-key", "LMS_CONFIG": "development", "FLOOR_DATABASE_URL": f"sqlite:///{tmp / 'floor.db'}"}
    processes = []
    try:
        print("Preparing the instance (migrations, demo data, bench courses)…", flush=True)
        codes, lesson_url = prepare_instance(tmp, env)
        run([str(BIN / "python"), "-c", "import floor_app"], {**env, "PYTHONPATH": str(ROOT / "bench")})
        lms_port, floor_port = free_port(), free_port()
        processes.append(serve("wsgi:app", lms_port, env, ROOT))
        processes.append(serve("floor_app:app", floor_port, env, ROOT / "bench"))
        rounds = run_scenarios(args, codes, lesson_url, (lms_port, processes[0]), (floor_port, processes[1]))
        print_table(rounds)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def run_scenarios(args, codes: list[str], lesson_url: str, lms: tuple, floor_server: tuple) -> list[list[Result]]:
    """Time every scenario, ``args.rounds`` times; ``lms`` and ``floor_server`` are each (port,
    gunicorn process). Returns the rounds, each a list of results with the floor's first."""
    (lms_port, server), (floor_port, floor_process) = lms, floor_server
    browsers = []
    for code in codes:
        browser = Browser(lms_port)
        browser.log_in(code, PASSWORD)
        browsers.append(browser)
    floor = Browser(floor_port)
    n, c, s = args.requests, args.concurrency, args.seconds

    def pages(path):
        return [(browsers[i % len(browsers)], path) for i in range(n)]

    for browser in browsers:  # warm both workers' caches (templates, rendered Markdown)
        get_ok(browser, "/learn"), get_ok(browser, lesson_url), get_ok(floor, "/")
    quiz = has_quiz_pages(browsers[0])
    if not quiz:
        print("Note: the quiz engine's pages are absent; autosave and submission are skipped.")
    autosaved = {id(browser): open_attempt(browser, "BENCH01") for browser in browsers} if quiz else {}
    rounds = []
    for _round in range(args.rounds):
        results = [
            measure("floor: bare Flask page", [(floor, "/")] * n, lambda job: get_ok(*job), c, s, floor_process),
            measure("dashboard /learn", pages("/learn"), lambda job: get_ok(*job), c, s, server),
            measure("lesson page", pages(lesson_url), lambda job: get_ok(*job), c, s, server),
        ]
        if quiz:
            results.append(measure_autosave(browsers, autosaved, n, c, s, server))
            results.append(measure_submission(browsers, c, s, server))
        rounds.append(results)
    return rounds


def has_quiz_pages(browser: Browser) -> bool:
    return browser.post_form("/courses/BENCH01/quiz/start", [])[0] != 404


def measure_autosave(browsers: list[Browser], attempts: dict, n: int, c: int, s: float, server: subprocess.Popen) -> Result:
    """Autosaves of 30 answers to each learner's open attempt (``attempts`` by browser)."""
    counter = iter(range(1, 10**9))
    base = int(time.time() * 1000)

    def save(browser: Browser) -> bool:
        attempt_id, fields = attempts[id(browser)]
        headers = {"Content-Type": "application/json", "X-CSRFToken": browser.csrf, "Accept": "application/json"}
        status, _location, _body = browser.request("POST", f"/attempts/{attempt_id}/autosave",
                                                   autosave_body(fields, base + next(counter)), headers)
        return status == 200

    return measure("autosave (30 answers)", [browsers[i % len(browsers)] for i in range(n)], save, c, s, server)


def measure_submission(browsers: list[Browser], c: int, s: float, server: subprocess.Popen) -> Result:
    """Submissions of attempts opened beforehand (untimed): one per learner and bench course
    but BENCH01 (the autosave's); a round's submitted attempts leave room for the next's."""
    jobs = []
    for n in range(2, BENCH_COURSES + 1):
        for browser in browsers:
            jobs.append((browser, *open_attempt(browser, f"BENCH{n:02d}")))

    def submit(job) -> bool:
        browser, attempt_id, fields = job
        status, location, _body = browser.post_form(f"/attempts/{attempt_id}/submit", fields)
        return status == 302 and location.endswith("/review?submitted=1")

    return measure("quiz submission (30 questions)", jobs, submit, c, s, server)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def print_table(rounds: list[list[Result]]) -> None:
    """One line per scenario: medians over the rounds, each round against its own floor."""
    print(f"\n{len(rounds)} round(s); req/s, CPU ms and both 'vs floor' are medians over the rounds, p95 over all requests")
    print(f"{'scenario':<34} {'requests':>8} {'errors':>6} {'req/s':>8} {'p95 ms':>8} {'vs floor':>9}"
          f" {'CPU ms':>7} {'vs floor':>9}")
    floors = [results[0] for results in rounds]
    for index, first in enumerate(rounds[0]):
        runs = [results[index] for results in rounds]
        latencies = Result(first.name, [latency for run in runs for latency in run.latencies])
        share = _median([100 * run.rps / floor.rps for run, floor in zip(runs, floors)])
        cpu_share = [100 * floor.cpu_ms / run.cpu_ms for run, floor in zip(runs, floors) if run.cpu_ms]
        cpu_column = f"{_median(cpu_share):>8.0f}%" if cpu_share else f"{'n/a':>9}"
        print(f"{first.name:<34} {len(latencies.latencies):>8} {sum(run.errors for run in runs):>6} "
              f"{_median([run.rps for run in runs]):>8.1f} {latencies.p95_ms:>8.1f} {share:>8.0f}% "
              f"{_median([run.cpu_ms for run in runs]):>7.2f} {cpu_column}")
    print("\nCPU ms: the server's CPU time per request; its 'vs floor' is the floor's CPU time over the")
    print("scenario's, the share of the floor's throughput the scenario would reach with the CPU to itself.")
    print("\nTargets: lesson page >= 50% of the floor, submission >= 25%.")


if __name__ == "__main__":
    main()
