"""The course's iCalendar feed: valid, one event per exam, release and due events for other work."""
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from coursesite.assignments.models import Assignment

from .conftest import loadcourse

NEW_YORK = ZoneInfo("America/New_York")


def fetch(client, course):
    return client.get(f"/courses/{course.slug}/calendar.ics")


def events(content: bytes) -> dict[str, dict]:
    """The feed's events by UID, each with its summary, start and end."""
    calendar = Calendar.from_ical(content)
    found = [component for component in calendar.walk("VEVENT")]
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)), Counter(uids).most_common(3)
    return {str(e["UID"]): {"summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART"), "end": e.decoded("DTEND"),
                            "url": str(e["URL"])} for e in found}


@pytest.mark.django_db
def test_calendar_is_public_icalendar(client, course):
    response = fetch(client, course)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="10707-s21.ics"'
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "10707 Deep Learning (Spring 2021)"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/New_York"


@pytest.mark.django_db
def test_calendar_has_one_event_per_exam_and_release_and_due_events_for_other_work(client, course):
    found = events(fetch(client, course).content)

    exams = course.assignments.filter(kind=Assignment.Kind.EXAM)
    work = course.assignments.exclude(kind=Assignment.Kind.EXAM)
    assert len(found) == exams.count() + 2 * work.count() == 3 + 2 * 10
    for exam in exams:
        assert found[f"10707-s21-{exam.key}-exam@testserver"]["summary"] == exam.title
    for assignment in work:
        assert found[f"10707-s21-{assignment.key}-release@testserver"]["summary"] == f"{assignment.title} released"
        assert found[f"10707-s21-{assignment.key}-due@testserver"]["summary"] == f"{assignment.title} due"


@pytest.mark.django_db
def test_calendar_due_times_equal_the_assignments_due_times(client, course):
    found = events(fetch(client, course).content)

    for assignment in course.assignments.exclude(kind=Assignment.Kind.EXAM):
        assert found[f"10707-s21-{assignment.key}-due@testserver"]["start"] == assignment.due_at
        assert found[f"10707-s21-{assignment.key}-release@testserver"]["start"] == assignment.release_at
    ps1_due = found["10707-s21-ps1-due@testserver"]
    assert ps1_due["start"] == datetime(2021, 2, 17, 23, 59, tzinfo=NEW_YORK)
    assert ps1_due["end"] - ps1_due["start"] == timedelta(minutes=30)


@pytest.mark.django_db
def test_calendar_exam_runs_from_its_start_to_its_end(client, course):
    found = events(fetch(client, course).content)

    midterm = found["10707-s21-midterm-1-exam@testserver"]
    assert (midterm["start"], midterm["end"]) == (
        datetime(2021, 3, 8, 12, 20, tzinfo=NEW_YORK), datetime(2021, 3, 8, 13, 40, tzinfo=NEW_YORK),
    )


@pytest.mark.django_db
def test_calendar_events_link_to_the_assignment_page(client, course):
    found = events(fetch(client, course).content)

    assert found["10707-s21-hw1-coding-due@testserver"]["url"] == "http://testserver/courses/10707-s21/assignments/hw1-coding/"


@pytest.mark.django_db
def test_calendar_is_byte_identical_across_fetches(client, course):
    first = fetch(client, course).content

    assert fetch(client, course).content == first


@pytest.mark.django_db
def test_calendar_uids_stay_when_a_date_moves(client, course, course_file):
    before = events(fetch(client, course).content)
    loadcourse(course_file(("due = 2021-02-17T23:59:00", "due = 2021-02-19T23:59:00")), "--apply")

    after = events(fetch(client, course).content)

    assert set(after) == set(before)
    assert after["10707-s21-ps1-due@testserver"]["start"] == datetime(2021, 2, 19, 23, 59, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_calendar_of_an_unknown_course_is_404(client, course):
    assert client.get("/courses/10707-s99/calendar.ics").status_code == 404
