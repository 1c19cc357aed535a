"""Regrades on group work: any member asks, one open request per group and part, the answer applies to every
member (each keeping their own adjustment) and every member is told; the members see the group's requests."""
from decimal import Decimal as D

import pytest
from django.utils import timezone

from coursesite.assignments.models import Submission
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_adjust, score_set
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, question_part
from coursesite.regrades.services import RegradeRefused, regrade_request_answer, regrade_request_open
from tests.coursesite.regrades.conftest import (
    NOW,
    answer_url,
    as_user,
    detail_url,
    grade,
    hand_in,
    open_url,
    queue_url,
    release,
    text_of,
)
from tests.factories import StudentGroupFactory


def ask(submission, member, part, why="Part 2 is right: see page 4."):
    return regrade_request_open(submission=submission, member=member, part=part, justification=why,
                                now=timezone.now())


def for_group(submission, *members):
    group = StudentGroupFactory(assignment=submission.assignment, members=list(members))
    Submission.objects.filter(pk=submission.pk).update(group=group)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def group_project(project, alice, bob, instructor):
    """Alice and Bob's proposal (Alice uploaded it), scored 40 of 50 for each; grades released."""
    project.group_size = 2
    project.save()
    submission = for_group(hand_in(alice, project), alice, bob)
    for member in (alice, bob):
        score_set(member=member, assignment=project, points=D(40), by=instructor.user, now=NOW,
                  source=Score.Source.REGRADE)      # as the group's score, which keeps adjustments
    release(project)
    return submission


@pytest.fixture
def group_pset(pset, q1, q2, alice, bob, ta):
    """Alice and Bob's problem set (Bob uploaded it), 13 of 20 from the rubric for each; grades released."""
    pset.group_size = 2
    pset.save()
    submission = for_group(hand_in(bob, pset), alice, bob)
    grade(submission, q1, "Correct update rule", "Sign error", by=ta)
    grade(submission, q2, "Chain rule set up", by=ta)
    release(pset)
    submission.refresh_from_db()        # its assignment, released
    return submission


def points(assignment) -> dict[str, D]:
    return dict(Score.objects.filter(assignment=assignment).values_list("member__user__username", "points"))


def answer(regrade_request, by, change, note="You are right."):
    return regrade_request_answer(regrade_request=regrade_request, by=by, note=note, score_change=change, now=NOW)


def test_a_member_who_did_not_upload_may_ask(group_project, bob):
    asked = ask(group_project, bob, WHOLE_ASSIGNMENT)

    assert (asked.member, asked.submission) == (bob, group_project)


def test_a_student_outside_the_group_may_not_ask(group_project, carol):
    with pytest.raises(RegradeRefused, match="Only the student who made the submission"):
        ask(group_project, carol, WHOLE_ASSIGNMENT)


def test_a_second_member_finds_the_groups_open_request(group_project, alice, bob):
    first = ask(group_project, alice, WHOLE_ASSIGNMENT)

    with pytest.raises(RegradeRefused, match=f"Alice Adams already asked for a regrade of the whole assignment of "
                                             f"Project proposal for your group \\(request #{first.id}\\)"):
        ask(group_project, bob, WHOLE_ASSIGNMENT)


def test_the_answer_on_the_whole_applies_to_every_member(group_project, project, bob, associate):
    asked = ask(group_project, bob, WHOLE_ASSIGNMENT)

    done = answer(asked, associate, D(5))

    assert points(project) == {"alice": D(45), "bob": D(45)}
    assert (done.old_score, done.new_score) == (D(40), D(45))


def test_the_answer_keeps_each_members_adjustment(group_project, project, alice, bob, ta, associate):
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="missed the meetings", by=ta, now=NOW)
    asked = ask(group_project, alice, WHOLE_ASSIGNMENT)

    answer(asked, associate, D(4))

    assert points(project) == {"alice": D(44), "bob": D(34)}


def test_a_question_answer_changes_the_groups_rubric_score_for_every_member(group_pset, pset, q2, alice, associate):
    asked = ask(group_pset, alice, question_part(q2))

    answer(asked, associate, D(2))

    assert points(pset) == {"alice": D(15), "bob": D(15)}


def test_every_member_is_emailed_the_answer(group_project, alice, bob, associate, mailoutbox, notifications,
                                            django_capture_on_commit_callbacks):
    asked = ask(group_project, alice, WHOLE_ASSIGNMENT)
    with django_capture_on_commit_callbacks(execute=True):
        answer(asked, associate, D(5), note="Part 2 was right.")
    notifications.deliver()

    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {"alice@andrew.cmu.edu", "bob@andrew.cmu.edu"}
    assert mails["bob@andrew.cmu.edu"].subject == "A regrade request on Project proposal for your group was answered"
    assert ("Alice Adams's request for your group on the whole assignment: Project proposal went from 40 to 45 of 50 "
            "points." in mails["bob@andrew.cmu.edu"].body)
    assert "Your request on the whole assignment" in mails["alice@andrew.cmu.edu"].body


def test_the_other_member_sees_the_request_and_its_answer(client, group_project, alice, bob, associate):
    asked = ask(group_project, alice, WHOLE_ASSIGNMENT)
    answer(asked, associate, D(5), note="Part 2 was right.")

    page = text_of(as_user(client, bob).get(detail_url(asked)))

    assert "Alice Adams, Bob Brown: the answer applies to every member · asked by Alice Adams" in page
    assert "Part 2 was right." in page


def test_the_other_member_sees_the_groups_requests_on_the_request_page(client, group_project, alice, bob):
    ask(group_project, alice, WHOLE_ASSIGNMENT)

    page = text_of(as_user(client, bob).get(open_url(group_project)))

    assert "The whole assignment (asked by Alice Adams)" in page


def test_a_student_outside_the_group_gets_404_for_its_request(client, group_project, alice, carol):
    asked = ask(group_project, alice, WHOLE_ASSIGNMENT)

    assert as_user(client, carol).get(detail_url(asked)).status_code == 404


def test_the_staff_queue_shows_the_group(client, group_project, alice, ta, course):
    ask(group_project, alice, WHOLE_ASSIGNMENT)

    page = text_of(as_user(client, ta).get(queue_url(course)))

    assert "Alice Adams (alice) for the group: Alice Adams, Bob Brown" in page


def test_the_answer_page_tells_the_staff_it_applies_to_the_group(client, group_project, alice, associate):
    asked = ask(group_project, alice, WHOLE_ASSIGNMENT)

    response = as_user(client, associate).post(answer_url(asked), {"action": "answer", "score_change": "5",
                                                                   "note": "Right."}, follow=True)

    assert ("Answered Alice Adams's regrade request. Project proposal: 40 → 45. It applies to the whole group "
            "(Alice Adams and Bob Brown); each of them is told." in text_of(response))
