"""The gradebook's benchmark (``manage.py bench_gradebook``, a thin entry point into this module): how long
the gradebook takes to render for a full course.

Builds a throwaway course (400 students and 12 items with scores and submissions by default) inside a
transaction that is always rolled back, renders the gradebook through Django's test client as a TA,
and prints the median render time and the number of SQL queries per render. Nothing is left behind.
"""
import secrets
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.courses.models import Course, GradingCategory
from coursesite.grades.models import LetterCutoff, Score
from coursesite.people.models import Membership, User

CATEGORIES = (("assignments", "Assignments", 45), ("midterm-1", "Midterm 1", 15),
              ("midterm-2", "Midterm 2", 15), ("final-exam", "Final exam", 25))


class RolledBack(Exception):
    """Raised at the end of the run so that the transaction holding the throwaway course rolls back."""


def run(*, students: int, items: int, runs: int) -> str:
    """Build the throwaway course, render its gradebook `runs` times after a warm-up, roll everything back;
    the line to print."""
    if students < 1 or items < 1 or runs < 1:
        raise CommandError("--students, --items and --runs must each be at least 1.")
    try:
        with transaction.atomic():
            course, ta = build_course(students, items, timezone.now())
            times, queries = render(course, ta, runs)
            raise RolledBack
    except RolledBack:
        pass
    return (f"Gradebook for {students} students × {items} items: median render {statistics.median(times) * 1000:.0f} ms "
            f"over {runs} run(s) (fastest {min(times) * 1000:.0f} ms); {queries} queries per render.")


def render(course: Course, ta: User, runs: int) -> tuple[list[float], int]:
    url = reverse("grades:gradebook", args=[course.slug])
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(ta)
        queries = []                # counted by a wrapper: each request resets Django's own query log
        with connection.execute_wrapper(lambda execute, *args: queries.append(args[0]) or execute(*args)):
            check(client.get(url))                                   # the first render also warms up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            check(client.get(url))
            times.append(time.perf_counter() - started)
    return times, len(queries)


def check(response) -> None:
    if response.status_code != 200:
        raise CommandError(f"The gradebook answered {response.status_code}, not 200.")


def build_course(students: int, items: int, now) -> tuple[Course, User]:
    tag = secrets.token_hex(4)
    course = Course.objects.create(
        slug=f"bench-{tag}", number="BENCH", title="Gradebook benchmark", term="Throwaway",
        starts_on=(now - timedelta(weeks=10)).date(), ends_on=(now + timedelta(weeks=5)).date(),
        meeting_times="-", location="-",
    )
    categories = {key: GradingCategory.objects.create(course=course, key=key, name=name, weight=Decimal(weight), order=i)
                  for i, (key, name, weight) in enumerate(CATEGORIES)}
    for letter, minimum in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        LetterCutoff.objects.create(course=course, letter=letter, minimum=Decimal(minimum))
    exams = [key for key, *_ in CATEGORIES[1:]] if items >= 4 else []
    assignments = []
    for i in range(items):
        due = now - timedelta(days=3 * (items - i))
        exam = i >= items - len(exams)
        assignments.append(Assignment.objects.create(
            course=course, key=exams[i - (items - len(exams))] if exam else f"hw{i + 1}",
            title=f"Exam {i + 1}" if exam else f"Homework {i + 1}",
            kind=Assignment.Kind.EXAM if exam else Assignment.Kind.PROBLEM_SET,
            category=categories[exams[i - (items - len(exams))]] if exam else categories["assignments"],
            points=Decimal(100), release_at=due - timedelta(days=14), due_at=due, uses_grace_days=not exam,
            grades_released_at=now if i % 4 else None,
        ))
    ta = User.objects.create(username=f"bench-ta-{tag}", password="!")
    Membership.objects.create(user=ta, course=course, role=Membership.Role.TA)
    users = User.objects.bulk_create(
        User(username=f"bench-{tag}-{n}", first_name=f"Student{n}", last_name="Bench", password="!") for n in range(students)
    )
    members = Membership.objects.bulk_create(
        Membership(user=user, course=course, role=Membership.Role.STUDENT) for user in users
    )
    Score.objects.bulk_create(
        Score(member=m, assignment=a, points=Decimal(50 + (n * 7 + j * 3) % 51), entered_by=ta, entered_at=now)
        for n, m in enumerate(members) for j, a in enumerate(assignments)
    )
    Submission.objects.bulk_create(
        Submission(member=m, assignment=a, is_active=True, sha256="0" * 64,
                   submitted_at=a.due_at + timedelta(hours=(n + j) % 5 * 20 - 30))   # some on time, some late
        for n, m in enumerate(members) for j, a in enumerate(assignments) if a.accepts_uploads
    )
    return course, ta
