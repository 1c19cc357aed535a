"""Group work on the pages: the scores page names each student's group and adjusts one member's share; the
gradebook, the student's dashboard and the report PDF show an adjusted score with its adjustment and reason."""
import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_adjust, score_set
from coursesite.rubrics.models import Question
from tests.coursesite.assignments.support import text_of
from tests.coursesite.reports.support import pdf_text
from tests.factories import AssignmentFactory, StudentGroupFactory, SubmissionFactory
from tests.world import NOW

REASON = "did not contribute to part 2"


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def project(course):
    return AssignmentFactory(course=course, kind=Assignment.Kind.PROJECT, key="project-final", title="Final report",
                             points=D(100), group_size=2, release_at=NOW - timedelta(days=20),
                             due_at=NOW - timedelta(days=2))


@pytest.fixture
def scored(project, alice, bob, carol):
    """Alice and Bob's group scored 80; Carol alone, with no score yet."""
    group = StudentGroupFactory(assignment=project, members=[alice, bob], created_at=NOW - timedelta(days=10))
    submission = SubmissionFactory(member=alice, assignment=project, group=group, submitted_at=NOW - timedelta(days=3))
    for student in submission.students():
        score_set(member=student, assignment=project, points=D(80), by=None, now=NOW, why="rubric grading",
                  source=Score.Source.RUBRIC, submission=submission)
    return submission


@pytest.fixture
def adjusted(scored, project, bob, ta):
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason=REASON, by=ta, now=NOW)
    Assignment.objects.filter(pk=project.pk).update(grades_released_at=NOW - timedelta(hours=1))


def scores_url(project):
    return reverse("grades:scores", args=[project.course.slug, project.key])


def adjust_url(project, member):
    return reverse("grades:score-adjust", args=[project.course.slug, project.key, member.id])


def test_the_scores_page_names_each_students_group(client, ta, scored, project, bob, carol):
    client.force_login(ta.user)

    page = client.get(scores_url(project)).content.decode()

    group = scored.group_id
    assert row_text(page, f'id="group-{group}"').startswith(
        "Alice Adams (alice) Bob Brown (bob) Alice Adams and Bob Brown Alice Adams: 80")
    assert row_text(page, f'id="score-{carol.id}"').startswith("Carol Chen (carol) no group")


def test_a_ta_adjusts_one_members_score_and_is_told_what_changed(client, ta, scored, project, alice, bob):
    client.force_login(ta.user)

    response = client.post(adjust_url(project, bob), {"adjustment": "-10", "adjustment_reason": REASON}, follow=True)

    assert ("Bob Brown: 80 → 70 (adjustment −10: did not contribute to part 2); the group's score stays 80."
            in text_of(response))
    points = dict(Score.objects.filter(assignment=project).values_list("member__user__username", "points"))
    assert points == {"alice": D(80), "bob": D(70)}


def test_an_adjustment_without_a_reason_is_refused_with_the_reason_why(client, ta, scored, project, bob):
    client.force_login(ta.user)

    response = client.post(adjust_url(project, bob), {"adjustment": "-10", "adjustment_reason": ""}, follow=True)

    assert "Bob Brown's score was not adjusted. Why: This field is required." in text_of(response)
    assert Score.objects.get(member=bob, assignment=project).points == D(80)


def test_adjusting_a_student_with_no_score_yet_says_there_is_nothing_to_adjust(client, ta, scored, project, carol):
    client.force_login(ta.user)

    response = client.post(adjust_url(project, carol), {"adjustment": "-10", "adjustment_reason": "absent"}, follow=True)

    assert "Nothing to adjust yet: Carol Chen has no score on Final report." in text_of(response)


def test_a_student_cannot_adjust_a_score(client, scored, project, alice, bob):
    client.force_login(alice.user)

    response = client.post(adjust_url(project, bob), {"adjustment": "-50", "adjustment_reason": "lazy"})

    assert response.status_code == 403
    assert Score.objects.get(member=bob, assignment=project).points == D(80)


def test_work_handed_in_alone_has_no_group_column_nor_adjust_form(client, ta, course, alice):
    alone = AssignmentFactory(course=course, key="ps1", title="Problem set 1")
    client.force_login(ta.user)

    page = client.get(scores_url(alone)).content.decode()

    assert "<th>Group</th>" not in page and 'id="adjust-' not in page


def test_the_gradebook_cell_shows_the_adjustment_and_its_reason(client, ta, adjusted, project, bob):
    client.force_login(ta.user)

    page = client.get(reverse("grades:gradebook", args=[project.course.slug])).content.decode()

    assert (f'<span class="adjusted" title="the group&#x27;s 80, adjusted −10 for this student: {REASON}">−10</span>'
            in page)


def test_the_students_dashboard_shows_the_groups_score_and_their_adjustment(client, adjusted, project, bob):
    client.force_login(bob.user)

    page = client.get(reverse("courses:dashboard", args=[project.course.slug])).content.decode()

    assert f"70 / 100 80 for the group, −10 for you: {REASON}" in row_text(page, f'id="item-{project.key}"')


def test_the_other_member_sees_no_adjustment(client, adjusted, project, alice):
    client.force_login(alice.user)

    page = client.get(reverse("courses:dashboard", args=[project.course.slug])).content.decode()

    assert "for the group" not in page


def test_the_report_pdf_shows_the_adjustment(client, adjusted, project, bob):
    client.force_login(bob.user)

    response = client.get(reverse("reports:student-pdf", kwargs={"slug": project.course.slug, "member_id": bob.id}))

    assert f"Final report: 80 for the group, −10 for you: {REASON}" in pdf_text(response.content)


def row_text(page: str, marker: str) -> str:
    """The text of the table row that starts at `marker`, as a reader sees it."""
    fragment = page.split(marker)[1].split(">", 1)[1].split("</tr>")[0]
    return " ".join(html.unescape(strip_tags(fragment.replace("<", " <"))).split())


def test_the_release_preview_lists_a_groups_ungraded_submission_once(client, instructor, scored, project):
    Question.objects.create(assignment=project, number=1, title="Results", points=D(10))
    client.force_login(instructor.user)

    page = client.get(reverse("grades:release", args=[project.course.slug, project.key])).content.decode()

    ungraded = page.split('id="ungraded"')[1].split("</ul>")[0]
    assert ungraded.count("<li>") == 1
    assert "Alice Adams (alice)</a> <span class=\"muted\">for their group</span>: rubric: 0 of 1" in ungraded
