"""loaddemo (run by serve.sh on every start) loads the demo course only into a database without it."""
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.grades.services.scores import score_set
from coursesite.people.models import Membership, User

from .conftest import DEMO_PASSWORD, snapshot

pytestmark = pytest.mark.django_db
ALREADY = ("The demo course 10707-s21 is already in the database: nothing was changed (its dates, scores, grading "
           "and passwords stay as they are). To reload it from courses/10707-s21.toml, run `manage.py loaddemo "
           "--reset`, which lists what it would change first.")


def loaddemo(*args: str) -> str:
    out = StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    """The demo course as serve.sh's first start loads it, then edited by staff: a due date, a password, a score."""
    loaddemo()
    ps1 = Assignment.objects.get(key="ps1")
    ps1.due_at += timedelta(days=2)
    ps1.save()
    alice = User.objects.get(username="alice")
    alice.set_password("alice's own")
    alice.save()
    member = Membership.objects.get(user=alice)
    score_set(member=member, assignment=ps1, points=Decimal(88), comment="", by=User.objects.get(username="abasu"),
              now=timezone.now(), why="graded by hand")
    return ps1


def test_the_first_start_loads_the_demo_course_with_the_demo_passwords(client):
    out = loaddemo()

    assert "  course 10707-s21: created\n" in out
    assert f"Demo accounts, all with the password {DEMO_PASSWORD!r}:\n" in out
    assert client.login(username="bob", password=DEMO_PASSWORD)


def test_the_first_start_creates_the_problem_sets_rubric_questions():
    loaddemo()

    ps1 = Assignment.objects.get(key="ps1")
    assert [(q.number, q.points) for q in ps1.questions.all()] == [(1, 20), (2, 25), (3, 35), (4, 20)]
    assert all(q.items.exists() for q in ps1.questions.all())


def test_a_restart_keeps_every_edit_score_and_password(demo, client):
    before = snapshot()

    out = loaddemo()

    assert out.splitlines()[0] == ALREADY
    assert snapshot() == before
    assert client.login(username="alice", password="alice's own")


def test_a_restart_still_prints_the_accounts_without_promising_their_passwords(demo):
    out = loaddemo()

    assert f"Demo accounts (the password {DEMO_PASSWORD!r} unless it was changed since):\n" in out
    assert "  alice          Student                alice@example.org\n" in out


def test_reset_lists_the_staff_edit_it_would_undo_and_changes_nothing(demo):
    before = snapshot()
    tz = demo.course.tz
    edited, shipped = demo.due_at.astimezone(tz), (demo.due_at - timedelta(days=2)).astimezone(tz)

    out = loaddemo("--reset")

    assert out.splitlines()[:3] == [
        "10707-s21 is already in the database and courses/10707-s21.toml differs from it; loading the file would "
        "make these 1 change(s):",
        f"  assignment ps1: due_at is {edited:%Y-%m-%d %H:%M %Z}, the file says {shipped:%Y-%m-%d %H:%M %Z}",
        "10707-s21: nothing was changed. To make these changes, run again with --apply.",
    ]
    assert snapshot() == before


def test_reset_with_apply_moves_the_date_back_and_says_so_in_the_history(demo, client):
    shipped = demo.due_at - timedelta(days=2)

    out = loaddemo("--reset", "--apply")

    assert "10707-s21: 1 change(s) applied.\n" in out
    demo.refresh_from_db()
    assert demo.due_at == shipped
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.DATES)
    assert (entry.assignment, entry.source) == (demo, "loadcourse courses/10707-s21.toml")
    assert client.login(username="alice", password="alice's own")


def test_the_address_printed_is_the_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"

    out = loaddemo()

    assert "\nThe course site: http://127.0.0.1:8123/   (admin: http://127.0.0.1:8123/admin/)\n" in out
