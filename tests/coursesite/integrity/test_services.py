"""Opening, noting, deciding and telling a case: what each step writes, records and refuses."""
from decimal import Decimal as D

import pytest

from coursesite.audit.models import AuditEntry
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_set
from coursesite.integrity.models import Case
from coursesite.integrity.notify import notify_integrity_decision
from coursesite.integrity.services import CaseRefused, case_decide, case_note_add, case_open, case_tell_student
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory
from tests.world import NOW, person

from .conftest import autograde


def decide(case, w, decision="penalty", reason="Copied from another student.", points=D(20), by="risteski"):
    return case_decide(case=case, decision=decision, reason=reason, by=w.member(by), now=NOW,
                       penalty_points=points if decision == "penalty" else None)


def decide_and_tell(case, w, **decision):
    decide(case, w, **decision)
    return case_tell_student(case=case, by=w.member("risteski"), now=NOW)


def score_of(w, username):
    return Score.objects.get(member=w.member(username), assignment=w.coding)


def entries(case):
    return AuditEntry.objects.filter(kind=AuditEntry.Kind.INTEGRITY, subject__startswith=f"case {case.id}, ")


# Opening

def test_a_case_is_opened_on_a_pair_with_its_evidence(pair_case, graded):
    assert set(pair_case.students.all()) == {graded.member("alice"), graded.member("bob")}
    assert pair_case.status == Case.Status.OPEN and pair_case.told_student_at is None
    assert pair_case.evidence.startswith("similarity 0.93")


def test_opening_records_one_history_entry_per_student(pair_case, graded):
    assert sorted(e.member.user.username for e in entries(pair_case)) == ["alice", "bob"]
    entry = entries(pair_case).first()
    assert (entry.assignment, entry.who, entry.new_value) == (graded.coding, graded.member("risteski").user, "Open")
    assert "evidence: similarity 0.93" in entry.why


def test_a_case_may_be_about_one_student_and_the_course_as_a_whole(course_world):
    w = course_world
    case = case_open(course=w.course, students=[w.member("carol")], by=w.member("fjeffrey"), now=NOW)
    assert case.assignment is None and case.about == "the course as a whole"


def test_a_ta_may_not_open_a_case(course_world):
    w = course_world
    with pytest.raises(CaseRefused, match="Only the course's instructors and education associate handle"):
        case_open(course=w.course, students=[w.member("alice")], by=w.member("abasu"), now=NOW)


def test_a_case_on_a_student_of_another_course_is_refused(course_world):
    w = course_world
    stranger = MembershipFactory(course=CourseFactory(), user__username="zed")
    with pytest.raises(CaseRefused, match="zed is not a student of"):
        case_open(course=w.course, students=[w.member("alice"), stranger], by=w.member("risteski"), now=NOW)


def test_a_case_on_a_member_of_staff_is_refused(course_world):
    w = course_world
    with pytest.raises(CaseRefused, match="abasu is not a student of"):
        case_open(course=w.course, students=[w.member("abasu")], by=w.member("risteski"), now=NOW)


def test_a_case_on_three_students_is_refused(course_world):
    w = course_world
    with pytest.raises(CaseRefused, match="one student or a pair of students, not 3"):
        case_open(course=w.course, students=w.students, by=w.member("risteski"), now=NOW)


def test_a_pair_of_the_same_student_twice_is_refused(course_world):
    w = course_world
    with pytest.raises(CaseRefused, match="alice is named twice"):
        case_open(course=w.course, students=[w.member("alice")] * 2, by=w.member("risteski"), now=NOW)


def test_a_case_on_another_courses_assignment_is_refused(course_world):
    w = course_world
    elsewhere = AssignmentFactory(title="Elsewhere HW")
    with pytest.raises(CaseRefused, match="Elsewhere HW is not an assignment of"):
        case_open(course=w.course, students=[w.member("alice")], assignment=elsewhere, by=w.member("risteski"),
                  now=NOW)


# Notes

def test_a_note_is_added_and_recorded(pair_case, graded):
    note = case_note_add(case=pair_case, text="Met Alice: she says they studied together.",
                         by=graded.member("fjeffrey"), now=NOW)
    assert list(pair_case.notes.all()) == [note]
    assert entries(pair_case).filter(why="note added by Fiona Jeffrey").count() == 2


def test_an_empty_note_is_refused(pair_case, graded):
    with pytest.raises(CaseRefused, match="The note is empty"):
        case_note_add(case=pair_case, text="  ", by=graded.member("fjeffrey"), now=NOW)


# Deciding

def test_a_penalty_takes_the_points_off_each_students_own_score(pair_case, graded):
    decide_and_tell(pair_case, graded, points=D(20))
    assert (score_of(graded, "alice").points, score_of(graded, "bob").points) == (D(40), D(60))


def test_a_penalty_becomes_a_staff_override_with_the_reason(pair_case, graded):
    decide_and_tell(pair_case, graded, reason="Copied from another student.")
    score = score_of(graded, "alice")
    assert score.source == Score.Source.STAFF
    assert score.reason == "Academic-integrity penalty of 20 points: Copied from another student."


def test_the_autograder_does_not_replace_the_penalized_score(pair_case, graded):
    decide_and_tell(pair_case, graded, points=D(20))
    autograde(graded.member("alice"), graded.coding, D(15))      # she hands in again; the autograder gives 100
    assert score_of(graded, "alice").points == D(40)


def test_a_penalty_larger_than_a_students_score_leaves_zero(pair_case, graded):
    decide_and_tell(pair_case, graded, points=D(70))
    assert (score_of(graded, "alice").points, score_of(graded, "bob").points) == (D(0), D(10))


def test_a_decided_penalty_leaves_the_scores_alone_until_the_students_are_told(pair_case, graded):
    decide(pair_case, graded, points=D(20))
    assert (score_of(graded, "alice").points, score_of(graded, "alice").reason) == (D(60), "")

    case_tell_student(case=pair_case, by=graded.member("fjeffrey"), now=NOW)
    assert score_of(graded, "alice").points == D(40)


def test_a_penalty_is_taken_off_the_score_as_it_is_when_the_students_are_told(pair_case, graded):
    decide(pair_case, graded, points=D(20))
    autograde(graded.member("alice"), graded.coding, D(15))      # she hands in again before anyone is told
    case_tell_student(case=pair_case, by=graded.member("risteski"), now=NOW)
    assert score_of(graded, "alice").points == D(80)


def test_a_penalty_above_the_assignments_points_is_refused(pair_case, graded):
    with pytest.raises(CaseRefused, match=r"penalty of 101 points is more than HW1 coding is worth \(100 points\)"):
        decide(pair_case, graded, points=D(101))
    assert score_of(graded, "alice").points == D(60)


def test_a_penalty_needs_positive_points(pair_case, graded):
    with pytest.raises(CaseRefused, match="positive number of points"):
        decide(pair_case, graded, points=D(0))


def test_a_penalty_needs_an_assignment(course_world):
    w = course_world
    case = case_open(course=w.course, students=[w.member("alice")], by=w.member("risteski"), now=NOW)
    with pytest.raises(CaseRefused, match="A score penalty needs an assignment"):
        decide(case, w)


def test_a_penalty_on_a_student_with_no_score_is_refused_and_changes_nothing(graded):
    w = graded
    person(w.course, "dave")
    case = case_open(course=w.course, students=[w.member("alice"), w.course.memberships.get(user__username="dave")],
                     assignment=w.coding, by=w.member("risteski"), now=NOW)
    with pytest.raises(CaseRefused, match="dave has no score on HW1 coding yet"):
        decide(case, w)
    assert score_of(w, "alice").points == D(60)
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


def test_every_decision_needs_a_reason(pair_case, graded):
    with pytest.raises(CaseRefused, match="Say why you decided this"):
        decide(pair_case, graded, decision="no_action", reason=" ")


def test_points_are_refused_on_a_warning(pair_case, graded):
    with pytest.raises(CaseRefused, match="Only a score penalty takes points off"):
        case_decide(case=pair_case, decision="warning", reason="Careful.", by=graded.member("risteski"), now=NOW,
                    penalty_points=D(5))


def test_a_case_is_decided_once(pair_case, graded):
    decide(pair_case, graded, decision="warning")
    with pytest.raises(CaseRefused, match="already decided \\(warning\\) by Andrej Risteski; a decision is final"):
        decide(pair_case, graded, decision="referral")


def test_a_ta_may_not_decide(pair_case, graded):
    with pytest.raises(CaseRefused, match="Only the course's instructors and education associate"):
        decide(pair_case, graded, by="abasu")


def test_the_decision_is_recorded_per_student_with_its_reason(pair_case, graded):
    decide(pair_case, graded, points=D(20), reason="Copied from another student.")
    decided = entries(pair_case).filter(old_value="Open")
    assert sorted(e.member.user.username for e in decided) == ["alice", "bob"]
    assert {(e.new_value, e.why) for e in decided} == {("Score penalty of 20 points", "Copied from another student.")}


def test_the_penalty_is_recorded_as_a_score_change(pair_case, graded):
    decide_and_tell(pair_case, graded, points=D(20))
    change = AuditEntry.objects.get(kind=AuditEntry.Kind.SCORE, member=graded.member("alice"), new_value="40")
    assert change.why.startswith(f"academic-integrity case {pair_case.id}: Academic-integrity penalty of 20 points")


# Telling the students

def test_telling_records_when_and_by_whom(told_case, graded):
    assert (told_case.told_student_at, told_case.told_by) == (NOW, graded.member("risteski").user)
    assert entries(told_case).filter(new_value="told").count() == 2


def test_an_open_case_is_not_told(pair_case, graded):
    with pytest.raises(CaseRefused, match="Decide the case first"):
        case_tell_student(case=pair_case, by=graded.member("risteski"), now=NOW)


def test_students_are_told_once(told_case, graded):
    with pytest.raises(CaseRefused, match="already told, by Andrej Risteski on Wed Mar 10, 12:00 PM EST"):
        case_tell_student(case=told_case, by=graded.member("fjeffrey"), now=NOW)


def test_each_student_is_emailed_the_decision_after_the_commit(pair_case, graded, mailoutbox, notifications,
                                                               django_capture_on_commit_callbacks):
    decide(pair_case, graded, points=D(20), reason="Your hw1.py matches another student's.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_tell_student(case=pair_case, by=graded.member("risteski"), now=NOW)
    assert notifications.sent == []
    for callback in callbacks:
        callback()
    assert notifications.kinds() == ["notify_integrity_decision"] * 2
    notifications.deliver()
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {"alice@andrew.cmu.edu", "bob@andrew.cmu.edu"}
    body = mails["alice@andrew.cmu.edu"].body
    assert "Score penalty: 20 points off your score on HW1 coding" in body
    assert "Your hw1.py matches another student's." in body
    assert "bob" not in body.lower() and "similarity" not in body
    assert mails["alice@andrew.cmu.edu"].subject == "Academic integrity: a decision about your work on HW1 coding"


def test_deciding_sends_no_email(pair_case, graded, notifications, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(pair_case, graded, decision="warning")
    assert notifications.sent == []


def test_a_penalty_lowers_a_score_confirmed_above_the_maximum(pair_case, graded):
    w = graded
    score_set(member=w.member("alice"), assignment=w.coding, points=D(110), by=w.member("risteski").user, now=NOW,
              above_maximum_confirmed=True, reason="Bonus for the extra credit part.")
    decide_and_tell(pair_case, w, points=D(5))
    assert score_of(w, "alice").points == D(105)


def test_a_student_without_an_email_address_is_not_emailed(told_case, graded, mailoutbox, notifications):
    w = graded
    user = w.member("alice").user
    user.email = ""
    user.save()
    assert notify_integrity_decision(case_id=told_case.id, member_id=w.member("alice").id) == 0
    assert mailoutbox == []


def test_a_second_open_case_on_the_same_pair_and_assignment_is_refused(pair_case, graded):
    w = graded
    with pytest.raises(CaseRefused, match=f"Case {pair_case.id} on bob and alice about HW1 coding is still open"):
        case_open(course=w.course, students=[w.member("bob"), w.member("alice")], assignment=w.coding,
                  by=w.member("fjeffrey"), now=NOW)


def test_an_overlapping_pair_is_a_case_of_its_own(pair_case, graded):
    w = graded
    case = case_open(course=w.course, students=[w.member("alice"), w.member("carol")], assignment=w.coding,
                     by=w.member("fjeffrey"), now=NOW)
    assert case.id != pair_case.id


def test_a_new_case_may_follow_a_decided_one(pair_case, graded):
    w = graded
    decide(pair_case, w, decision="warning")
    again = case_open(course=w.course, students=[w.member("alice"), w.member("bob")], assignment=w.coding,
                      evidence=f"Appeal of case {pair_case.id}", by=w.member("fjeffrey"), now=NOW)
    assert again.is_open
