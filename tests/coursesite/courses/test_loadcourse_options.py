"""loadcourse --shift-to (whole weeks, local times kept) and --demo-password (example.org accounts only)."""
from datetime import date, timedelta

import pytest
from django.core.management.base import CommandError

from coursesite.coursefile.spec import read_course_file
from coursesite.courses.models import Course
from coursesite.people.models import User
from tests.factories import PASSWORD, UserFactory

from .conftest import DEMO_PASSWORD, SEED, loadcourse, snapshot


def local_schedule(course: Course) -> dict[str, tuple]:
    """Each assignment's release and due time as the course's wall clock shows them."""
    tz = course.tz
    return {a.key: (a.release_at.astimezone(tz), a.due_at.astimezone(tz)) for a in course.assignments.all()}


@pytest.mark.django_db
def test_shift_to_starts_the_term_in_that_week():
    loadcourse(SEED, "--shift-to", "2030-09-04")  # a Wednesday

    course = Course.objects.get()
    assert course.starts_on == date(2030, 9, 2)  # the Monday of that week, like the seed's 2021-02-01
    assert course.ends_on - course.starts_on == date(2021, 5, 14) - date(2021, 2, 1)


@pytest.mark.django_db
def test_shift_to_an_earlier_date_moves_back_by_whole_weeks():
    loadcourse(SEED, "--shift-to", "2020-12-31")  # a Thursday, before the seed's start

    assert Course.objects.get().starts_on == date(2020, 12, 28)


@pytest.mark.django_db
def test_shift_to_moves_every_date_by_the_same_whole_weeks_keeping_local_time():
    original = read_course_file(SEED).assignments
    loadcourse(SEED, "--shift-to", "2030-09-04")

    shifted = local_schedule(Course.objects.get())
    tz = Course.objects.get().tz
    weeks = set()
    for item in original:
        for moved, was in zip(shifted[item["key"]], (item["release_at"], item["due_at"])):
            was = was.astimezone(tz)
            assert moved.time() == was.time(), item["key"]
            assert moved.weekday() == was.weekday(), item["key"]
            weeks.add(moved.date() - was.date())
    assert len(weeks) == 1
    assert weeks.pop() % timedelta(weeks=1) == timedelta(0)


@pytest.mark.django_db
def test_shift_keeps_a_2359_due_time_across_daylight_saving():
    loadcourse(SEED, "--shift-to", "2030-09-04")

    ps1 = Course.objects.get().assignments.get(key="ps1")
    due = ps1.due_at.astimezone(Course.objects.get().tz)
    assert (due.hour, due.minute) == (23, 59)
    assert due.utcoffset() == timedelta(hours=-4)  # EDT now; the seed's 2021-02-17 was EST (-5)
    assert due.date() == date(2030, 9, 18)


@pytest.mark.django_db
def test_shift_to_refuses_a_date_that_is_not_iso():
    with pytest.raises(CommandError, match="argument --shift-to: invalid fromisoformat value: '09/04/2030'"):
        loadcourse(SEED, "--shift-to", "09/04/2030")


@pytest.mark.django_db
def test_demo_password_lets_demo_accounts_log_in(client):
    loadcourse(SEED, demo_password=DEMO_PASSWORD)

    assert client.login(username="alice", password=DEMO_PASSWORD)
    assert client.login(username="risteski", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_password_is_reported_once_per_account():
    out = loadcourse(SEED, demo_password=DEMO_PASSWORD)

    assert out.count(": created with the demo password\n") == 10
    assert "  user alice: created with the demo password\n" in out


@pytest.mark.django_db
def test_without_demo_password_no_account_can_log_in(client):
    loadcourse(SEED)

    assert not client.login(username="alice", password=DEMO_PASSWORD)
    assert not User.objects.get(username="alice").has_usable_password()


@pytest.mark.django_db
def test_demo_password_is_not_set_on_an_account_outside_example_org(client, course_file):
    path = course_file(('email = "carol@example.org"', 'email = "carol@andrew.cmu.edu"'))

    out = loadcourse(path, demo_password=DEMO_PASSWORD)

    assert "user carol: demo password set" not in out
    assert not client.login(username="carol", password=DEMO_PASSWORD)
    assert not User.objects.get(username="carol").has_usable_password()
    assert client.login(username="bob", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_password_does_not_replace_the_password_of_an_existing_real_account(client):
    """A real `alice` with her own address keeps her password, though the file gives her an example.org one."""
    UserFactory(username="alice", email="alice@andrew.cmu.edu")
    before = User.objects.get(username="alice").password

    loadcourse(SEED, demo_password=DEMO_PASSWORD)
    loadcourse(SEED, demo_password=DEMO_PASSWORD)

    alice = User.objects.get(username="alice")
    assert (alice.email, alice.password) == ("alice@andrew.cmu.edu", before)
    assert not client.login(username="alice", password=DEMO_PASSWORD)
    assert client.login(username="alice", password=PASSWORD)


@pytest.mark.django_db
def test_demo_password_given_later_sets_no_password_on_the_accounts_already_there(client):
    loadcourse(SEED)
    before = snapshot()

    out = loadcourse(SEED, "--apply", demo_password=DEMO_PASSWORD)

    assert out == "10707-s21: no changes.\n"
    assert snapshot() == before
    assert not client.login(username="alice", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_password_never_resets_a_password_its_owner_changed(client):
    loadcourse(SEED, demo_password=DEMO_PASSWORD)
    alice = User.objects.get(username="alice")
    alice.set_password("my own secret")
    alice.save()

    loadcourse(SEED, "--apply", demo_password=DEMO_PASSWORD)

    assert client.login(username="alice", password="my own secret")
    assert not client.login(username="alice", password=DEMO_PASSWORD)
