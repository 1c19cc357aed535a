"""Due and release times changed in the admin: refused without a reason, else in the history with it."""
import html
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.courses.models import Course
from coursesite.people.models import Membership

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "courses" / "10707-s21.toml"
NEW_YORK = ZoneInfo("America/New_York")
HW1_DUE = datetime(2021, 2, 24, 23, 59, tzinfo=NEW_YORK)
HW1_DUE_LATER = datetime(2021, 2, 26, 23, 59, tzinfo=NEW_YORK)
REASON = "The autograder was down on Feb 23"


@pytest.fixture
def course() -> Course:
    call_command("loadcourse", str(SEED), stdout=StringIO())
    return Course.objects.get(slug="10707-s21")


@pytest.fixture
def hw1(course) -> Assignment:
    return course.assignments.get(key="hw1-coding")


@pytest.fixture
def risteski(course, client):
    user = course.memberships.get(role=Membership.Role.INSTRUCTOR, user__username="risteski").user
    client.force_login(user)
    return user


def change_url(assignment) -> str:
    return f"/admin/assignments/assignment/{assignment.pk}/change/"


def unchanged_form(client, assignment) -> dict[str, str]:
    """What the admin's assignment page posts when nothing is touched (times as date and time parts)."""
    form = client.get(change_url(assignment)).context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field, forms.BooleanField):
            if value:
                data[field.html_name] = "on"
        elif isinstance(field.field, forms.SplitDateTimeField):
            day, time = field.field.widget.decompress(value)
            if day is not None:             # an empty optional time (groups_lock_at) posts empty boxes
                data[f"{field.html_name}_0"], data[f"{field.html_name}_1"] = day.isoformat(), time.isoformat()
        elif isinstance(field.field, forms.JSONField):
            data[field.html_name] = field.field.prepare_value(value)
        elif value is not None:
            data[field.html_name] = str(field.field.prepare_value(value))
    return data


def post_change(client, assignment, **changes: str):
    data = unchanged_form(client, assignment)
    data.update(changes)
    return client.post(change_url(assignment), data)


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def moved_due(client, hw1, why=REASON):
    return post_change(client, hw1, due_at_0="2021-02-26", due_at_1="23:59:00", change_reason=why)


def test_a_due_time_moved_in_the_admin_is_recorded_with_old_new_who_and_the_reason(client, hw1, risteski):
    response = moved_due(client, hw1)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.DATES)
    assert (entry.old_value, entry.new_value) == ("2021-02-25T04:59:00+00:00", "2021-02-27T04:59:00+00:00")
    assert (entry.who, entry.why, entry.assignment, entry.member) == (risteski, REASON, hw1, None)
    assert entry.subject == "due time of Coding assignment 1: multilayer perceptron"
    hw1.refresh_from_db()
    assert hw1.due_at == HW1_DUE_LATER


def test_a_due_time_moved_without_a_reason_is_refused_with_a_message_and_kept(client, hw1, risteski):
    response = moved_due(client, hw1, why="")

    assert response.status_code == 200
    assert ("Give a reason for this change: the due time changed, which changes students' grades, "
            "and the reason is kept in the history with the old and the new value.") in text_of(response)
    hw1.refresh_from_db()
    assert hw1.due_at == HW1_DUE
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.DATES).exists()


def test_a_release_time_moved_in_the_admin_is_recorded(client, hw1, risteski):
    response = post_change(client, hw1, release_at_0="2021-02-11", release_at_1="12:00:00", change_reason=REASON)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.DATES)
    assert (entry.old_value, entry.new_value, entry.why) == (
        "2021-02-10T17:00:00+00:00", "2021-02-11T17:00:00+00:00", REASON)
    assert entry.subject == "release time of Coding assignment 1: multilayer perceptron"


def test_editing_an_assignment_without_moving_its_times_needs_no_reason_and_records_nothing(client, hw1, risteski):
    response = post_change(client, hw1, description="Now with a hint for Problem 3.")

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.DATES).exists()


def test_the_assignment_history_shows_the_moved_due_time_and_its_reason(client, course, hw1, risteski):
    moved_due(client, hw1)

    page = text_of(client.get(reverse("audit:assignment", args=[course.slug, hw1.key])))

    assert ("Due or release time (due time of Coding assignment 1: multilayer perceptron) "
            f"Wed Feb 24, 11:59 PM EST → Fri Feb 26, 11:59 PM EST {REASON}") in page


def test_each_students_history_shows_a_moved_due_time(client, course, hw1, risteski):
    moved_due(client, hw1)
    student = course.memberships.students().first()

    page = text_of(client.get(reverse("audit:student", args=[course.slug, student.id])))

    assert f"Wed Feb 24, 11:59 PM EST → Fri Feb 26, 11:59 PM EST {REASON}" in page


def test_the_course_history_shows_changes_for_every_student(client, course, hw1, risteski):
    moved_due(client, hw1)

    page = text_of(client.get(reverse("audit:course", args=[course.slug])))

    assert f"Wed Feb 24, 11:59 PM EST → Fri Feb 26, 11:59 PM EST {REASON}" in page
    assert "Category weight (category Final exam (final-exam)) none → 25 set by the course file" in page


def test_the_staff_dashboard_links_to_the_course_history(client, course, risteski):
    page = client.get(reverse("courses:dashboard", args=[course.slug])).content.decode()

    assert f'href="{reverse("audit:course", args=[course.slug])}" id="course-history-link"' in page


def test_the_staff_assignment_page_links_to_its_history(client, course, hw1, risteski):
    page = client.get(reverse("assignments:detail", args=[course.slug, hw1.key])).content.decode()

    assert f'href="{reverse("audit:assignment", args=[course.slug, hw1.key])}" id="assignment-history-link"' in page
