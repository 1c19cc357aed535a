"""Releasing grades is a decision: the confirmation page lists its consequences, and a release before
the due time needs an explicit tick."""
import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.grades.models import Extension, Score
from coursesite.grades.services.release import ReleaseRefused, grades_release
from coursesite.rubrics.models import Question
from tests.factories import AssignmentFactory, SubmissionFactory
from tests.world import NOW, person

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def carol(course):
    """Carol has no e-mail address: a release tells her nothing by e-mail."""
    return person(course, "carol", email="")


@pytest.fixture
def coding(course):
    """Coding work due in two days (3 grace days after that)."""
    return AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding",
                             release_at=NOW - 7 * DAY, due_at=NOW + 2 * DAY)


@pytest.fixture
def pset(course):
    """A problem set graded with a one-question rubric, due five days ago (its grace window closed)."""
    pset = AssignmentFactory(course=course, key="ps1", title="Problem set 1", release_at=NOW - 20 * DAY,
                             due_at=NOW - 5 * DAY)
    Question.objects.create(assignment=pset, number=1, title="Backpropagation", points=D(10))
    return pset


def hand_in(member, assignment, when=NOW - 6 * DAY):
    return SubmissionFactory(member=member, assignment=assignment, submitted_at=when)


def confirmation(client, member, assignment):
    client.force_login(member.user)
    response = client.get(reverse("grades:release", args=[assignment.course.slug, assignment.key]))
    assert response.status_code == 200
    return response.content.decode()


def part(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    end = min(i for i in (page.find(tag, start) for tag in ("</ul>", "</p>")) if i > 0)
    return " ".join(html.unescape(strip_tags(page[start:end].split(">", 1)[1].replace("<li", " <li"))).split())


def release_post(client, assignment, **data):
    return client.post(reverse("grades:release", args=[assignment.course.slug, assignment.key]), data)


def released(assignment) -> bool:
    return Assignment.objects.get(pk=assignment.pk).grades_released_at is not None


# What the confirmation page lists.

def test_the_confirmation_lists_the_students_with_no_score(client, pset, alice, bob, carol, instructor):
    Score.objects.create(member=alice, assignment=pset, points=D(9), entered_by=instructor.user, entered_at=NOW)
    listed = part(confirmation(client, instructor, pset), "without-score")
    assert listed == "Bob Brown (bob) Carol Chen (carol)"


def test_the_confirmation_lists_graded_submissions_whose_rubric_is_not_complete(client, pset, alice, instructor):
    hand_in(alice, pset)
    assert part(confirmation(client, instructor, pset), "ungraded") == "Alice Adams (alice): rubric: 0 of 1 questions graded"


def test_the_confirmation_lists_graded_submissions_the_autograder_has_not_finished(client, coding, alice, instructor):
    submission = hand_in(alice, coding, when=NOW - DAY)
    GradingJob.objects.create(submission=submission, spec_name="hw1", queued_at=NOW - DAY)
    assert part(confirmation(client, instructor, coding), "ungraded") == "Alice Adams (alice): autograder: queued"


def test_the_confirmation_says_the_due_time_has_not_passed_and_asks_for_the_tick(client, coding, alice, instructor):
    page = confirmation(client, instructor, coding)
    assert part(page, "due-time").startswith("The due time has not passed: HW1 coding is due Fri Mar 12, 12:00 PM EST")
    assert "Yes, release before the due time" in page


def test_the_confirmation_says_when_the_due_time_has_passed(client, pset, alice, instructor):
    page = confirmation(client, instructor, pset)
    assert part(page, "due-time") == "The due time has passed (Fri Mar 5, 12:00 PM EST)."
    assert "Yes, release before the due time" not in page
    assert 'id="open-windows"' not in page


def test_the_confirmation_lists_a_students_open_extension(client, pset, alice, bob, instructor):
    Extension.objects.create(member=bob, assignment=pset, due_at=NOW + DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW - DAY)
    assert part(confirmation(client, instructor, pset), "open-windows") == (
        "Bob Brown (bob): extension, may submit until Sun Mar 14, 1:00 PM EDT")   # 3 grace days; DST began


def test_the_confirmation_lists_the_open_grace_window(client, course, alice, instructor):
    late = AssignmentFactory(course=course, key="ps2", title="Problem set 2", release_at=NOW - 9 * DAY,
                             due_at=NOW - DAY)
    assert part(confirmation(client, instructor, late), "open-windows") == (
        "Every student: grace days: late work is still taken until Fri Mar 12, 12:00 PM EST")


def test_the_confirmation_says_how_many_students_will_be_emailed(client, pset, alice, bob, carol, instructor):
    assert part(confirmation(client, instructor, pset), "emails") == "2 students will be e-mailed that the grades are out."


# The decision.

def test_releasing_before_the_due_time_without_the_tick_is_refused_with_a_message(client, coding, alice, instructor):
    client.force_login(instructor.user)
    response = release_post(client, coding, confirmed="on")
    assert response.status_code == 400
    assert ("HW1 coding is due Fri Mar 12, 12:00 PM EST: students may still submit. To release its grades before "
            "the due time, tick that you mean to.") in html.unescape(response.content.decode())
    assert not released(coding)


def test_releasing_before_the_due_time_with_the_tick_releases_and_says_so_in_the_history(client, coding, alice,
                                                                                        instructor):
    client.force_login(instructor.user)
    assert release_post(client, coding, confirmed="on", before_due="on").status_code == 302
    assert released(coding)
    assert AuditEntry.objects.get(kind=AuditEntry.Kind.RELEASE).why == "grades released (before the due time, confirmed)"


def test_a_release_not_sent_from_the_confirmation_page_goes_to_it(client, pset, alice, instructor):
    client.force_login(instructor.user)
    response = release_post(client, pset)
    assert response["Location"] == reverse("grades:release", args=[pset.course.slug, pset.key])
    assert not released(pset)


def test_the_release_service_refuses_before_the_due_time_unless_confirmed(coding, instructor):
    with pytest.raises(ReleaseRefused, match="To release its grades before the due time, tick that you mean to."):
        grades_release(assignment=coding, by=instructor.user, now=NOW)
    assert not released(coding)


def test_the_scores_page_sends_the_release_through_the_confirmation(client, pset, instructor):
    client.force_login(instructor.user)
    page = client.get(reverse("grades:scores", args=[pset.course.slug, pset.key])).content.decode()
    assert f'href="{reverse("grades:release", args=[pset.course.slug, pset.key])}"' in page
