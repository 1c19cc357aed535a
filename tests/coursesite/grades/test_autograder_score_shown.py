"""One autograder score for the student: before the due date, every page and report shows the visible
tests' score (scaled to the assignment's points), never the hidden tests' points; staff see the full score."""
import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.autograding.models import GradingJob
from coursesite.autograding.selectors import autograder_points_shown_to_student
from coursesite.grades.models import Score
from tests.coursesite.grades.test_release import hand_in
from tests.coursesite.reports.support import pdf_text
from tests.factories import AssignmentFactory, CategoryFactory
from tests.world import NOW

DAY = timedelta(days=1)
# 60 of the 80 visible test points, 5 of the 20 hidden until the due date: 65 of 100 in all.
RESULT = {"score": 65.0, "tests": [
    {"name": "softmax: values", "score": 60.0, "max_score": 80.0, "output": "", "visibility": "visible"},
    {"name": "train_mlp: held-out accuracy", "score": 5.0, "max_score": 20.0, "output": "",
     "visibility": "after_due_date"},
]}


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def course(course):
    """The shared course with one category weighing 100, so a report's total is the assignment's percentage."""
    CategoryFactory(course=course, key="assignments", name="Assignments", weight=D(100))
    return course


@pytest.fixture
def coding(course):
    """HW1, worth 100 points, due in two days; its grades released early (an early-feedback release)."""
    return AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding", points=D(100),
                             release_at=NOW - 7 * DAY, due_at=NOW + 2 * DAY, grades_released_at=NOW - DAY)


@pytest.fixture
def autograded(alice, coding):
    submission = hand_in(alice, coding, when=NOW - 2 * DAY)
    job = GradingJob.objects.create(submission=submission, spec_name="hw1", queued_at=NOW - 2 * DAY,
                                    status=GradingJob.Status.DONE, result=RESULT, score=D(65), max_score=D(100),
                                    finished_at=NOW - 2 * DAY)
    Score.objects.create(member=alice, assignment=coding, points=D(65), entered_at=NOW - 2 * DAY,
                         source=Score.Source.AUTOGRADER, submission=submission,
                         comment="Autograder: 65 of 100 test points.")
    return job


def text_of(content: bytes) -> str:
    return " ".join(html.unescape(strip_tags(content.decode().replace("<", " <"))).split())


def dashboard_row(client, alice, coding) -> str:
    client.force_login(alice.user)
    page = client.get(reverse("courses:dashboard", args=[alice.course.slug])).content
    row = page.decode().split(f'id="item-{coding.key}"')[1].split("</tr>")[0]
    return text_of(row.encode())


def test_before_the_due_date_the_dashboard_shows_the_visible_tests_score(client, alice, coding, autograded):
    assert "75 / 100" in dashboard_row(client, alice, coding)            # 60 of 80, scaled to 100


def test_before_the_due_date_the_dashboard_hides_the_full_score_and_its_comment(client, alice, coding, autograded):
    row = dashboard_row(client, alice, coding)
    assert "65" not in row
    assert ("Autograder: 60 of 80 points of the tests you can see; 1 more test is shown after the due date."
            in row)


def test_before_the_due_date_the_total_counts_the_score_the_student_is_shown(client, alice, coding, autograded):
    client.force_login(alice.user)
    page = text_of(client.get(reverse("courses:dashboard", args=[alice.course.slug])).content)
    assert "Current total (released scores only) 75.00%" in page


def test_the_dashboard_and_the_submission_page_tell_the_same_score(client, alice, coding, autograded):
    client.force_login(alice.user)
    page = text_of(client.get(reverse("assignments:submission-detail", args=[autograded.submission_id])).content)
    assert "Autograder score: 60 / 80" in page
    assert "75 / 100" in dashboard_row(client, alice, coding)


def test_after_the_due_date_the_dashboard_shows_the_full_score(client, alice, coding, autograded, frozen_clock):
    frozen_clock.move_to(coding.due_at + DAY, tick=False)
    assert "65 / 100" in dashboard_row(client, alice, coding)


def test_before_the_due_date_the_grade_report_pdf_shows_the_visible_tests_score(client, alice, coding, autograded):
    client.force_login(alice.user)
    response = client.get(reverse("reports:student-pdf", args=[alice.course.slug, alice.id]))
    text = pdf_text(response.content)
    assert "75 / 100" in text
    assert "65 / 100" not in text


def test_staff_see_the_full_score_in_the_gradebook(client, alice, ta, coding, autograded):
    client.force_login(ta.user)
    page = client.get(reverse("grades:gradebook", args=[alice.course.slug])).content.decode()
    cell = page.split(f'id="student-{alice.id}"')[1].split("</td>")[0]
    assert "65" in text_of(cell.encode())


def test_a_regrades_change_carries_over_to_the_score_shown(autograded, coding):
    shown = autograder_points_shown_to_student(points=D(67), job=autograded, assignment_points=D(100),
                                               due=coding.due_at, now=NOW)
    assert shown == D(77)                                              # 75 shown, and the regrade's +2
