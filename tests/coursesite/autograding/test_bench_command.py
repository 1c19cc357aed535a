"""manage.py bench_autograder end to end at tiny sizes: it prints every figure beside its goal, and
leaves nothing behind: not in the site's database, media or var/ folder, not a process, not a
throwaway database. CI only (set CI=1): it takes a minute or more."""
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from coursesite.assignments.models import Submission
from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.courses.models import Course
from coursesite.people.models import User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("CI"), reason="slow (a minute or more: workers, a sandbox, two brokers): "
                       "the benchmark runs end to end in CI only; set CI=1 to run it here"),
]

LATENCY_ROWS = ("upload to graded, median, {}", "upload to graded, p95, {}")


def bench(*args: str) -> tuple[str, str]:
    out, progress = StringIO(), StringIO()
    call_command("bench_autograder", "--quick", "--burst", "4", "--samples", "2", "--sandbox-runs", "1", *args,
                 stdout=out, stderr=progress)
    return out.getvalue(), progress.getvalue()


def row(text: str, name: str, value: str, goal: str) -> bool:
    return re.search(rf"^  {re.escape(name)} +{value} +{re.escape(goal)} +(PASS|MISS)$", text, re.MULTILINE) is not None


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue
            if text.encode() in cmdline:
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def assert_nothing_left(progress: str) -> None:
    tag = re.search(r"throwaway folder \S*bench-autograder-([0-9a-f]{8})-", progress).group(1)
    folder = Path(re.search(r"throwaway folder (\S+)", progress).group(1))
    assert not folder.exists()
    assert not processes_mentioning(f"bench-{tag}")       # workers (their queue) and the child run
    for var in {settings.BASE_DIR / "var", settings.VAR_DIR}:
        if var.exists():
            assert not [path for path in var.rglob("*") if tag in path.name]
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.iterdir())
    for model in (Course, User, Submission, GradingJob, AuditEntry):
        assert not model.objects.exists(), model


def test_the_benchmark_prints_every_figure_and_leaves_nothing_behind(bubblewrap):
    text, progress = bench()
    for name in LATENCY_ROWS:
        assert row(text, name.format("embedded default"), r"\d+\.\d\d s", "< 1 s" if "median" in name else "< 2 s"), text
    if "Redis skipped" not in text:
        for name in LATENCY_ROWS:
            assert row(text, name.format("Redis"), r"\d+\.\d\d s", "< 1 s" if "median" in name else "< 2 s"), text
        assert row(text, "burst of 4 drained, Redis", r"\d+\.\d\dx", "<= 1.3x"), text
    assert row(text, "sandbox overhead", r"\d+\.\d\dx", "< 1.1x"), text
    assert row(text, "burst of 4 drained, embedded default", r"\d+\.\d\dx", "<= 1.3x"), text
    assert "ideal" in text and "sandbox CPU" in text
    assert re.search(r"memory limit \(1 GiB\) binds (the whole run \(a cgroup v[12] under /sys/fs/cgroup/.+\)|each process)", text), text
    assert_nothing_left(progress)


def test_on_postgresql_the_throwaway_database_is_dropped(bubblewrap):
    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite: --database postgres needs DATABASE_URL to be PostgreSQL")
    text, progress = bench("--database", "postgres", "--redis", "off")
    assert "PostgreSQL (throwaway database bench_" in text
    assert row(text, "upload to graded, median, embedded default", r"\d+\.\d\d s", "< 1 s"), text
    assert_nothing_left(progress)
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%%'")
        assert cursor.fetchall() == []
