"""Who sees which scores and submissions: Score.objects.released_to and Submission.objects.visible_to are the
one owner of the rule, over the same definition of "released" as Assignment.grades_released, and the
student's pages, PDF report and release e-mail all read through them."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from coursesite.assignments.models import Assignment, Submission
from coursesite.audit.tasks import send_notification
from coursesite.grades.models import Score
from coursesite.grades.report import grade_report_get_for_student
from tests.coursesite.reports.support import pdf_text
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, ScoreFactory, SubmissionFactory
from tests.world import DAY, NOW, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def release(assignment, at=NOW - DAY):
    Assignment.objects.filter(pk=assignment.pk).update(grades_released_at=at)
    assignment.refresh_from_db()


@pytest.fixture
def scored(course_world):
    """Alice and Bob scored on both assignments; only Problem set 1's grades are released."""
    w = course_world
    release(w.pset)
    for member, points in ((w.member("alice"), D(91)), (w.member("bob"), D(62))):
        ScoreFactory(member=member, assignment=w.pset, points=points)
        ScoreFactory(member=member, assignment=w.coding, points=points - 1)
    return w


@pytest.fixture
def elsewhere(db):
    """Another course, whose student Dana has a released score and a submission."""
    other = AssignmentFactory(course=CourseFactory(slug="other"), grades_released_at=NOW - DAY)
    dana = MembershipFactory(course=other.course)
    ScoreFactory(member=dana, assignment=other, points=D(50))
    SubmissionFactory(member=dana, assignment=other)
    return other


@pytest.mark.parametrize("released_at", [None, NOW - DAY, NOW - timedelta(microseconds=1), NOW,
                                         NOW + timedelta(microseconds=1), NOW + DAY])
def test_the_sql_and_the_python_forms_of_released_agree(course_world, released_at):
    release(course_world.pset, released_at)

    in_sql = Assignment.objects.grades_released(NOW).filter(pk=course_world.pset.pk).exists()

    assert in_sql == course_world.pset.grades_released(NOW) == (released_at is not None and released_at <= NOW)


def test_a_student_sees_only_their_own_released_scores(scored):
    alice = scored.member("alice")

    seen = Score.objects.released_to(alice, NOW)

    assert [(s.member.user.username, s.assignment.key, s.points) for s in seen] == [("alice", "ps1", D(91))]


def test_a_student_sees_no_score_before_the_release_moment(scored):
    release(scored.pset, NOW + timedelta(minutes=1))

    assert not Score.objects.released_to(scored.member("alice"), NOW).exists()


def test_a_student_given_as_a_user_sees_the_same_scores(scored, elsewhere):
    alice = scored.member("alice")

    assert list(Score.objects.released_to(alice.user, NOW)) == list(Score.objects.released_to(alice, NOW))


def test_staff_see_every_score_of_their_course_released_or_not(scored, elsewhere):
    for username in ("abasu", "fjeffrey", "risteski"):
        seen = Score.objects.released_to(scored.member(username), NOW)
        assert {(s.member.user.username, s.assignment.key) for s in seen} == {
            ("alice", "ps1"), ("alice", "hw1-coding"), ("bob", "ps1"), ("bob", "hw1-coding")}


def test_staff_of_one_course_see_nothing_of_another(scored, elsewhere):
    risteski = scored.member("risteski").user

    assert not Score.objects.released_to(risteski, NOW).filter(assignment=elsewhere).exists()
    assert not Submission.objects.visible_to(risteski).filter(assignment=elsewhere).exists()


def test_a_staff_member_who_is_a_student_elsewhere_sees_only_their_own_there(scored, elsewhere):
    ta = scored.member("abasu")
    MembershipFactory(course=elsewhere.course, user=ta.user)
    ScoreFactory(member=ta.user.memberships.get(course=elsewhere.course), assignment=elsewhere, points=D(40))

    there = Score.objects.released_to(ta.user, NOW).filter(assignment=elsewhere)

    assert [s.points for s in there] == [D(40)]


def test_anonymous_visitors_see_no_score_and_no_submission(scored):
    assert not Score.objects.released_to(AnonymousUser(), NOW).exists()
    assert not Submission.objects.visible_to(AnonymousUser()).exists()


def test_a_student_sees_only_their_own_submissions(course_world, elsewhere):
    w = course_world
    mine = SubmissionFactory(member=w.member("alice"), assignment=w.pset)
    SubmissionFactory(member=w.member("bob"), assignment=w.pset)

    assert list(Submission.objects.visible_to(w.member("alice"))) == [mine]


def test_staff_see_every_submission_of_their_course_only(course_world, elsewhere):
    w = course_world
    ours = {SubmissionFactory(member=w.member(u), assignment=w.coding).id for u in ("alice", "bob")}

    assert set(Submission.objects.visible_to(w.member("abasu")).values_list("id", flat=True)) == ours


def test_the_students_report_holds_no_unreleased_score(scored):
    report = grade_report_get_for_student(scored.member("alice"), now=NOW)

    assert report.item(scored.pset).score.points == D(91)
    assert report.item(scored.coding).score is None


def test_the_pdf_report_prints_only_released_scores(client, scored):
    alice = scored.member("alice")
    client.force_login(alice.user)

    text = pdf_text(client.get(reverse("reports:student-pdf", args=[scored.course.slug, alice.id])).content)

    assert "91" in text
    assert "90" not in text                  # her unreleased 90 on HW1 coding


def test_the_release_email_says_whether_the_student_has_a_released_score(mailoutbox, scored):
    carol = person(scored.course, "dora")    # a student without a score
    send_notification("notify_grade_released_to_student", assignment_id=scored.pset.id,
                      member_id=scored.member("alice").id)
    send_notification("notify_grade_released_to_student", assignment_id=scored.pset.id, member_id=carol.id)

    to_alice, to_dora = mailoutbox
    assert "Your score is on your dashboard" in to_alice.body
    assert "You have no score for it; if you handed it in, ask the course staff." in to_dora.body


def test_no_release_email_goes_out_for_an_assignment_not_yet_released(mailoutbox, scored):
    sent = send_notification("notify_grade_released_to_student", assignment_id=scored.coding.id,
                             member_id=scored.member("alice").id)

    assert sent == 0 and mailoutbox == []
