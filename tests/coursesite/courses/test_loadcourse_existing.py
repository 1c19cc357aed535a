"""loadcourse on a course that is already in the database lists what the file would overwrite and waits for a yes."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError
from django.urls import reverse

from coursesite.audit.models import AuditEntry
from coursesite.courses.models import Course, SyllabusSection
from tests.coursesite.assignments.support import text_of

from .conftest import SEED, loadcourse, snapshot

NEW_YORK = ZoneInfo("America/New_York")
DUE_PS1 = ("due = 2021-02-17T23:59:00", "due = 2021-02-18T23:59:00")
PS1_LINE = "  assignment ps1: due_at is 2021-02-17 23:59 EST, the file says 2021-02-18 23:59 EST"


class Terminal(io.StringIO):
    """Standard input as a person at a terminal: what they type, and isatty() true."""

    def __init__(self, typed: str, on_read=None):
        super().__init__(typed)
        self.on_read = on_read

    def isatty(self) -> bool:
        return True

    def readline(self, *args):
        if self.on_read:
            self.on_read()
        return super().readline(*args)


@pytest.mark.django_db
def test_a_changed_file_is_listed_field_by_field_and_nothing_is_changed(course, course_file):
    path = course_file(DUE_PS1, ("weight = 45", "weight = 40"), ("weight = 25", "weight = 30"))
    before = snapshot()

    out = loadcourse(path)

    assert out.splitlines() == [
        f"10707-s21 is already in the database and {path} differs from it; loading the file would make "
        "these 3 change(s):",
        "  category assignments: weight is 45, the file says 40",
        "  category final-exam: weight is 25, the file says 30",
        PS1_LINE,
        "10707-s21: nothing was changed. To make these changes, run again with --apply.",
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_staff_edit_is_listed_against_the_unchanged_file_and_kept(course):
    ps1 = course.assignments.get(key="ps1")
    ps1.due_at = datetime(2021, 2, 19, 23, 59, tzinfo=NEW_YORK)
    ps1.save()

    out = loadcourse(SEED)

    assert "  assignment ps1: due_at is 2021-02-19 23:59 EST, the file says 2021-02-17 23:59 EST\n" in out
    ps1.refresh_from_db()
    assert ps1.due_at == datetime(2021, 2, 19, 23, 59, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_text_saved_from_a_browser_textarea_compares_equal_to_the_file(course):
    """The admin's textarea sends CRLF line ends and the form strips the ends: the same text, not an edit."""
    section = course.sections.get(key="prerequisites")
    browser = lambda text: text.replace("\n", "  \r\n").strip()  # noqa: E731
    Course.objects.filter(pk=course.pk).update(contact=browser(course.contact),
                                               project_description=browser(course.project_description) + "\r\n")
    SyllabusSection.objects.filter(pk=section.pk).update(body=browser(section.body))
    before = snapshot()

    out = loadcourse(SEED)

    assert out == "10707-s21: no changes.\n"
    assert snapshot() == before
    assert "\r\n" in Course.objects.get().contact


@pytest.mark.django_db
def test_a_long_text_is_shown_from_where_it_differs(course, course_file):
    path = course_file(("or prove a theoretical result", "or prove a theorem"))

    out = loadcourse(path)

    line = next(x for x in out.splitlines() if x.startswith("  course 10707-s21: project_description"))
    assert line == ("  course 10707-s21: project_description is …'n, or prove a theoretical result to elucidate some "
                    "aspect of'…, the file says …'n, or prove a theorem to elucidate some aspect of deep learn'…")


@pytest.mark.django_db
def test_apply_makes_the_listed_changes(course, course_file):
    out = loadcourse(course_file(DUE_PS1), "--apply")

    assert out.splitlines() == [PS1_LINE, "10707-s21: 1 change(s) applied."]
    assert course.assignments.get(key="ps1").due_at == datetime(2021, 2, 18, 23, 59, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_a_yes_at_the_terminal_applies_the_listed_changes(course, course_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))

    out = loadcourse(course_file(DUE_PS1))

    assert out.splitlines()[-2:] == [
        PS1_LINE, "Make these 1 change(s) to 10707-s21? [y/N] 10707-s21: 1 change(s) applied.",
    ]
    assert course.assignments.get(key="ps1").due_at == datetime(2021, 2, 18, 23, 59, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_anything_but_yes_at_the_terminal_changes_nothing(course, course_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("\n"))
    before = snapshot()

    out = loadcourse(course_file(DUE_PS1))

    assert out.endswith("[y/N] 10707-s21: nothing was changed. To make these changes, run again with --apply.\n")
    assert snapshot() == before


@pytest.mark.django_db
def test_noinput_never_asks_even_at_a_terminal(course, course_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    before = snapshot()

    out = loadcourse(course_file(DUE_PS1), "--noinput")

    assert "[y/N]" not in out and out.endswith("run again with --apply.\n")
    assert snapshot() == before


@pytest.mark.django_db
def test_a_course_edited_while_the_person_decides_is_not_overwritten(course, course_file, monkeypatch):
    def staff_edit_meanwhile():
        Course.objects.filter(pk=course.pk).update(title="Deep Learning (edited meanwhile)")

    monkeypatch.setattr("sys.stdin", Terminal("y\n", on_read=staff_edit_meanwhile))

    with pytest.raises(CommandError, match="the course changed since its differences were listed; nothing was changed"):
        loadcourse(course_file(DUE_PS1))
    assert Course.objects.get().title == "Deep Learning (edited meanwhile)"
    assert course.assignments.get(key="ps1").due_at == datetime(2021, 2, 17, 23, 59, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_applied_due_and_release_times_are_in_the_history_made_by_loadcourse(course, course_file):
    path = course_file(DUE_PS1, ("release = 2021-02-03T12:00:00", "release = 2021-02-04T12:00:00"))

    loadcourse(path, "--apply")

    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.DATES).order_by("id")
    assert [(e.subject, e.old_value, e.new_value, e.who, e.source, e.why) for e in entries] == [
        ("Problem set 1: release time", "2021-02-03T17:00:00+00:00", "2021-02-04T17:00:00+00:00", None,
         f"loadcourse {path}", "set by the course file"),
        ("Problem set 1: due time", "2021-02-18T04:59:00+00:00", "2021-02-19T04:59:00+00:00", None,
         f"loadcourse {path}", "set by the course file"),
    ]
    assert {e.assignment.key for e in entries} == {"ps1"}


@pytest.mark.django_db
def test_an_applied_grace_day_budget_and_cap_are_in_the_history_for_every_student(course, course_file):
    path = course_file(("grace_days_total = 7", "grace_days_total = 8"), ("max_per_assignment = 3", "max_per_assignment = 2"))

    loadcourse(path, "--apply")

    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.GRACE_DAYS).order_by("id")
    assert [(e.subject, e.old_value, e.new_value, e.member, e.source) for e in entries] == [
        ("every student's budget", "7", "8", None, f"loadcourse {path}"),
        ("every student's most grace days on one assignment", "3", "2", None, f"loadcourse {path}"),
    ]


@pytest.mark.django_db
def test_a_listing_that_is_not_applied_leaves_no_history(course, course_file):
    before = AuditEntry.objects.count()

    loadcourse(course_file(DUE_PS1, ("grace_days_total = 7", "grace_days_total = 8"), ("weight = 45", "weight = 40"),
                           ("weight = 25", "weight = 30")))

    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_new_course_is_created_without_asking(course_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal(""))

    out = loadcourse(course_file(('slug = "10707-s21"', 'slug = "10707-s22"')))

    assert "[y/N]" not in out and out.rstrip().endswith("change(s) applied.")
    assert Course.objects.filter(slug="10707-s22").exists()


@pytest.mark.django_db
def test_the_assignment_history_shows_a_moved_due_time_in_the_course_zone(course, course_file, client):
    loadcourse(course_file(DUE_PS1), "--apply")
    client.force_login(course.memberships.get(user__username="risteski").user)

    page = text_of(client.get(reverse("audit:assignment", args=[course.slug, "ps1"])))

    assert "Wed Feb 17, 11:59 PM EST" in page and "Thu Feb 18, 11:59 PM EST" in page
