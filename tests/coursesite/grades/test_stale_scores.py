"""A submission made after the release marks the score stale until staff grade it; a score for a
submission that is no longer the graded one says so. Everywhere the score is shown."""
import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Submission
from coursesite.grades.models import Score
from coursesite.grades.provenance import score_is_stale
from tests.coursesite.grades.test_release import hand_in
from tests.factories import AssignmentFactory
from tests.world import NOW

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
STALE = "stale: a newer submission came after the release and is not graded yet"


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def pset(course):
    """Due two days ago (still taking late work), its grades released yesterday."""
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1", release_at=NOW - 9 * DAY,
                             due_at=NOW - 2 * DAY, grades_released_at=NOW - DAY)


@pytest.fixture
def resubmitted(alice, pset, instructor):
    """Alice scored 80 before the release on her first write-up; she submitted again after the release."""
    first = hand_in(alice, pset, when=NOW - 3 * DAY)
    Score.objects.create(member=alice, assignment=pset, points=D(80), entered_by=instructor.user,
                         entered_at=NOW - DAY - HOUR)
    Submission.objects.filter(pk=first.pk).update(is_active=False)
    return hand_in(alice, pset, when=NOW - HOUR)


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode().replace("<", " <"))).split())


def dashboard(client, member):
    client.force_login(member.user)
    return text_of(client.get(reverse("courses:dashboard", args=[member.course.slug])))


def test_a_submission_after_the_release_marks_the_score_stale_on_the_dashboard(client, alice, resubmitted):
    assert STALE in dashboard(client, alice)


def test_a_submission_after_the_release_marks_the_score_stale_in_the_gradebook(client, alice, instructor, resubmitted):
    client.force_login(instructor.user)
    page = client.get(reverse("grades:gradebook", args=[alice.course.slug])).content.decode()
    cell = page.split(f'id="student-{alice.id}"')[1].split("</tr>")[0]
    assert "80" in cell and 'class="warn stale"' in cell


def test_a_submission_after_the_release_marks_the_score_stale_on_the_scores_page(client, alice, pset, instructor,
                                                                                resubmitted):
    client.force_login(instructor.user)
    page = client.get(reverse("grades:scores", args=[pset.course.slug, pset.key])).content.decode()
    row = page.split(f'id="score-{alice.id}"')[1].split("</tr>")[0]
    assert STALE in html.unescape(row)


def test_a_score_entered_after_the_new_submission_is_no_longer_stale(client, alice, pset, instructor, resubmitted):
    Score.objects.filter(member=alice, assignment=pset).update(points=D(85), entered_at=NOW)
    assert STALE not in dashboard(client, alice)


def test_a_submission_before_the_release_leaves_the_score_alone(client, alice, pset, instructor):
    hand_in(alice, pset, when=NOW - 3 * DAY)
    Score.objects.create(member=alice, assignment=pset, points=D(80), entered_by=instructor.user,
                         entered_at=NOW - 2 * DAY)
    assert STALE not in dashboard(client, alice)


def test_a_score_for_a_submission_no_longer_graded_says_so(client, alice, pset):
    first = hand_in(alice, pset, when=NOW - 3 * DAY)
    Score.objects.create(member=alice, assignment=pset, points=D(70), entered_at=NOW - 2 * DAY,
                         source=Score.Source.RUBRIC, submission=first)
    Submission.objects.filter(pk=first.pk).update(is_active=False)
    hand_in(alice, pset, when=NOW - 2 * DAY - HOUR)                       # before the release: not stale
    assert f"for submission #{first.id}, no longer the graded one" in dashboard(client, alice)


def test_stale_needs_a_release():
    assert not score_is_stale(released_at=None, active_submitted_at=NOW, entered_at=NOW - DAY)
