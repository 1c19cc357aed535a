"""Score provenance: an automatic source (autograder, rubric) never replaces a score a person decided;
overriding one needs a reason the page shows; only clearing the override hands the score back."""
from decimal import Decimal as D

import pytest
from django.urls import reverse

from coursesite.assignments.services import submission_make_active
from coursesite.audit.models import AuditEntry
from coursesite.autograding.services import autograder_score_sync
from coursesite.grades.forms.scores import EnteredPoints
from coursesite.grades.models import Score
from coursesite.grades.services.overrides import automatic_score_for
from coursesite.grades.services.scores import ScoreRefused, score_override_clear, scores_import
from coursesite.rubrics.models import RubricItem
from coursesite.rubrics.services import question_save, rubric_item_save
from tests.coursesite.regrades.conftest import (  # noqa: F401  (fixtures; the people are tests/world.py's)
    DAY, NOW, coding, finish_grading, frozen_clock, graded_coding, graded_pset, hand_in, pset, q1, q2, text_of,
)


def override(member, assignment, points, by, reason="copied solution, see the integrity case"):
    return scores_import(assignment=assignment, rows=[EnteredPoints(member.id, D(points))], by=by.user, now=NOW,
                         reason=reason)


def score_of(member, assignment) -> Score:
    return Score.objects.get(member=member, assignment=assignment)


def test_a_rubric_resave_keeps_the_score_a_ta_typed(graded_pset, pset, q1, alice, ta):
    override(alice, pset, "19", ta, reason="page 3 was missing from the scan")
    item = RubricItem.objects.get(question=q1, description="Sign error")
    rubric_item_save(question=q1, item=item, description="Sign error", points=D(-4), by=ta.user, now=NOW)
    question_save(assignment=pset, question=q1, number=1, title="Perceptron", points=D(9), by=ta.user, now=NOW)
    score = score_of(alice, pset)
    assert (score.points, score.source, score.reason) == (D(19), "staff", "page 3 was missing from the scan")


def test_without_an_override_a_rubric_resave_still_moves_the_score(graded_pset, pset, q1, alice, ta):
    item = RubricItem.objects.get(question=q1, description="Sign error")
    rubric_item_save(question=q1, item=item, description="Sign error", points=D(-4), by=ta.user, now=NOW)
    assert (score_of(alice, pset).points, score_of(alice, pset).source) == (D(12), "rubric")


def test_overriding_an_automatic_score_without_a_reason_is_refused(graded_pset, pset, alice, ta):
    with pytest.raises(ScoreRefused, match=r"would override the rubric: alice \(the rubric gave 13, you "
                                           r"entered 19\)\. Say why in “Reason”"):
        override(alice, pset, "19", ta, reason="  ")
    assert score_of(alice, pset).points == D(13)


def test_entering_the_automatic_score_again_needs_no_reason_and_changes_nothing(graded_pset, pset, alice, ta):
    saved = override(alice, pset, "13", ta, reason="")
    assert (saved.saved, saved.unchanged, score_of(alice, pset).source) == (0, 1, "rubric")


def test_an_autograder_rerun_keeps_the_instructors_zero(graded_coding, coding, alice, instructor):
    override(alice, coding, "0", instructor)
    autograder_score_sync(submission=graded_coding, now=NOW)
    assert (score_of(alice, coding).points, score_of(alice, coding).source) == (D(0), "staff")


def test_a_student_making_another_submission_active_keeps_the_instructors_zero(graded_coding, coding, alice,
                                                                              instructor):
    override(alice, coding, "0", instructor)
    later = hand_in(alice, coding, when=NOW - 14 * DAY - DAY, active=False)
    finish_grading(later, score=D(15))
    submission_make_active(submission=later)
    assert score_of(alice, coding).points == D(0)


def test_clearing_the_override_hands_the_score_back_to_the_autograder(graded_coding, coding, alice, instructor):
    override(alice, coding, "0", instructor)
    score = score_override_clear(member=alice, assignment=coding, automatic=automatic_score_for(alice, coding),
                                 by=instructor.user, now=NOW)
    assert (score.points, score.source, score.submission, score.reason) == (D(18), "autograder", graded_coding, "")
    entry = AuditEntry.objects.filter(kind="score", member=alice).first()
    assert (entry.who, entry.old_value, entry.new_value, entry.why) == (
        instructor.user, "0", "18", "override cleared; the autograder holds again")


def test_clearing_an_override_before_any_automatic_score_leaves_no_score(pset, q1, q2, alice, ta):
    hand_in(alice, pset)
    override(alice, pset, "15", ta)
    assert score_override_clear(member=alice, assignment=pset, automatic=automatic_score_for(alice, pset),
                                by=ta.user, now=NOW) is None
    assert not Score.objects.filter(member=alice, assignment=pset).exists()


def test_only_an_overridden_score_can_be_cleared(graded_coding, coding, alice, instructor):
    with pytest.raises(ScoreRefused, match="alice's score on HW1 coding is not overridden"):
        score_override_clear(member=alice, assignment=coding, automatic=None, by=instructor.user, now=NOW)


def test_the_history_keeps_the_reason_of_an_override(graded_coding, coding, alice, instructor):
    override(alice, coding, "0", instructor, reason="copied solution")
    entry = AuditEntry.objects.filter(kind="score", member=alice).first()
    assert (entry.old_value, entry.new_value, entry.why) == ("18", "0", "entered on the scores page: copied solution")


# The scores page.

def scores_url(assignment):
    return reverse("grades:scores", args=[assignment.course.slug, assignment.key])


def test_the_scores_page_says_who_overrode_a_score_when_and_why(client, graded_coding, coding, alice, instructor):
    override(alice, coding, "0", instructor, reason="copied solution")
    client.force_login(instructor.user)
    page = text_of(client.get(scores_url(coding)))
    assert ("Alice Adams (alice) 0 Overridden by Andrej Risteski on Wed Mar 10, 12:00 PM EST (copied solution); "
            "the autograder no longer changes it Clear override") in page


def test_the_scores_page_names_the_autograder_as_the_source(client, graded_coding, coding, alice, ta):
    client.force_login(ta.user)
    page = text_of(client.get(scores_url(coding)))
    assert f"Alice Adams (alice) 18 from the autograder (submission #{graded_coding.id})" in page
    assert "Clear override" not in page


def test_the_page_refuses_an_override_without_a_reason_and_saves_nothing(client, graded_coding, coding, alice, ta):
    client.force_login(ta.user)
    response = client.post(scores_url(coding), {f"score_{alice.id}": "25", "reason": ""})
    assert response.status_code == 400
    assert ("These scores would override the autograder: alice (the autograder gave 18, you entered 25). "
            "Say why in “Reason” (students see it beside the score); nothing was saved.") in text_of(response)
    assert score_of(alice, coding).points == D(18)


def test_staff_clear_an_override_from_the_scores_page(client, graded_coding, coding, alice, ta):
    client.force_login(ta.user)
    client.post(scores_url(coding), {f"score_{alice.id}": "25", "reason": "test 4 crashed on our side"})
    response = client.post(reverse("grades:score-override-clear", args=[coding.course.slug, coding.key, alice.id]),
                           follow=True)
    assert "Alice Adams's override is cleared: the autograder gives 18 points." in text_of(response)
    assert score_of(alice, coding).source == "autograder"


def test_an_override_drops_the_automatic_sources_comment(graded_pset, pset, alice, ta):
    assert score_of(alice, pset).comment.startswith("From the rubric")
    override(alice, pset, "19", ta, reason="page 3 was missing from the scan")
    assert score_of(alice, pset).comment == ""


def test_the_student_sees_why_staff_set_her_score(client, graded_pset, pset, alice, ta):
    override(alice, pset, "19", ta, reason="page 3 was missing from the scan")
    client.force_login(alice.user)
    page = text_of(client.get(reverse("courses:dashboard", args=[pset.course.slug])))
    assert "19 / 20 Set by the course staff: page 3 was missing from the scan" in page


def test_a_score_typed_before_the_autograder_has_one_needs_a_reason_too(coding, alice, instructor):
    # Once saved it holds against the autograder's result to come, so it is an override as well.
    with pytest.raises(ScoreRefused, match=r"would override the autograder: alice \(nothing from the autograder "
                                           r"yet, you entered 0\)"):
        override(alice, coding, "0", instructor, reason="")
    override(alice, coding, "0", instructor, reason="copied solution")
    assert score_of(alice, coding).reason == "copied solution"


def test_changing_an_override_needs_a_reason(graded_coding, coding, alice, instructor):
    override(alice, coding, "0", instructor, reason="copied solution")
    with pytest.raises(ScoreRefused, match=r"alice \(overridden before at 0, you entered 5\)"):
        override(alice, coding, "5", instructor, reason="")


def test_scores_of_work_no_automatic_source_scores_need_no_reason(alice, instructor, course):
    from tests.factories import AssignmentFactory

    exam = AssignmentFactory(course=course, exam=True, points=D(100))
    override(alice, exam, "72", instructor, reason="")
    assert (score_of(alice, exam).points, score_of(alice, exam).source) == (D(72), "staff")
