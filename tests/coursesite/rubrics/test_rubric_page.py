"""The rubric page: the education associate and the instructor add and change questions and items."""
import html
import re
from decimal import Decimal as D

import pytest
from django.utils.html import strip_tags

from coursesite.grades.models import Score
from coursesite.rubrics.models import Question, RubricItem
from tests.coursesite.assignments.support import text_of
from tests.coursesite.rubrics.conftest import edit_url, grade, item
from tests.factories import AssignmentFactory


def item_row(page: str, rubric_item) -> str:
    """The text of the rubric page's row for one item (its description and points sit in input boxes)."""
    row = re.search(f'<tr id="item-{rubric_item.id}">(.*?)</tr>', page, re.DOTALL).group(1)
    return " ".join(html.unescape(strip_tags(row)).split())


@pytest.fixture
def editor_client(client, associate):
    client.force_login(associate.user)
    return client


def post_item(client, question, rubric_item=None, *, description, points):
    return client.post(edit_url(question.assignment), {
        "edit": "item", "question": question.id, "item": rubric_item.id if rubric_item else "",
        "description": description, "points": points,
    }, follow=True)


def test_the_education_associate_adds_a_question(editor_client, pset):
    response = editor_client.post(edit_url(pset), {"edit": "question", "number": "1", "title": "Perceptron",
                                                   "points": "10"}, follow=True)
    assert "Saved Question 1. Perceptron." in text_of(response)
    assert list(pset.questions.values_list("number", "title", "points")) == [(1, "Perceptron", D(10))]


def test_the_instructor_adds_a_deduction_to_a_questions_rubric(client, instructor, q1):
    client.force_login(instructor.user)
    response = post_item(client, q1, description="Forgot the bias term", points="-1.5")
    assert "Saved the rubric item “-1.5 Forgot the bias term”." in text_of(response)
    assert item(q1, "Forgot the bias term").points == D("-1.5")


def test_the_rubric_page_says_how_many_graded_answers_an_items_points_would_change(
        editor_client, submissions, q1, ta):
    grade(submissions[0], q1, "Sign error", by=ta)
    grade(submissions[1], q1, "Sign error", by=ta)
    page = editor_client.get(edit_url(q1.assignment)).content.decode()
    assert "2 graded answers will change if its points change." in item_row(page, item(q1, "Sign error"))
    assert "No graded answer uses it yet." in item_row(page, item(q1, "Partial derivation"))


def test_changing_an_items_points_reports_and_rewrites_the_graded_answers(editor_client, submissions, q1, ta, alice):
    grade(submissions[0], q1, "Correct update rule", "Sign error", by=ta)
    grade(submissions[1], q1, "Sign error", by=ta)
    response = post_item(editor_client, q1, item(q1, "Sign error"), description="Sign error", points="-2")
    assert "Saved the rubric item “-2 Sign error”. 2 graded answers changed." in text_of(response)
    assert Score.objects.get(member=alice, assignment=q1.assignment).points == D(8)


def test_a_question_worth_more_than_the_assignment_is_refused_on_the_page(editor_client, q1):
    response = editor_client.post(edit_url(q1.assignment), {"edit": "question", "number": "2", "title": "Big",
                                                             "points": "10.01"})
    assert response.status_code == 400
    assert "more than the 20 points Problem set 1 is worth" in text_of(response)
    assert q1.assignment.questions.count() == 1


def test_an_item_without_a_description_is_refused_and_nothing_changes(editor_client, q1):
    response = editor_client.post(edit_url(q1.assignment), {"edit": "item", "question": q1.id, "item": "",
                                                             "description": "", "points": "2"})
    assert response.status_code == 400
    assert "Item: Describe what the item is for." in text_of(response)
    assert RubricItem.objects.filter(question=q1).count() == 3


def test_an_item_of_another_assignment_cannot_be_changed_here(editor_client, course, q1):
    other = AssignmentFactory(course=course, key="ps2")
    foreign = RubricItem.objects.create(
        question=Question.objects.create(assignment=other, number=1, title="Other", points=D(5)),
        description="Elsewhere", points=D(1))
    response = editor_client.post(edit_url(q1.assignment), {"edit": "item", "question": q1.id, "item": foreign.id,
                                                             "description": "Hijacked", "points": "5"})
    assert response.status_code == 400
    assert "That rubric item is not part of this assignment." in text_of(response)
    foreign.refresh_from_db()
    assert (foreign.description, foreign.points) == ("Elsewhere", D(1))


def test_a_ta_may_grade_but_not_edit_the_rubric(client, ta, q1):
    client.force_login(ta.user)
    assert client.get(edit_url(q1.assignment)).status_code == 403
    response = client.post(edit_url(q1.assignment), {"edit": "question", "number": "2", "title": "T", "points": "1"})
    assert response.status_code == 403
    assert q1.assignment.questions.count() == 1


def test_coding_work_has_no_rubric_page(editor_client, course):
    coding = AssignmentFactory(course=course, coding=True)
    assert editor_client.get(edit_url(coding)).status_code == 404


def test_the_rubric_page_of_an_assignment_without_questions_offers_to_add_the_first(editor_client, course):
    fresh = AssignmentFactory(course=course, key="ps9")
    response = editor_client.get(edit_url(fresh))
    assert response.status_code == 200
    assert f"0 of {fresh.points:.0f} points in questions" in text_of(response)


@pytest.mark.parametrize(("who", "grade_link", "edit_link"), [("ta", True, False), ("instructor", True, True)])
def test_the_staff_assignment_page_links_to_rubric_grading_and_only_course_admins_to_editing(
    client, request, pset, who, grade_link, edit_link
):
    client.force_login(request.getfixturevalue(who).user)
    page = text_of(client.get(f"/courses/{pset.course.slug}/assignments/{pset.key}/"))
    assert ("Grade with the rubric" in page, "Edit the rubric" in page) == (grade_link, edit_link)


def test_coding_work_has_no_rubric_links(client, instructor, course):
    coding = AssignmentFactory(course=course, coding=True)
    client.force_login(instructor.user)
    page = text_of(client.get(f"/courses/{course.slug}/assignments/{coding.key}/"))
    assert "Grade with the rubric" not in page and "Edit the rubric" not in page
