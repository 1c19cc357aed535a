"""Grading one answer after another: the PDF beside the rubric, the next ungraded answer, progress, access."""
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from coursesite.people.models import Membership
from coursesite.rubrics.models import QuestionGrade
from coursesite.rubrics.selectors import next_ungraded_submission
from tests.coursesite.assignments.support import text_of
from tests.coursesite.rubrics.conftest import grade, grade_url, hand_in, item, next_url, progress_url
from tests.factories import CourseFactory, MembershipFactory, UserFactory


@pytest.fixture
def ta_client(client, ta):
    client.force_login(ta.user)
    return client


def post_grade(client, question, submission, *descriptions, adjustment="0", comment=""):
    data = {"items": [item(question, d).id for d in descriptions], "adjustment": adjustment, "comment": comment}
    return client.post(grade_url(question, submission), data)


def test_the_grade_page_shows_the_students_pdf_beside_the_rubric(ta_client, submissions, q1):
    response = ta_client.get(grade_url(q1, submissions[1]))
    pdf = submissions[1].files.get()
    inline = reverse("assignments:file-download", args=[submissions[1].id, pdf.id]) + "?inline=1#page=1"
    assert re.search(f'<iframe id="write-up"[^>]* src="{re.escape(inline)}"', response.content.decode())
    assert "1 +10 Correct update rule 2 -3 Sign error 3 +5 Partial derivation" in text_of(response)  # with their keys
    assert "Bob Brown (bob)" in text_of(response)


def test_the_framed_pdf_is_sent_inline_and_from_this_site_only(ta_client, submissions):
    pdf = submissions[0].files.get()
    response = ta_client.get(reverse("assignments:file-download", args=[submissions[0].id, pdf.id]) + "?inline=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="writeup.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]     # the same, for the CSP


def test_files_still_download_as_attachments_by_default(ta_client, submissions):
    pdf = submissions[0].files.get()
    response = ta_client.get(reverse("assignments:file-download", args=[submissions[0].id, pdf.id]))
    assert response["Content-Disposition"] == 'attachment; filename="writeup.pdf"'
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_ta_grades_an_answer_and_moves_on_to_the_next_ungraded_one(ta_client, submissions, q1, ta):
    response = post_grade(ta_client, q1, submissions[0], "Correct update rule", "Sign error", comment="Sign!")
    assert response.status_code == 302 and response["Location"] == grade_url(q1, submissions[1])
    stored = QuestionGrade.objects.get(submission=submissions[0], question=q1)
    assert (stored.score, stored.comment, stored.graded_by) == (D(7), "Sign!", ta.user)
    assert "Saved question 1 for Alice Adams." in text_of(ta_client.get(response["Location"]))


def test_grading_the_last_ungraded_answer_goes_back_to_progress_saying_all_are_graded(ta_client, submissions, q1, ta):
    grade(submissions[0], q1, "Sign error", by=ta)
    grade(submissions[2], q1, "Sign error", by=ta)
    response = post_grade(ta_client, q1, submissions[1], "Correct update rule")
    assert response["Location"] == progress_url(q1.assignment)
    assert "All graded for question 1." in text_of(ta_client.get(response["Location"]))


def test_grade_next_opens_the_first_ungraded_submission_by_id(ta_client, submissions, q1, ta):
    grade(submissions[0], q1, "Sign error", by=ta)
    response = ta_client.get(next_url(q1))
    assert response["Location"] == grade_url(q1, submissions[1])


def test_grade_next_with_nothing_left_goes_back_to_progress(ta_client, submissions, q1, ta):
    for submission in submissions:
        grade(submission, q1, "Sign error", by=ta)
    response = ta_client.get(next_url(q1), follow=True)
    assert response.redirect_chain[-1][0] == progress_url(q1.assignment)
    assert "All graded for question 1." in text_of(response)


def test_the_next_ungraded_after_the_last_submission_wraps_round_to_the_first(submissions, q1):
    assert next_ungraded_submission(q1, after=submissions[2]) == submissions[0]


def test_progress_counts_graded_and_to_grade_answers_per_question(ta_client, submissions, q1, q2, ta):
    grade(submissions[0], q1, "Sign error", by=ta)
    grade(submissions[1], q1, "Sign error", by=ta)
    grade(submissions[0], q2, "Correct gradients", by=ta)
    text = text_of(ta_client.get(progress_url(q1.assignment)))
    assert "1. Perceptron 10 2 of 3 1 Grade next" in text
    assert "2. Backpropagation 10 1 of 3 2 Grade next" in text


def test_a_newer_active_submission_is_to_be_graded_again(ta_client, submissions, q1, ta, alice):
    for submission in submissions:
        grade(submission, q1, "Sign error", by=ta)
    newer = hand_in(alice, q1.assignment, "second try")
    assert "1. Perceptron 10 2 of 3 1 Grade next" in text_of(ta_client.get(progress_url(q1.assignment)))
    assert ta_client.get(next_url(q1))["Location"] == grade_url(q1, newer)


def test_an_older_submission_is_not_graded(ta_client, submissions, q1, alice):
    hand_in(alice, q1.assignment, "second try")
    assert ta_client.get(grade_url(q1, submissions[0])).status_code == 404


def test_a_bad_adjustment_is_refused_on_the_page_and_nothing_is_saved(ta_client, submissions, q1):
    response = post_grade(ta_client, q1, submissions[0], "Correct update rule", adjustment="lots")
    assert response.status_code == 400
    assert "Adjustment: Enter the points as a number, e.g. 2 or -0.5." in text_of(response)
    assert not QuestionGrade.objects.exists()


def test_an_adjustment_larger_than_the_question_is_refused(ta_client, submissions, q1):
    response = post_grade(ta_client, q1, submissions[0], adjustment="-11")
    assert response.status_code == 400
    assert "The adjustment can be at most 10 points either way." in text_of(response)
    assert not QuestionGrade.objects.exists()


def test_another_questions_item_cannot_be_ticked(ta_client, submissions, q1, q2):
    response = ta_client.post(grade_url(q1, submissions[0]), {"items": [item(q2, "Correct gradients").id]})
    assert response.status_code == 400
    assert "Only this question's rubric items can be ticked." in text_of(response)
    assert not QuestionGrade.objects.exists()


@pytest.mark.parametrize("role", [Membership.Role.EDUCATION_ASSOCIATE, Membership.Role.INSTRUCTOR])
def test_every_member_of_staff_may_grade(client, course, submissions, q1, role):
    client.force_login(MembershipFactory(course=course, role=role).user)
    assert post_grade(client, q1, submissions[0], "Sign error").status_code == 302


def test_students_may_not_grade(client, submissions, q1, alice):
    client.force_login(alice.user)
    for response in (client.get(grade_url(q1, submissions[0])), post_grade(client, q1, submissions[0], "Sign error"),
                     client.get(next_url(q1)), client.get(progress_url(q1.assignment))):
        assert response.status_code == 403
    assert not QuestionGrade.objects.exists()


def test_another_courses_staff_get_404(client, submissions, q1):
    stranger = MembershipFactory(course=CourseFactory(), role=Membership.Role.INSTRUCTOR, user=UserFactory())
    client.force_login(stranger.user)
    assert client.get(grade_url(q1, submissions[0])).status_code == 404
    assert client.get(progress_url(q1.assignment)).status_code == 404


def test_a_question_of_another_assignment_is_not_found(ta_client, course, submissions, q1):
    from tests.factories import AssignmentFactory
    other = AssignmentFactory(course=course, key="ps2")
    url = reverse("rubrics:grade", args=[course.slug, other.key, q1.id, submissions[0].id])
    assert ta_client.get(url).status_code == 404


def test_grading_a_question_of_an_overridden_score_says_the_override_holds(ta_client, submissions, pset, q1, q2,
                                                                          alice, instructor):
    from coursesite.grades.forms.scores import EnteredPoints
    from coursesite.grades.services.scores import scores_import

    scores_import(assignment=pset, rows=[EnteredPoints(alice.id, D(12))], by=instructor.user,
                  now=submissions[0].submitted_at, reason="graded on paper")
    grade(submissions[0], q2, "Correct gradients", by=instructor)
    response = post_grade(ta_client, q1, submissions[0], "Correct update rule")
    page = text_of(ta_client.get(response["Location"]))
    assert (f"Their score on {pset.title} stays 12: {instructor.user.display_name} overrode it by hand "
            f"(graded on paper). Clear the override on the scores page to let the rubric set it.") in page
