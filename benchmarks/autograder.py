"""The autograder's benchmark (``manage.py bench_autograder``, a thin entry point into this module): how
long a student waits for feedback, what the sandbox costs, and how well a burst of submissions uses
the machine.

It never touches the site's database, media or broker. The command makes a throwaway folder
(and, with ``--database postgres``, a throwaway database ``bench_<tag>``), then for each broker
runs itself again in a child process (benchmarks/autograder_child.py) whose environment points
DATABASE_URL, MEDIA_ROOT, COURSESITE_VAR_DIR (so the file-system broker's folders too) and
CELERY_BROKER_URL at them (Redis: a private redis-server when one is installed, else the configured
Redis on a queue of the run's own, whose keys are removed afterwards). The child refuses to run on
anything else, migrates the throwaway database, builds a course with a coding assignment on the
``hw1`` spec, starts the workers on a queue of its own, uploads the reference solution through
``submission_create`` (the service the upload view calls), measures, stops the workers and prints
its figures as one JSON line. The parent measures the sandbox's overhead in-process (the grader
needs no database), prints the table, and removes everything.

Figures (goals from the issue):

* upload to graded: from the commit of the submission's transaction to the job's ``finished_at``,
  both on the server's clock, over sequential uploads; median < 1 s and p95 (nearest rank) < 2 s;
* sandbox overhead: ``grade()`` with bubblewrap over the same harness run without it
  (``allow_unsandboxed`` with no bubblewrap to be found), timed in pairs run back to back (which of
  the two goes first alternates), the median of the pairs' ratios; < 1.1x. Pairs, because a shared
  machine's speed drifts by more than the overhead over the seconds a run of them takes;
* burst: from the commit of one transaction holding the whole burst until the last job is
  finished, over the ideal: the sum of every run's sandbox CPU seconds divided by the cores; <= 1.3x.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterator, TextIO

from django.conf import settings
from django.core.management.base import CommandError

from benchmarks.workers import PrivateRedis
from grader.sandbox import Limits, cpu_limit_scope, memory_limit_scope

REPO = Path(settings.BASE_DIR)
SOLUTION = REPO / "tests" / "grader" / "solutions" / "correct_hw1.py"
README = REPO / "handouts" / "hw1" / "README.md"
GOAL_MEDIAN, GOAL_P95, GOAL_OVERHEAD, GOAL_BURST = 1.0, 2.0, 1.1, 1.3


@dataclass(frozen=True)
class Sizes:
    workers: int
    samples: int
    burst: int
    sandbox_runs: int


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def hw1_files() -> dict[str, bytes]:
    for path in (SOLUTION, README):
        if not path.is_file():
            raise CommandError(f"the benchmark grades {SOLUTION.relative_to(REPO)} with {README.relative_to(REPO)}; "
                               f"{path} is missing")
    return {"hw1.py": SOLUTION.read_bytes(), "README.md": README.read_bytes()}


def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value with at least 95 % of the samples at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- the parent: throwaway places, children, the table ---


def run(sizes: Sizes, *, database: str, redis: str, out: TextIO, progress: TextIO) -> dict:
    if shutil.which("bwrap") is None:
        raise CommandError("bubblewrap is not installed (apt-get install bubblewrap): the benchmark measures "
                           "grading in the sandbox.")
    tag = secrets.token_hex(4)
    figures: dict = {"tag": tag, "sizes": asdict(sizes), "cores": cores(), "brokers": {},
                     "memory_limit": memory_limit_scope(Limits(**settings.GRADER_LIMITS)),
                     "cpu_limit": cpu_limit_scope(Limits(**settings.GRADER_LIMITS))}
    with tempfile.TemporaryDirectory(prefix=f"bench-autograder-{tag}-") as tmp:
        folder = Path(tmp)
        progress.write(f"bench_autograder: throwaway folder {folder}\n")
        progress.write(f"sandbox overhead: {sizes.sandbox_runs} pairs of gradings of HW1, with and without bubblewrap...\n")
        figures["sandbox"] = sandbox_overhead(sizes.sandbox_runs, folder)
        with throwaway_database(database, folder, tag) as (database_url, database_label):
            figures["database"] = database_label
            brokers = [("filesystem", "filesystem://", "the file-system broker, in the throwaway folder")]
            with redis_broker(redis, folder, tag) as (redis_url, redis_label):
                if redis_url:
                    brokers.append(("redis", redis_url, redis_label))
                else:
                    figures["redis_skipped"] = redis_label
                for label, url, description in brokers:
                    progress.write(f"{label} ({description}): {sizes.workers} worker(s), {sizes.samples} "
                                   f"sequential uploads, then a burst of {sizes.burst}...\n")
                    result = run_child(folder, label, tag, url, database_url, sizes)
                    figures["brokers"][label] = {**result, "description": description}
    report(figures, out)
    return figures


def sandbox_overhead(runs: int, folder: Path) -> dict:
    """``grade()`` with the sandbox over the same harness without it: ``runs`` pairs timed back to back,
    in alternating order, and the median of their ratios; medians of wall and CPU time (this process and
    its children) beside it."""
    from grader.core import grade

    files = hw1_files()
    sandboxed = Limits()
    # allow_unsandboxed only takes effect when bubblewrap cannot be found: name one that does not exist.
    plain = replace(Limits(), allow_unsandboxed=True, bwrap=str(folder / "no-bubblewrap-here"))
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    ratios: list[float] = []
    for i in range(runs + 1):                       # the first round warms the caches and is not counted
        pair = {}
        for limits in ((sandboxed, plain) if i % 2 else (plain, sandboxed)):
            cpu_before, started = own_cpu_seconds(), time.perf_counter()
            result = grade("hw1", files, limits)
            elapsed, used = time.perf_counter() - started, own_cpu_seconds() - cpu_before
            if result.sandboxed != (limits is sandboxed) or result.score != result.max_score:
                raise CommandError(f"the reference solution scored {result.score} of {result.max_score} "
                                   f"(sandboxed={result.sandboxed}): the benchmark's premise is broken")
            pair[limits is sandboxed] = elapsed
            if i:
                wall[limits is sandboxed].append(elapsed)
                cpu[limits is sandboxed].append(used)
        if i:
            ratios.append(pair[True] / pair[False])
    median = {key: statistics.median(values) for key, values in wall.items()}
    median_cpu = {key: statistics.median(values) for key, values in cpu.items()}
    return {"sandboxed": median[True], "plain": median[False], "ratio": statistics.median(ratios),
            "cpu_sandboxed": median_cpu[True], "cpu_plain": median_cpu[False], "runs": runs}


def own_cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the grader's runs)."""
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores have spent busy since boot (Linux /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(roots: list[int]) -> float | None:
    """CPU time of the processes ``roots`` and all their descendants, live or ended (Linux /proc), or None."""
    tick, parent, used = os.sysconf("SC_CLK_TCK"), {}, {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return None
    for pid in entries:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue                                # ended meanwhile
        fields = text[text.rindex(")") + 2:].split()
        parent[int(pid)] = int(fields[1])
        used[int(pid)] = sum(int(x) for x in fields[11:15]) / tick     # utime stime cutime cstime
    total, wanted = 0.0, set(roots)
    for pid in used:
        ancestor = pid
        while ancestor not in wanted and ancestor in parent and ancestor > 1:
            ancestor = parent[ancestor]
        if ancestor in wanted:
            total += used[pid]
    return total


@contextlib.contextmanager
def throwaway_database(kind: str, folder: Path, tag: str) -> Iterator[tuple[str, str]]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'db.sqlite3'}", "SQLite (throwaway file)"
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        raise CommandError("--database postgres needs DATABASE_URL to point at a PostgreSQL server")
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    name = f"bench_{tag}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"] or None, "autocommit": True}

    def admin(statement):
        try:
            conn = psycopg.connect(dbname="postgres", **params)     # the maintenance database, not the site's
        except psycopg.OperationalError:
            conn = psycopg.connect(dbname=db["NAME"], **params)
        with conn:
            conn.execute(statement)

    admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}", f"PostgreSQL (throwaway database {name})"
    finally:
        admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def redis_broker(option: str, folder: Path, tag: str) -> Iterator[tuple[str | None, str]]:
    """(URL, description), or (None, why not). "auto": a private redis-server when one is installed,
    else the configured Redis with a queue of the benchmark's own (its keys removed afterwards)."""
    if option == "off":
        yield None, "Redis skipped (--redis off)"
        return
    if option == "auto" and shutil.which("redis-server"):
        try:
            server = PrivateRedis(folder / "redis").start()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        try:
            yield server.url, f"a private redis-server on port {server.port}"
        finally:
            server.stop()
        return
    url = settings.CELERY_BROKER_URL if option == "auto" else option
    if not url.startswith(("redis://", "rediss://")):
        yield None, "Redis skipped: no redis-server installed and the configured broker is not Redis (--redis URL)"
        return
    import redis as redis_client

    client = redis_client.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis_client.RedisError as exc:
        yield None, f"Redis skipped: {url.split('@')[-1]} is not reachable ({exc})"
        return
    try:
        yield url, f"{url.split('@')[-1]}, on a queue of the benchmark's own"
    finally:
        for key in client.scan_iter(match=f"*{tag}*"):
            client.delete(key)
        for key in client.scan_iter(match="_kombu.binding.*"):
            stale = [m for m in client.smembers(key) if tag.encode() in m]
            if stale:
                client.srem(key, *stale)
        client.close()


def run_child(folder: Path, label: str, tag: str, broker_url: str, database_url: str, sizes: Sizes) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "coursesite.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "MEDIA_STORAGE": "filesystem",          # the throwaway folder, even on a machine set up for a bucket
        "COURSESITE_VAR_DIR": str(folder / "var"),
        "CELERY_BROKER_URL": broker_url,
        "PYTHONUNBUFFERED": "1",
    })
    argv = [sys.executable, str(REPO / "manage.py"), "bench_autograder", "--child", str(folder), "--child-label", label,
            "--child-tag", tag, "--workers", str(sizes.workers), "--samples", str(sizes.samples),
            "--burst", str(sizes.burst)]
    log = folder / f"child-{label}.log"
    with log.open("wb") as stderr:
        done = subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=stderr)
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        raise CommandError(f"the {label} run failed (exit status {done.returncode}):\n"
                           + log.read_text(errors="replace")[-4000:])
    return json.loads(lines[-1])


def report(figures: dict, out: TextIO) -> None:
    rows: list[tuple[str, str, str, bool | None]] = []
    notes: list[str] = []
    names = {"filesystem": "embedded default", "redis": "Redis"}
    for label, run_ in figures["brokers"].items():
        latencies = run_["latencies"]
        median, high = statistics.median(latencies), p95(latencies)
        rows.append((f"upload to graded, median, {names[label]}", f"{median:.2f} s", f"< {GOAL_MEDIAN:g} s",
                     median < GOAL_MEDIAN))
        rows.append((f"upload to graded, p95, {names[label]}", f"{high:.2f} s", f"< {GOAL_P95:g} s", high < GOAL_P95))
        notes.append(f"{names[label]}: {run_['description']}; {len(latencies)} uploads, "
                     f"fastest {min(latencies):.2f} s, slowest {max(latencies):.2f} s")
    if "redis_skipped" in figures:
        rows.append(("upload to graded, Redis", figures["redis_skipped"], "", None))
    sandbox = figures["sandbox"]
    rows.append(("sandbox overhead", f"{sandbox['ratio']:.2f}x", f"< {GOAL_OVERHEAD:g}x",
                 sandbox["ratio"] < GOAL_OVERHEAD))
    notes.append(f"sandbox overhead: median grade() {sandbox['sandboxed']:.3f} s with bubblewrap, "
                 f"{sandbox['plain']:.3f} s without, over {sandbox['runs']} pairs; "
                 f"CPU {sandbox['cpu_sandboxed']:.3f} s against "
                 f"{sandbox['cpu_plain']:.3f} s ({sandbox['cpu_sandboxed'] / sandbox['cpu_plain']:.2f}x)")
    for label, run_ in figures["brokers"].items():
        burst = run_["burst"]
        ideal = burst["cpu_seconds"] / burst["cores"]
        ratio = burst["drain_seconds"] / ideal
        rows.append((f"burst of {burst['count']} drained, {names[label]}", f"{ratio:.2f}x", f"<= {GOAL_BURST:g}x",
                     ratio <= GOAL_BURST))
        note = (f"burst, {names[label]}: drained in {burst['drain_seconds']:.1f} s by {burst['workers']} worker(s); "
                f"ideal {burst['cpu_seconds']:.1f} s of sandbox CPU / {burst['cores']} cores = {ideal:.1f} s")
        if burst.get("worker_cpu_seconds") is not None:
            note += (f"; the workers used {burst['worker_cpu_seconds']:.1f} s of CPU in all, "
                     f"{burst['worker_cpu_seconds'] / burst['cpu_seconds']:.2f}x their sandbox CPU (with every core "
                     f"busy the drain cannot beat that ratio); other processes used "
                     f"{max(burst['others_cpu_seconds'], 0):.1f} s meanwhile")
        notes.append(note)
    notes.append(f"memory limit ({Limits(**settings.GRADER_LIMITS).memory_bytes / 2**30:g} GiB) binds "
                 f"{figures['memory_limit']}")
    notes.append(f"CPU: {figures['cpu_limit']}")
    sizes = figures["sizes"]
    out.write(f"Autograder benchmark: HW1 reference solution, {sizes['workers']} worker(s) on {figures['cores']} "
              f"core(s), {figures['database']}\n")
    width = max(len(r[0]) for r in rows)
    value_width = max(len("measured"), *(len(r[1]) for r in rows if r[3] is not None))
    out.write(f"  {'figure':<{width}}  {'measured':<{value_width}}  {'goal':<7} result\n")
    for name, value, goal, ok in rows:
        mark = "" if ok is None else ("PASS" if ok else "MISS")
        out.write(f"  {name:<{width}}  {value:<{value_width}}  {goal:<7} {mark}".rstrip() + "\n")
    for note in notes:
        out.write(f"  - {note}\n")
