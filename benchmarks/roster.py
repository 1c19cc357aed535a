"""The roster import's benchmark (``manage.py bench_roster``, a thin entry point into this module).

Builds a throwaway course inside a transaction that is always rolled back, imports a generated roster of
400 students (all new accounts), imports the same file again (nothing changes), then a file with 20 students
dropped and 20 added; prints the time and the number of SQL queries of each import. Nothing is left behind.
"""
import secrets
import time
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from coursesite.courses.models import Course
from coursesite.grades.services.roster import roster_apply

HEADER = "Andrew ID,First Name,Last Name,Email,Section\r\n"


class RolledBack(Exception):
    """Raised at the end of the run so that the transaction holding the throwaway course rolls back."""


def roster_csv(tag: str, numbers: range) -> bytes:
    return (HEADER + "".join(f"b{tag}s{n},First{n},Last{n},b{tag}s{n}@andrew.cmu.edu,{'ABCD'[n % 4]}\r\n"
                             for n in numbers)).encode()


def measure(course: Course, data: bytes) -> tuple[float, int, str]:
    """One import: seconds, SQL queries and what it changed."""
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(args[0]) or execute(*args)):
        started = time.perf_counter()
        applied = roster_apply(course, data, by=None, source="bench_roster", filename="bench.csv",
                               now=timezone.now())
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), applied.plan.summary()


def run(*, students: int, churn: int) -> list[str]:
    """The three imports of a throwaway course, rolled back; a line for each to print."""
    if students < 1 or not 0 <= churn <= students:
        raise CommandError("--students must be at least 1 and --churn between 0 and --students.")
    lines = []
    try:
        with transaction.atomic():
            tag = secrets.token_hex(3)
            now = timezone.now()
            course = Course.objects.create(
                slug=f"bench-{tag}", number="BENCH", title="Roster benchmark", term="Throwaway",
                starts_on=(now - timedelta(weeks=3)).date(), ends_on=(now + timedelta(weeks=12)).date(),
                meeting_times="-", location="-")
            first = roster_csv(tag, range(students))
            steps = (("first import", first), ("same file again", first),
                     (f"{churn} dropped, {churn} added", roster_csv(tag, range(churn, students + churn))))
            for name, data in steps:
                elapsed, queries, summary = measure(course, data)
                lines.append(f"{students} students, {name}: {elapsed * 1000:.0f} ms, {queries} queries ({summary}).")
            raise RolledBack
    except RolledBack:
        pass
    return lines
