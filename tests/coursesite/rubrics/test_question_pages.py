"""Which pages answer which question: the rubric's pages set by the instructor, a student's choice on their
submission page (checked against their PDF, until the assignment closes), and the grading page opening
the PDF there, with its keyboard shortcuts."""
import re

import pytest
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.rubrics.models import QuestionPages
from tests.coursesite.assignments.support import text_of
from tests.coursesite.rubrics.conftest import edit_url, grade_url, hand_in_pages
from tests.factories import StudentGroupFactory
from tests.world import DAY, NOW


def detail_url(submission):
    return reverse("assignments:submission-detail", args=[submission.id])


def pages_url(submission):
    return reverse("assignments:question-pages", args=[submission.id])


def as_member(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def four_pages(pset, alice, q1, q2):
    """Alice's write-up of four pages."""
    return hand_in_pages(alice, pset, 4)


def post_pages(client, submission, **by_question):
    """post_pages(client, s, q1=(q1, "3-4")) -> the post of the form with those fields filled."""
    return client.post(pages_url(submission), {f"question_{q.id}": text for q, text in by_question.values()})


def iframe_src(response) -> str:
    return re.search(r'<iframe id="write-up"[^>]* src="([^"]*)"', response.content.decode()).group(1)


def test_the_instructor_saves_a_questions_pages_in_their_normal_form(client, instructor, q1):
    response = as_member(client, instructor).post(edit_url(q1.assignment), {
        "edit": "question", "question": q1.id, "number": "1", "title": q1.title, "points": "10", "pages": "4,3"})
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.pages == "3-4"


def test_the_rubric_page_refuses_page_zero_and_saves_nothing(client, instructor, q1):
    response = as_member(client, instructor).post(edit_url(q1.assignment), {
        "edit": "question", "question": q1.id, "number": "1", "title": q1.title, "points": "10", "pages": "0-2"})
    assert response.status_code == 400
    assert "Pages: Page 0 does not exist: pages start at 1." in text_of(response)
    q1.refresh_from_db()
    assert q1.pages == ""


def test_the_student_is_asked_which_pages_answer_each_question(client, alice, four_pages):
    page = text_of(as_member(client, alice).get(detail_url(four_pages)))
    assert "Which pages answer question 1? Perceptron" in page
    assert "Which pages answer question 2? Backpropagation" in page
    assert "Your PDF has 4 pages." in page


def test_the_student_saves_pages_for_some_questions_only(client, alice, four_pages, q1, q2):
    response = post_pages(as_member(client, alice), four_pages, a=(q1, "4, 2-3"), b=(q2, ""))
    assert response.status_code == 302 and response["Location"] == detail_url(four_pages)
    assert list(QuestionPages.objects.values_list("question", "pages", "chosen_by")) == [(q1.id, "2-4", alice.user.id)]
    assert "Saved which pages answer each question." in text_of(client.get(response["Location"]))


def test_a_page_past_the_end_of_the_students_pdf_is_refused(client, alice, four_pages, q1, q2):
    response = post_pages(as_member(client, alice), four_pages, a=(q1, "1"), b=(q2, "3-5"))
    assert response.status_code == 400
    assert ("Which pages answer question 2? Page 5 is past the end: the PDF has 4 pages."
            in text_of(response))
    assert not QuestionPages.objects.exists()


def test_an_empty_field_clears_the_students_earlier_choice(client, alice, four_pages, q1, q2):
    post_pages(as_member(client, alice), four_pages, a=(q1, "2"))
    post_pages(client, four_pages, a=(q1, ""))
    assert not QuestionPages.objects.exists()


def test_pages_cannot_change_once_the_assignment_closed_for_the_student(
        client, alice, four_pages, q1, q2, frozen_clock):
    post_pages(as_member(client, alice), four_pages, a=(q1, "2"))
    frozen_clock.move_to(NOW + 30 * DAY, tick=False)
    response = post_pages(as_member(client, alice), four_pages, a=(q1, "3"))     # signed in again: weeks later
    assert response.status_code == 400
    assert "so the pages of your answers can no longer change" in text_of(response)
    assert QuestionPages.objects.get().pages == "2"
    page = text_of(client.get(detail_url(four_pages)))
    assert "Question 1. Perceptron page 2" in page and "Save the pages" not in page


def test_a_member_of_the_group_who_did_not_upload_chooses_the_pages_too(client, pset, alice, bob, q1, q2):
    pset.group_size = 2
    pset.save()
    group = StudentGroupFactory(assignment=pset, members=[alice, bob])
    submission = hand_in_pages(bob, pset, 3)
    Submission.objects.filter(pk=submission.pk).update(group=group)
    response = post_pages(as_member(client, alice), submission, a=(q1, "3"))
    assert response.status_code == 302
    assert list(QuestionPages.objects.values_list("pages", "chosen_by")) == [("3", alice.user.id)]


def test_staff_see_the_students_pages_but_do_not_change_them(client, alice, ta, four_pages, q1, q2):
    post_pages(as_member(client, alice), four_pages, a=(q1, "2-3"))
    as_member(client, ta)
    page = text_of(client.get(detail_url(four_pages)))
    assert "Question 1. Perceptron pages 2-3 Question 2. Backpropagation not said" in page
    assert post_pages(client, four_pages, a=(q1, "4")).status_code == 403
    assert QuestionPages.objects.get().pages == "2-3"


def test_the_grading_page_opens_the_pdf_at_page_one_when_nobody_said_where(client, ta, four_pages, q1):
    response = as_member(client, ta).get(grade_url(q1, four_pages))
    assert iframe_src(response).endswith("?inline=1#page=1")
    assert "Nobody said which pages answer question 1: the PDF opens at page 1." in text_of(response)


def test_the_grading_page_opens_the_pdf_at_the_rubrics_pages(client, ta, four_pages, q2):
    q2.pages = "3-4"
    q2.save()
    response = as_member(client, ta).get(grade_url(q2, four_pages))
    assert iframe_src(response).endswith("?inline=1#page=3")
    assert "Question 2 is on pages 3-4 (the rubric's) · go to page 3 4" in text_of(response)


def test_the_students_pages_win_over_the_rubrics_on_the_grading_page(client, alice, ta, four_pages, q1, q2):
    q2.pages = "3-4"
    q2.save()
    post_pages(as_member(client, alice), four_pages, b=(q2, "2"))
    response = as_member(client, ta).get(grade_url(q2, four_pages))
    assert iframe_src(response).endswith("?inline=1#page=2")
    assert "Question 2 is on page 2 (the student's choice)" in text_of(response)


def test_the_jump_links_open_their_page_in_the_framed_pdf(client, ta, four_pages, q2):
    q2.pages = "2, 4"
    q2.save()
    page = as_member(client, ta).get(grade_url(q2, four_pages)).content.decode()
    pdf = four_pages.files.get()
    inline = reverse("assignments:file-download", args=[four_pages.id, pdf.id]) + "?inline=1"
    # Its own address per page: Chromium's viewer reads #page=N when it loads, not when only the fragment changes.
    assert f'<a href="{inline}&amp;page=4#page=4" target="write-up">4</a>' in page
    assert '<iframe id="write-up" name="write-up"' in page


def test_the_grading_page_shows_its_keys_and_loads_them_from_a_static_file(client, ta, four_pages, q1):
    response = as_member(client, ta).get(grade_url(q1, four_pages))
    assert "Keys: 1-3 rubric items · s or Ctrl+Enter save and next" in text_of(response)
    assert re.search(r'<script src="/static/coursesite/grading-keys\.js" defer>', response.content.decode())
