"""The only writers of academic-integrity cases.

Every step (open, note, decision, telling the students) adds one history entry per student of the case
(AuditEntry.Kind.INTEGRITY, subject "case N, <andrew id> ..."), in the same transaction. Each write locks the
case row first (`select_for_update()`), so two admins deciding one case at once take turns and the second is
refused instead of deciding it twice.

A decision is final: there is no reopening. The decision may already have changed scores and been told to the
students; undoing it silently would leave them with a reason that no longer holds. A wrong penalty is fixed on
the scores page (its own override, with its own reason and history entry), a later turn of events goes into a
note, and a new decision (after an appeal) is a new case that cites the old one in its evidence.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit
from coursesite.audit.services import audit_record
from coursesite.courses.models import Course
from coursesite.display import in_course_time
from coursesite.display import plain_number
from coursesite.grades.csvscores import CENT
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_set
from coursesite.integrity.models import Case, CaseNote
from coursesite.integrity.notify import notify_integrity_decision
from coursesite.people.models import Membership

log = logging.getLogger(__name__)


class CaseRefused(ValidationError):
    """The step can't be taken; the message says why, in words for the admin who tried."""

    def __str__(self) -> str:
        return self.message


def _check_admin(by: Membership, course: Course) -> None:
    if by.course_id != course.id or not by.is_course_admin:
        raise CaseRefused("Only the course's instructors and education associate handle academic-integrity cases.")


def _lock(case: Case) -> Case:
    # of=self: the assignment is a nullable join, and PostgreSQL locks no row of an outer join.
    return Case.objects.select_for_update(of=("self",)).select_related("course", "assignment").get(pk=case.pk)


def _record(case: Case, *, by: Membership, old: str | None, new: str | None, why: str) -> None:
    """One history entry per student of the case, named by the case's number so its page finds them."""
    for student in case.students.select_related("user"):
        about = f" on {case.assignment.title}" if case.assignment_id else " (the course as a whole)"
        audit_record(course=case.course, kind=AuditEntry.Kind.INTEGRITY, who=by.user, old=old, new=new, why=why,
                     member=student, assignment=case.assignment, subject=f"{case_subject(case)}{student.user.username}{about}")


def case_subject(case: Case) -> str:
    """The start of each history entry's subject: what the case page filters on ("case 1, " is not "case 12, ")."""
    return f"case {case.id}, "


@transaction.atomic
def case_open(*, course: Course, students: Sequence[Membership], assignment: Assignment | None = None,
              evidence: str = "", by: Membership, now: datetime) -> Case:
    """Open a case on one or two students of `course`, about `assignment` (None: the course as a whole).

    `evidence` is free text for staff (e.g. "similarity 0.93 between alice/hw1.py:12-30 and bob/hw1.py:40-58");
    a similarity page opens a case with its pair through this call.
    """
    _check_admin(by, course)
    students = list(students)
    if not 1 <= len(students) <= 2:
        raise CaseRefused(f"A case is about one student or a pair of students, not {len(students)}.")
    if len({s.id for s in students}) != len(students):
        raise CaseRefused(f"{students[0].user.username} is named twice: a pair is two different students.")
    for student in students:
        if student.course_id != course.id or student.role != Membership.Role.STUDENT:
            raise CaseRefused(f"{student.user.username} is not a student of {course}.")
    if assignment is not None and assignment.course_id != course.id:
        raise CaseRefused(f"{assignment.title} is not an assignment of {course}.")
    same = _open_case_on(course, students, assignment)
    if same is not None:
        raise CaseRefused(f"Case {same.id} on {' and '.join(s.user.username for s in students)} about {same.about} "
                          f"is still open: add a note there instead.")
    case = Case.objects.create(course=course, assignment=assignment, opened_by=by.user, opened_at=now,
                               evidence=evidence.strip())
    case.students.set(students)
    _record(case, by=by, old=None, new=Case.Status.OPEN.label,
            why=f"case opened by {by.user.display_name}" + (f"; evidence: {case.evidence}" if case.evidence else ""))
    log.info("integrity case %s opened by %s", case.id, by.user.username)
    return case


def _open_case_on(course: Course, students: list[Membership], assignment: Assignment | None) -> Case | None:
    """The open case on exactly these students and this assignment, if any (a pair in another pair is a case
    of its own: alice and bob, alice and carol)."""
    for case in Case.objects.filter(course=course, assignment=assignment, status=Case.Status.OPEN,
                                    students=students[0]).prefetch_related("students"):
        if {s.id for s in case.students.all()} == {s.id for s in students}:
            return case
    return None


@transaction.atomic
def case_note_add(*, case: Case, text: str, by: Membership, now: datetime) -> CaseNote:
    """Add a note (a meeting, what a student said); open and decided cases both take notes."""
    _check_admin(by, case.course)
    case = _lock(case)
    if not text.strip():
        raise CaseRefused("The note is empty: write what happened or what you found.")
    note = CaseNote.objects.create(case=case, author=by.user, at=now, text=text.strip())
    _record(case, by=by, old=None, new="note", why=f"note added by {by.user.display_name}")
    return note


def _penalized(score: Score | None, penalty: Decimal, who: str, assignment: Assignment) -> Decimal:
    if score is None:
        raise CaseRefused(f"{who} has no score on {assignment.title} yet, so there is nothing to take the penalty "
                          f"from. Decide once the work is graded; nothing was changed.")
    return max(score.points - penalty, Decimal(0))


@transaction.atomic
def case_decide(*, case: Case, decision: str, reason: str, by: Membership, now: datetime,
                penalty_points: Decimal | None = None) -> Case:
    """Decide an open case, once: no action, a warning, a score penalty, or a referral.

    A score penalty needs the case's assignment and points it can take off every student's score (checked here);
    the scores change only when the students are told (case_tell_student): a changed score, and the reason beside
    it, would tell a student before staff decided to. Every decision needs a reason; the students read it once
    they are told.
    """
    _check_admin(by, case.course)
    case = _lock(case)
    if not case.is_open:
        raise CaseRefused(f"Case {case.id} was already decided ({case.get_decision_display().lower()}) by "
                          f"{case.decided_by.display_name}; a decision is final. Add a note, or fix a score on "
                          f"the scores page.")
    if decision not in Case.Decision.values:
        raise CaseRefused(f"{decision!r} is not a decision a case can have.")
    reason = reason.strip()
    if not reason:
        raise CaseRefused("Say why you decided this: the students read the reason once you tell them.")
    if decision == Case.Decision.PENALTY:
        _check_penalty(case, penalty_points)
    elif penalty_points:
        raise CaseRefused(f"Only a score penalty takes points off; a {Case.Decision(decision).label.lower()} "
                          f"does not. Leave the points empty.")
    case.status, case.decision, case.decision_reason = Case.Status.DECIDED, decision, reason
    case.penalty_points = penalty_points if decision == Case.Decision.PENALTY else None
    case.decided_by, case.decided_at = by.user, now
    case.save(update_fields=["status", "decision", "decision_reason", "penalty_points", "decided_by", "decided_at"])
    label = case.get_decision_display()
    if case.penalty_points is not None:
        label += f" of {plain_number(case.penalty_points)} points"
    _record(case, by=by, old=Case.Status.OPEN.label, new=label, why=reason)
    log.info("integrity case %s decided (%s) by %s", case.id, decision, by.user.username)
    return case


def _check_penalty(case: Case, penalty_points: Decimal | None) -> list[tuple[Membership, Decimal]]:
    """Each student's score after the penalty; refuses the whole decision if any student can't take it."""
    assignment = case.assignment
    if assignment is None:
        raise CaseRefused("A score penalty needs an assignment, and this case is about the course as a whole. "
                          "Choose a warning or a referral, or open a case on the assignment.")
    if (not isinstance(penalty_points, Decimal) or not penalty_points.is_finite() or penalty_points <= 0
            or penalty_points != penalty_points.quantize(CENT)):
        raise CaseRefused(f"A score penalty takes a positive number of points off, with at most 2 decimal places, "
                          f"not {penalty_points}.")
    if penalty_points > assignment.points:
        raise CaseRefused(f"The penalty of {plain_number(penalty_points)} points is more than {assignment.title} is "
                          f"worth ({plain_number(assignment.points)} points).")
    scores = {s.member_id: s for s in Score.objects.filter(assignment=assignment, member__in=case.students.all())}
    return [(student, _penalized(scores.get(student.id), penalty_points, student.user.username, assignment))
            for student in case.students.select_related("user", "course")]


def _penalty_apply(case: Case, *, by: Membership, now: datetime) -> None:
    """Take the decided penalty off each student's score as it is now (checked again: it may have changed since the
    decision), as a staff override with the reason beside it: the autograder and the rubric no longer replace it."""
    for student, points in _check_penalty(case, case.penalty_points):
        # Confirmed above the maximum: a penalty only lowers a score, and one above the maximum was confirmed before.
        score_set(member=student, assignment=case.assignment, points=points, by=by.user, now=now,
                  above_maximum_confirmed=True, source=Score.Source.STAFF, why=f"academic-integrity case {case.id}",
                  reason=f"Academic-integrity penalty of {plain_number(case.penalty_points)} points: "
                         f"{case.decision_reason}")


@transaction.atomic
def case_tell_student(*, case: Case, by: Membership, now: datetime) -> Case:
    """Let the students of a decided case see its decision and reason on their integrity page, and e-mail them
    (after the commit, by the worker); a score penalty changes their scores now. Told once: the record says when
    and by whom."""
    _check_admin(by, case.course)
    case = _lock(case)
    if case.is_open:
        raise CaseRefused("Decide the case first: the students are told the decision and its reason.")
    if case.told_student_at is not None:
        raise CaseRefused(f"The students were already told, by {case.told_by.display_name} on "
                          f"{in_course_time(case.told_student_at, case.course)}.")
    if case.decision == Case.Decision.PENALTY:
        _penalty_apply(case, by=by, now=now)
    case.told_student_at, case.told_by = now, by.user
    case.save(update_fields=["told_student_at", "told_by"])
    _record(case, by=by, old=None, new="told", why=f"students told of the decision by {by.user.display_name}")
    for student in case.students.all():
        after_commit(notify_integrity_decision, case_id=case.id, member_id=student.id)
    return case
