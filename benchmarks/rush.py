"""The deadline-rush benchmark (``manage.py bench_rush``, a thin entry point into this module): the hour
before a deadline, on the production stack of this machine.

A throwaway PostgreSQL database, media folder and private Redis; the site served by gunicorn with
production settings (DEBUG off) and grading workers started from the same environment; then N simulated
students (benchmarks/crowd.py) arrive evenly over a few minutes, sign in, open the assignment page,
upload HW1 (a mix of correct, buggy and hostile files) and poll their feedback until it is finished.
With ``--chaos``, one grading worker is killed mid-run (and started again 5 s later, as a supervisor
would) and Redis is killed and started again, losing every queued message.

Figures: page, login, upload and poll latencies (p50/p95/p99, nearest rank, on the students' clock);
upload-to-feedback as the student sees it; upload-to-graded on the server's clock; submissions drained
per minute; errors; and from the database, whether every submission was graded exactly once.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from benchmarks.autograder import REPO, cores, hw1_files, throwaway_database
from benchmarks.crowd import Student, Timings, rush
from benchmarks.workers import PrivateRedis, Worker, stop_all

BUGGY = REPO / "tests" / "grader" / "solutions" / "buggy.py"
PASSWORD = "rush-" + "x" * 12
# What a hostile student appends to the correct solution: relu redefined to attack the grader.
HOSTILE = {
    "infinite loop": "\ndef relu(a):\n    while True:\n        pass\n",
    "memory bomb": "\ndef relu(a):\n    hoard = []\n    while True:\n        hoard.append(bytearray(10**7))\n",
    "fork bomb": "\nimport os\n\ndef relu(a):\n    while True:\n        os.fork()\n",
    "flood of output": "\nimport sys\n\ndef relu(a):\n    while True:\n        sys.stdout.write('x' * 65536)\n",
}


@dataclass(frozen=True)
class Plan:
    students: int
    workers: int
    web_workers: int | None
    arrive_within: float
    buggy_percent: int
    hostile_percent: int
    chaos: bool
    poll_every: float = 1.0          # as the submission page polls (templates/assignments/submission_detail.html)
    give_up_after: float = 900.0


def quantile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least `q` of the samples at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def web_workers(plan: Plan) -> int:
    return plan.web_workers or 2 * cores() + 1       # deploy/gunicorn.conf.py's rule


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def submission_files(index: int, plan: Plan) -> tuple[str, dict[str, bytes]]:
    """(kind, files) of student `index`: spread evenly, so that every stretch of the rush has its share."""
    files = hw1_files()
    slot = (index * 37) % 100               # a fixed shuffle of the hundred slots
    if slot < plan.hostile_percent:
        name = list(HOSTILE)[index % len(HOSTILE)]
        return f"hostile: {name}", {**files, "hw1.py": files["hw1.py"] + HOSTILE[name].encode()}
    if slot < plan.hostile_percent + plan.buggy_percent:
        return "buggy", {**files, "hw1.py": BUGGY.read_bytes()}
    return "correct", files


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int | None, log: Path):
    """gunicorn with the deployment's own configuration (deploy/gunicorn.conf.py), on `port`."""
    argv = [str(Path(sys.executable).with_name("gunicorn")), "coursesite.wsgi", "--config",
            str(REPO / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"] + (["--workers", str(workers)] if workers else [])
    with log.open("ab") as out:
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def chaos(workers: list[Worker], redis: PrivateRedis, plan: Plan, events: list[str], started: float) -> None:
    """Kill a grading worker 40 % into the arrivals (a supervisor starts it again 5 s later), and Redis at 60 %."""
    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + plan.arrive_within * fraction - time.perf_counter()))

    at(0.4)
    workers[0].kill()
    events.append(f"{time.perf_counter() - started:6.1f} s  worker {workers[0].name} killed (SIGKILL, with its sandbox)")
    time.sleep(5)
    workers[0].start()
    events.append(f"{time.perf_counter() - started:6.1f} s  worker {workers[0].name} started again")
    at(0.6)
    redis.kill()
    events.append(f"{time.perf_counter() - started:6.1f} s  Redis killed: every queued message lost")
    time.sleep(2)
    redis.start()
    events.append(f"{time.perf_counter() - started:6.1f} s  Redis started again (empty)")


def run(plan: Plan, *, out: TextIO, progress: TextIO) -> dict:
    tag = secrets.token_hex(4)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-rush-{tag}-"))
    try:
        with throwaway_database("postgres", folder, tag) as (database_url, database_label):
            return _run(plan, folder, tag, database_url, database_label, out=out, progress=progress)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(plan: Plan, folder: Path, tag: str, database_url: str, database_label: str, *, out: TextIO,
         progress: TextIO) -> dict:
    redis = PrivateRedis(folder / "redis").start()
    port = free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": redis.url,
        # Its own media folder even where the site keeps media in a bucket: never write into the site's.
        "MEDIA_STORAGE": "filesystem", "MEDIA_ROOT": str(folder / "media"), "COURSESITE_VAR_DIR": str(folder / "var"),
        "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        # Production settings as deploy/ runs them behind its TLS proxy; the students send the proxy's header.
        "SITE_URL": f"https://127.0.0.1:{port}", "BEHIND_TLS_PROXY": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    workers: list[Worker] = []
    try:
        print(f"Setting up {database_label}, a private Redis and {plan.students} students...", file=progress)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        world = json.loads(manage(env, "bench_rush", "--child-setup", str(plan.students), "--child-tag", tag))
        students, kinds = [], []
        for index, username in enumerate(world["usernames"]):
            kind, files = submission_files(index, plan)
            kinds.append(kind)
            students.append(Student(f"http://127.0.0.1:{port}", username, PASSWORD, world["assignment_path"], files,
                                    poll_every=plan.poll_every, give_up_after=plan.give_up_after))
        (folder / "logs").mkdir()
        workers = [Worker("celery", env=env, log=folder / "logs" / f"worker{n}.log", name=f"rush{n}").start()
                   for n in range(plan.workers)]
        events: list[str] = []
        with gunicorn(env, port, plan.web_workers, folder / "logs" / "gunicorn.log"):
            print(f"Rush: {plan.students} students over {plan.arrive_within:g} s, {plan.workers} grading workers, "
                  f"{web_workers(plan)} gunicorn workers{', with chaos' if plan.chaos else ''}...", file=progress)
            started = time.perf_counter()
            if plan.chaos:
                threading.Thread(target=chaos, args=(workers, redis, plan, events, started), daemon=True).start()
            timings = rush(students, arrive_within=plan.arrive_within)
            wall = time.perf_counter() - started
        server = json.loads(manage(env, "bench_rush", "--child-report", "--child-tag", tag))
    finally:
        stop_all(workers, timeout=15)
        redis.stop()
    figures = summarize(plan, timings, kinds, server, wall)
    report(plan, figures, events, database_label, out)
    return figures


def summarize(plan: Plan, timings: list[Timings], kinds: list[str], server: dict, wall: float) -> dict:
    def stats(values: list[float]) -> dict:
        return {"n": len(values), "p50": quantile(values, 0.5), "p95": quantile(values, 0.95),
                "p99": quantile(values, 0.99)}

    mix: dict[str, int] = {}
    for kind in kinds:
        mix[kind.split(":")[0]] = mix.get(kind.split(":")[0], 0) + 1
    return {
        "students": plan.students, "wall_seconds": wall, "mix": mix,
        "pages": stats([s for t in timings for s in t.pages]),
        "logins": stats([s for t in timings for s in t.logins]),
        "uploads": stats([s for t in timings for s in t.uploads]),
        "polls": stats([s for t in timings for s in t.polls]),
        "to_feedback": stats([t.to_feedback for t in timings if t.to_feedback is not None]),
        "errors": [e for t in timings for e in t.errors],
        **server,
    }


def report(plan: Plan, f: dict, events: list[str], database_label: str, out: TextIO) -> None:
    def line(label: str, s: dict) -> str:
        return f"  {label:<28} p50 {s['p50']:7.3f} s   p95 {s['p95']:7.3f} s   p99 {s['p99']:7.3f} s   (n={s['n']})"

    out.write(f"\nDeadline rush: {plan.students} students arriving over {plan.arrive_within:g} s; "
              f"{plan.workers} grading workers, {web_workers(plan)} gunicorn workers, {cores()} cores; {database_label}, "
              f"Redis.\nMix: {', '.join(f'{n} {k}' for k, n in sorted(f['mix'].items()))}.\n")
    for event in events:
        out.write(f"  chaos: {event}\n")
    out.write(line("pages (login, assignment)", f["pages"]) + "\n")
    out.write(line("sign-in (password check)", f["logins"]) + "\n")
    out.write(line("upload", f["uploads"]) + "\n")
    out.write(line("feedback poll", f["polls"]) + "\n")
    out.write(line("upload to feedback (student)", f["to_feedback"]) + "\n")
    out.write(line("upload to graded (server)", f["to_graded"]) + "\n")
    out.write(f"  drained: {f['drained_per_minute']:.1f} submissions per minute over the run "
              f"(first upload to last grading: {f['drain_seconds']:.0f} s); busiest minute {f['busiest_minute']}\n")
    out.write(f"  graded: {f['graded']} of {f['submissions']} submissions ({f['statuses']}); claims per job "
              f"{f['claims']}; scores per student {f['scores_per_student']}\n")
    out.write(f"  exactly once: {'yes' if f['exactly_once'] else 'NO: ' + f['exactly_once_problem']}\n")
    out.write(f"  errors: {len(f['errors'])}" + "".join(f"\n    {e}" for e in f["errors"][:10]) + "\n")


# In the throwaway environment (run by `manage.py bench_rush --child-...`): Django is set up there.

def child_setup(students: int, tag: str) -> dict:
    """bench_autograder's course and HW1 coding assignment, and `students` students sharing one password
    (hashed once: the sign-ins still each check it)."""
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from benchmarks.autograder_child import build_course
    from coursesite.people.models import Membership, User

    check_throwaway(tag)
    assignment, _ = build_course(tag, 0)
    course = assignment.course
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(User(username=f"student{n:03d}", password=password) for n in range(students))
    Membership.objects.bulk_create(Membership(user=u, course=course, role=Membership.Role.STUDENT) for u in users)
    return {"usernames": [u.username for u in users],
            "assignment_path": reverse("assignments:detail", args=[course.slug, assignment.key])}


def child_report(tag: str) -> dict:
    """What the database says about the rush: server-side times, drain rate and exactly-once."""
    from collections import Counter

    from coursesite.assignments.models import Submission
    from coursesite.autograding.models import GradingJob
    from coursesite.grades.models import Score

    check_throwaway(tag)
    slug = f"bench-{tag}"                   # benchmarks.autograder_child.build_course's
    jobs = list(GradingJob.objects.filter(submission__assignment__course__slug=slug)
                .select_related("submission"))
    submissions = Submission.objects.filter(assignment__course__slug=slug).count()
    finished = sorted(j.finished_at for j in jobs if j.finished_at)
    to_graded = [(j.finished_at - j.submission.submitted_at).total_seconds() for j in jobs if j.finished_at]
    first = min((j.submission.submitted_at for j in jobs), default=None)
    drain = (finished[-1] - first).total_seconds() if finished and first else float("nan")
    per_minute = Counter(int((t - first).total_seconds() // 60) for t in finished) if first else Counter()
    scores = Counter(Score.objects.filter(assignment__course__slug=slug).values_list("member_id", flat=True))
    problem = ""
    if len(jobs) != submissions:
        problem = f"{submissions} submissions but {len(jobs)} grading jobs"
    elif any(j.status != GradingJob.Status.DONE for j in jobs):
        problem = f"{sum(j.status != GradingJob.Status.DONE for j in jobs)} job(s) not graded"
    elif any(n != 1 for n in scores.values()) or len(scores) != submissions:
        problem = f"scores per student {dict(Counter(scores.values()))} for {submissions} submissions"
    else:
        scored = dict(Score.objects.filter(assignment__course__slug=slug).values_list("member_id", "submission_id"))
        wrong = [j for j in jobs if scored.get(j.submission.member_id) != j.submission_id]
        if wrong:
            problem = f"{len(wrong)} score(s) not from their student's graded submission"
    return {
        "submissions": submissions, "graded": len(finished),
        "statuses": dict(Counter(j.status for j in jobs)), "claims": dict(Counter(j.attempt for j in jobs)),
        "scores_per_student": dict(Counter(scores.values())),
        "to_graded": {"n": len(to_graded), "p50": quantile(to_graded, 0.5), "p95": quantile(to_graded, 0.95),
                      "p99": quantile(to_graded, 0.99)},
        "drain_seconds": drain, "drained_per_minute": len(finished) / drain * 60 if drain == drain and drain else 0.0,
        "busiest_minute": max(per_minute.values(), default=0),
        "exactly_once": not problem, "exactly_once_problem": problem,
    }


def check_throwaway(tag: str) -> None:
    from django.db import connection

    if connection.settings_dict["NAME"] != f"bench_{tag}":
        raise RuntimeError(f"bench_rush's child runs only in its throwaway database bench_{tag}, "
                           f"not {connection.settings_dict['NAME']}")
