"""One member's adjustment of their share of a group's score: the refusals, the arithmetic, what keeps it
(the group's score changing, a regrade) and what replaces it (a staff entry), and the history."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.grades.csvscores import ScoreLine
from coursesite.grades.models import Score
from coursesite.grades.release import score_notes_for_assignment
from coursesite.grades.services.overrides import automatic_score_for
from coursesite.grades.services.scores import (
    ScoreRefused,
    score_adjust,
    score_override_clear,
    score_set,
    scores_import,
)
from coursesite.grades.sources import AutomaticScore
from coursesite.rubrics.models import Question, RubricItem
from coursesite.rubrics.services import question_grade_save
from tests.factories import AssignmentFactory, StudentGroupFactory, SubmissionFactory
from tests.world import NOW

RUBRIC = Score.Source.RUBRIC


@pytest.fixture
def project(course):
    return AssignmentFactory(course=course, kind=Assignment.Kind.PROJECT, key="project-final", title="Final report",
                             points=D(100), group_size=2, release_at=NOW - timedelta(days=20), due_at=NOW - timedelta(days=1))


@pytest.fixture
def group(project, alice, bob):
    return StudentGroupFactory(assignment=project, members=[alice, bob], created_at=NOW - timedelta(days=10))


@pytest.fixture
def handed_in(group, alice):
    return SubmissionFactory(member=alice, assignment=group.assignment, group=group, submitted_at=NOW - timedelta(days=2))


@pytest.fixture
def q1_graded(handed_in, project, ta):
    """The project's one rubric question graded 7 of 10 on the group's submission."""
    question = Question.objects.create(assignment=project, number=1, title="Results", points=D(10))
    item = RubricItem.objects.create(question=question, description="Mostly right", points=D(7))
    question_grade_save(submission=handed_in, question=question, items=[item], adjustment=D(0), comment="",
                        by=ta.user, now=NOW)


def group_scored(submission, points, source=RUBRIC):
    """What an automatic source does with the group's submission: the same points for every member."""
    for student in submission.students():
        score_set(member=student, assignment=submission.assignment, points=D(points), by=None, now=NOW,
                  why="rubric grading", source=source, submission=submission)


def points_of(member, assignment) -> D:
    return Score.objects.get(member=member, assignment=assignment).points


def test_an_adjustment_changes_only_that_members_points(handed_in, project, alice, bob, ta):
    group_scored(handed_in, 80)

    done = score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="did not contribute to part 2",
                        by=ta, now=NOW)

    assert (points_of(alice, project), points_of(bob, project)) == (D(80), D(70))
    assert done.describe() == ("Bob Brown: 80 → 70 (adjustment −10: did not contribute to part 2); "
                               "the group's score stays 80")


def test_an_adjustment_is_recorded_in_the_history(handed_in, project, bob, ta):
    group_scored(handed_in, 80)

    score_adjust(member=bob, assignment=project, adjustment=D(-5), reason="late on part 2", by=ta, now=NOW)

    entry = AuditEntry.objects.filter(member=bob, kind=AuditEntry.Kind.SCORE).latest("id")
    assert (entry.old_value, entry.new_value, entry.who) == ("80", "75", ta.user)
    assert entry.why == "adjustment of −5 for this member: late on part 2"


def test_an_adjustment_replaces_the_previous_one(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    score_adjust(member=bob, assignment=project, adjustment=D(-4), reason="part 2, after talking to him", by=ta, now=NOW)

    assert points_of(bob, project) == D(76)


def test_an_adjustment_of_zero_gives_the_member_the_groups_score_again(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    score_adjust(member=bob, assignment=project, adjustment=D(0), reason="he did part 2 after all", by=ta, now=NOW)

    score = Score.objects.get(member=bob, assignment=project)
    assert (score.points, score.adjustment, score.adjustment_reason) == (D(80), D(0), "")


def test_an_adjustment_is_kept_when_the_groups_score_changes(handed_in, project, alice, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    group_scored(handed_in, 90)

    assert (points_of(alice, project), points_of(bob, project)) == (D(90), D(80))
    why = AuditEntry.objects.filter(member=bob, kind=AuditEntry.Kind.SCORE).latest("id").why
    assert "the group's 90, with this member's adjustment of −10: part 2" in why


def test_a_score_held_at_zero_remembers_the_groups_score(handed_in, project, bob, ta):
    group_scored(handed_in, 5)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="did nothing", by=ta, now=NOW)
    assert points_of(bob, project) == D(0)

    group_scored(handed_in, 50)

    assert points_of(bob, project) == D(40)


def test_a_regrade_of_the_groups_score_keeps_the_adjustment(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    score_set(member=bob, assignment=project, points=D(85), by=ta.user, now=NOW, why="regrade request #1",
              source=Score.Source.REGRADE)

    assert points_of(bob, project) == D(75)


def test_a_staff_entry_replaces_the_members_score_adjustment_and_all(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    score_set(member=bob, assignment=project, points=D(60), by=ta.user, now=NOW, reason="redid the grading")

    score = Score.objects.get(member=bob, assignment=project)
    assert (score.points, score.adjustment, score.adjustment_reason) == (D(60), D(0), "")
    why = AuditEntry.objects.filter(member=bob, kind=AuditEntry.Kind.SCORE).latest("id").why
    assert "the adjustment of −10 (part 2) no longer applies" in why


def test_an_imported_score_replaces_the_adjustment(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)

    scores_import(assignment=project, rows=[ScoreLine(line=2, identifier="bob", member_id=bob.id, points=D(65))], by=ta.user, now=NOW,
                  reason="graded again by hand")

    score = Score.objects.get(member=bob, assignment=project)
    assert (score.points, score.adjustment) == (D(65), D(0))
    why = AuditEntry.objects.filter(member=bob, kind=AuditEntry.Kind.SCORE).latest("id").why
    assert "no longer applies" in why


def test_after_a_staff_entry_the_groups_new_score_is_not_adjusted(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)
    score_set(member=bob, assignment=project, points=D(60), by=ta.user, now=NOW, reason="redid the grading")

    score_set(member=bob, assignment=project, points=D(90), by=ta.user, now=NOW, why="regrade request #2",
              source=Score.Source.REGRADE)

    assert points_of(bob, project) == D(90)


@pytest.mark.parametrize("adjustment, reason, message", [
    (D(-10), "  ", "Say why Bob Brown's score differs from the group's"),
    (D(30), "extra work", "would be 110, above the maximum of 100 points"),
    (D(-101), "nothing", "at most the assignment's 100 points either way"),
    (D("0.001"), "tiny", "at most 2 decimal places"),
])
def test_an_adjustment_that_makes_no_sense_is_refused(handed_in, project, bob, ta, adjustment, reason, message):
    group_scored(handed_in, 80)

    with pytest.raises(ScoreRefused, match=message):
        score_adjust(member=bob, assignment=project, adjustment=adjustment, reason=reason, by=ta, now=NOW)
    assert points_of(bob, project) == D(80)


def test_nothing_is_adjusted_before_the_group_has_a_score(group, project, bob, ta):
    with pytest.raises(ScoreRefused, match="Nothing to adjust yet: Bob Brown has no score on Final report"):
        score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)


def test_only_group_work_takes_an_adjustment(course, bob, ta):
    alone = AssignmentFactory(course=course, title="Problem set 1", group_size=1)
    score_set(member=bob, assignment=alone, points=D(80), by=ta.user, now=NOW)

    with pytest.raises(ScoreRefused, match="Problem set 1 is not group work"):
        score_adjust(member=bob, assignment=alone, adjustment=D(-10), reason="part 2", by=ta, now=NOW)


def test_a_student_cannot_adjust_a_score(handed_in, project, alice, bob):
    group_scored(handed_in, 80)

    with pytest.raises(ScoreRefused, match="Only the course staff"):
        score_adjust(member=bob, assignment=project, adjustment=D(10), reason="I did it all", by=alice, now=NOW)


def test_without_an_adjustment_a_group_members_score_is_the_groups(handed_in, project, alice, bob):
    group_scored(handed_in, 80)
    group_scored(handed_in, 72)

    scores = Score.objects.filter(assignment=project)
    assert {(s.points, s.adjustment, s.group_points) for s in scores} == {(D(72), D(0), None)}


def test_clearing_a_members_override_gives_back_the_groups_automatic_score(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_set(member=bob, assignment=project, points=D(30), by=ta.user, now=NOW, reason="graded apart")

    score_override_clear(member=bob, assignment=project, automatic=AutomaticScore(
        points=D(80), comment="From the rubric.", source=RUBRIC, submission=handed_in), by=ta.user, now=NOW)

    assert points_of(bob, project) == D(80)


def test_the_automatic_score_of_a_member_who_did_not_upload_is_the_groups(handed_in, project, bob, q1_graded):
    automatic = automatic_score_for(bob, project)

    assert (automatic.points, automatic.submission) == (D(7), handed_in)


def test_clearing_a_regraded_score_keeps_the_members_adjustment(handed_in, project, bob, ta):
    group_scored(handed_in, 80)
    score_adjust(member=bob, assignment=project, adjustment=D(-10), reason="part 2", by=ta, now=NOW)
    score_set(member=bob, assignment=project, points=D(85), by=ta.user, now=NOW, why="regrade request #1",
              source=Score.Source.REGRADE)

    score_override_clear(member=bob, assignment=project, automatic=AutomaticScore(
        points=D(80), comment="From the rubric.", source=RUBRIC, submission=handed_in), by=ta.user, now=NOW)

    assert points_of(bob, project) == D(70)


def test_a_members_score_of_the_groups_submission_is_not_for_an_old_one(handed_in, project, alice, bob):
    group_scored(handed_in, 80)
    scores = {s.member_id: s for s in Score.objects.filter(assignment=project)}

    assert score_notes_for_assignment(project, scores, now=NOW) == {}
