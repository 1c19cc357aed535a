"""Staff score a group's work once on the scores page: every member gets the group's score, each member's
adjustment of their share stays on top of it, and students without a group keep their own box."""
import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.grades.models import Score
from coursesite.grades.services.group_scores import EnteredGroupPoints, group_scores_enter
from coursesite.grades.services.scores import ScoreRefused, score_adjust, score_set
from tests.coursesite.assignments.support import text_of
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, StudentGroupFactory
from tests.world import NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def milestone(course):
    """A project milestone scored by hand: no rubric, no autograder."""
    return AssignmentFactory(course=course, kind=Assignment.Kind.PROJECT, key="proposal", title="Proposal",
                             points=D(100), group_size=2, release_at=NOW - timedelta(days=20),
                             due_at=NOW - timedelta(days=2))


@pytest.fixture
def pair(milestone, alice, bob):
    return StudentGroupFactory(assignment=milestone, members=[alice, bob], created_at=NOW - timedelta(days=10))


def enter(assignment, group, points, by, **kwargs):
    return group_scores_enter(assignment=assignment, rows=[EnteredGroupPoints(group.id, D(points))], by=by.user,
                              now=NOW, **kwargs)


def points(assignment) -> dict[str, D]:
    return dict(Score.objects.filter(assignment=assignment).values_list("member__user__username", "points"))


# The service


def test_every_member_of_the_group_gets_the_groups_score(milestone, pair, ta):
    enter(milestone, pair, "85", ta)

    assert points(milestone) == {"alice": D(85), "bob": D(85)}


def test_a_members_adjustment_is_kept_when_the_group_is_scored_again(milestone, pair, bob, ta):
    enter(milestone, pair, "80", ta)
    score_adjust(member=bob, assignment=milestone, adjustment=D(-10), reason="missed two meetings", by=ta, now=NOW)

    enter(milestone, pair, "90", ta)

    bob_score = Score.objects.get(member=bob, assignment=milestone)
    assert (bob_score.points, bob_score.base_points, bob_score.adjustment) == (D(80), D(90), D(-10))
    assert points(milestone)["alice"] == D(90)


def test_an_adjustment_never_takes_a_member_below_zero(milestone, pair, bob, ta):
    enter(milestone, pair, "30", ta)
    score_adjust(member=bob, assignment=milestone, adjustment=D(-25), reason="did not contribute", by=ta, now=NOW)

    enter(milestone, pair, "10", ta)

    assert points(milestone)["bob"] == D(0)


def test_a_group_already_at_that_score_is_left_alone(milestone, pair, ta, other_ta):
    enter(milestone, pair, "85", ta)

    saved = enter(milestone, pair, "85", other_ta)

    assert (saved.groups, saved.students, saved.unchanged_groups) == (0, 0, 1)
    assert set(Score.objects.filter(assignment=milestone).values_list("entered_by", flat=True)) == {ta.user.id}


def test_one_bad_group_refuses_them_all(milestone, pair, carol, ta, course):
    other = StudentGroupFactory(assignment=milestone, members=[carol], created_at=NOW - timedelta(days=9))

    with pytest.raises(ScoreRefused, match=r"Above the maximum of 100 points .*the group of Carol Chen 120\. "
                                           r"Nothing was saved"):
        group_scores_enter(assignment=milestone, by=ta.user, now=NOW,
                           rows=[EnteredGroupPoints(pair.id, D(80)), EnteredGroupPoints(other.id, D(120))])

    assert points(milestone) == {}


def test_a_score_with_more_than_two_decimals_is_refused(milestone, pair, ta):
    with pytest.raises(ScoreRefused, match="at most 2 decimal places"):
        enter(milestone, pair, "80.125", ta)


def test_a_confirmed_score_above_the_maximum_is_saved(milestone, pair, ta):
    enter(milestone, pair, "105", ta, above_maximum_confirmed=True)

    assert points(milestone) == {"alice": D(105), "bob": D(105)}


def test_a_group_of_another_assignment_is_refused(milestone, course, carol, ta):
    elsewhere = AssignmentFactory(course=course, key="midway", title="Midway report", group_size=2)
    theirs = StudentGroupFactory(assignment=elsewhere, members=[carol])

    with pytest.raises(ScoreRefused, match=rf"Not groups of Proposal: group ids \[{theirs.id}\]"):
        enter(milestone, theirs, "80", ta)


def test_a_group_without_members_is_refused(milestone, ta):
    empty = StudentGroupFactory(assignment=milestone, members=[])

    with pytest.raises(ScoreRefused, match="has no students .* there is nobody to give its score to"):
        enter(milestone, empty, "80", ta)


def test_an_autograder_scored_group_needs_a_reason_to_override(course, alice, bob, ta):
    coding = AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding", points=D(30),
                               group_size=2)
    group = StudentGroupFactory(assignment=coding, members=[alice, bob])
    for student in (alice, bob):
        score_set(member=student, assignment=coding, points=D(18), by=None, now=NOW, why="autograder",
                  source=Score.Source.AUTOGRADER)

    with pytest.raises(ScoreRefused, match=r"would override the autograder: the group of Alice Adams and Bob Brown "
                                           r"\(the autograder gave 18, you entered 25\)\. Say why in “Reason”"):
        enter(coding, group, "25", ta)
    enter(coding, group, "25", ta, reason="test 4 crashed on our side")

    scores = Score.objects.filter(assignment=coding)
    assert {(s.points, s.source, s.reason) for s in scores} == {(D(25), "staff", "test 4 crashed on our side")}


def test_each_members_new_score_is_in_the_history_as_the_groups(milestone, pair, bob, ta):
    enter(milestone, pair, "80", ta)
    score_adjust(member=bob, assignment=milestone, adjustment=D(-10), reason="missed two meetings", by=ta, now=NOW)

    enter(milestone, pair, "90", ta)

    entry = AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=bob).first()
    assert (entry.old_value, entry.new_value) == ("70", "80")
    assert entry.why == ("entered for the group (Alice Adams and Bob Brown) on the scores page (the group's 90, "
                         "with this member's adjustment of −10: missed two meetings)")
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, why__startswith="entered for the group").count() == 4
# The page


def scores_url(assignment):
    return reverse("grades:scores", args=[assignment.course.slug, assignment.key])


def row_text(page: str, marker: str) -> str:
    """The text of the table row that starts at `marker`, as a reader sees it."""
    fragment = page.split(marker)[1].split(">", 1)[1].split("</tr>")[0]
    return " ".join(html.unescape(strip_tags(fragment.replace("<", " <"))).split())


def test_the_page_has_one_row_and_one_box_per_group(client, milestone, pair, alice, bob, ta):
    client.force_login(ta.user)

    page = client.get(scores_url(milestone)).content.decode()

    row = row_text(page, f'id="group-{pair.id}"')
    assert row.startswith("Alice Adams (alice) Bob Brown (bob) Alice Adams and Bob Brown")
    assert f'name="group_{pair.id}"' in page
    assert f'name="score_{alice.id}"' not in page and f'name="score_{bob.id}"' not in page


def test_the_group_row_shows_each_members_score_with_their_adjustment(client, milestone, pair, bob, ta):
    enter(milestone, pair, "80", ta)
    score_adjust(member=bob, assignment=milestone, adjustment=D(-10), reason="missed two meetings", by=ta, now=NOW)
    client.force_login(ta.user)

    row = row_text(client.get(scores_url(milestone)).content.decode(), f'id="group-{pair.id}"')

    assert "Bob Brown: 70" in row and "the group's 80, adjusted −10: missed two meetings" in row


def test_a_student_without_a_group_keeps_their_own_box(client, milestone, pair, carol, ta):
    client.force_login(ta.user)

    page = client.get(scores_url(milestone)).content.decode()

    assert row_text(page, f'id="score-{carol.id}"').startswith("Carol Chen (carol) no group")
    assert f'name="score_{carol.id}"' in page


def test_one_save_scores_every_group(client, milestone, pair, carol, ta):
    solo = StudentGroupFactory(assignment=milestone, members=[carol])
    client.force_login(ta.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "85", f"group_{solo.id}": "70"}, follow=True)

    assert points(milestone) == {"alice": D(85), "bob": D(85), "carol": D(70)}
    assert "Saved the scores of 2 groups (3 students)." in text_of(response)


def test_the_message_counts_groups_and_students_alone(client, milestone, pair, carol, ta):
    client.force_login(ta.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "85", f"score_{carol.id}": "60"}, follow=True)

    assert "Saved the scores of 1 group (2 students); 1 student alone." in text_of(response)
    assert points(milestone) == {"alice": D(85), "bob": D(85), "carol": D(60)}


def test_a_refused_save_keeps_nothing_and_says_why(client, milestone, pair, carol, ta):
    client.force_login(ta.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "85", f"score_{carol.id}": "160"})

    assert response.status_code == 400
    assert "Above the maximum of 100 points" in text_of(response)
    assert points(milestone) == {}


def test_a_group_box_that_is_not_a_number_is_marked(client, milestone, pair, ta):
    client.force_login(ta.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "eighty"})

    assert response.status_code == 400
    assert points(milestone) == {}


def test_a_student_cannot_open_the_group_entry(client, milestone, pair, alice):
    client.force_login(alice.user)

    assert client.get(scores_url(milestone)).status_code == 403


def test_a_student_cannot_score_their_group(client, milestone, pair, alice):
    client.force_login(alice.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "100"})

    assert response.status_code == 403 and points(milestone) == {}


def test_a_ta_of_another_course_does_not_find_the_page(client, milestone, pair):
    stranger = MembershipFactory(course=CourseFactory(slug="10601-f21"), role="ta")
    client.force_login(stranger.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "100"})

    assert response.status_code == 404 and points(milestone) == {}


def test_the_page_asks_for_a_reason_to_override_the_autograder_for_a_group(client, course, alice, bob, ta):
    coding = AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding", points=D(30),
                               group_size=2)
    group = StudentGroupFactory(assignment=coding, members=[alice, bob])
    for student in (alice, bob):
        score_set(member=student, assignment=coding, points=D(18), by=None, now=NOW, why="autograder",
                  source=Score.Source.AUTOGRADER)
    client.force_login(ta.user)

    response = client.post(scores_url(coding), {f"group_{group.id}": "25", "reason": ""})

    assert response.status_code == 400
    assert ("These scores would override the autograder: the group of Alice Adams and Bob Brown (the autograder "
            "gave 18, you entered 25). Say why in “Reason”") in text_of(response)
    assert points(coding) == {"alice": D(18), "bob": D(18)}


def test_saving_a_groups_score_again_says_nothing_changed(client, milestone, pair, ta):
    enter(milestone, pair, "85", ta)
    client.force_login(ta.user)

    response = client.post(scores_url(milestone), {f"group_{pair.id}": "85"}, follow=True)

    assert "Nothing changed. 1 group already had that score." in text_of(response)
