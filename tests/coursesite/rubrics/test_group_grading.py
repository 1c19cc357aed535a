"""A group's write-up is graded once with the rubric, and every member of the group gets the score."""
from decimal import Decimal as D

import pytest

from coursesite.assignments.models import Submission
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_adjust, score_set
from coursesite.rubrics.models import QuestionGrade
from coursesite.rubrics.services import rubric_item_save
from tests.coursesite.assignments.support import text_of
from tests.coursesite.rubrics.conftest import grade, grade_url, hand_in, item
from tests.factories import StudentGroupFactory
from tests.world import NOW


@pytest.fixture
def group_work(pset):
    pset.group_size = 2
    pset.save()
    return pset


@pytest.fixture
def group(group_work, alice, bob):
    return StudentGroupFactory(assignment=group_work, members=[alice, bob])


@pytest.fixture
def handed_in(group, bob):
    """Bob uploads the group's write-up."""
    submission = hand_in(bob, group.assignment, "our write-up")
    Submission.objects.filter(pk=submission.pk).update(group=group)
    submission.refresh_from_db()
    return submission


def points(assignment) -> dict[str, D]:
    return dict(Score.objects.filter(assignment=assignment).values_list("member__user__username", "points"))


def test_grading_the_groups_submission_once_scores_every_member(handed_in, q1, q2, ta):
    grade(handed_in, q1, "Correct update rule", "Sign error", by=ta)
    grade(handed_in, q2, "Chain rule set up", by=ta)

    assert points(q1.assignment) == {"alice": D(11), "bob": D(11)}
    assert QuestionGrade.objects.filter(submission=handed_in).count() == 2


def test_a_rubric_change_rescores_every_member_and_keeps_an_adjustment(handed_in, q1, q2, ta, instructor, bob):
    grade(handed_in, q1, "Correct update rule", by=ta)
    grade(handed_in, q2, "Chain rule set up", by=ta)
    score_adjust(member=bob, assignment=q1.assignment, adjustment=D(-4), reason="missed the meetings", by=ta, now=NOW)

    rubric_item_save(question=q2, item=item(q2, "Chain rule set up"), description="Chain rule set up", points=D(6),
                     by=instructor.user, now=NOW)

    assert points(q1.assignment) == {"alice": D(16), "bob": D(12)}


def test_a_members_override_holds_against_the_rubric_while_the_other_gets_its_score(handed_in, q1, q2, ta, alice):
    score_set(member=alice, assignment=q1.assignment, points=D(3), by=ta.user, now=NOW, reason="graded by hand")

    grade(handed_in, q1, "Correct update rule", by=ta)
    grade(handed_in, q2, "Chain rule set up", by=ta)

    assert points(q1.assignment) == {"alice": D(3), "bob": D(14)}


def test_the_grade_page_says_who_the_group_is_and_who_uploaded(client, ta, handed_in, q1):
    client.force_login(ta.user)

    page = text_of(client.get(grade_url(q1, handed_in)))

    assert ("Group work: scored for each of Alice Adams (alice), Bob Brown (bob); uploaded by Bob Brown (bob)."
            in page)


def test_saving_a_groups_answer_names_the_group(client, ta, handed_in, q1):
    client.force_login(ta.user)

    response = client.post(grade_url(q1, handed_in), {"items": [item(q1, "Sign error").id], "adjustment": "0",
                                                      "comment": ""}, follow=True)

    assert "Saved question 1 for the group of Alice Adams and Bob Brown." in text_of(response)
