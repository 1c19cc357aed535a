"""The only writers of regrade requests: open, take, answer, decline.

    open --take--> taken --answer--> answered
                         --decline-> declined

Taking is first come, first served (a conditional update): a request someone else took is not
taken again. The member of staff who took a request answers or declines it; the education
associate and the instructor may answer any waiting request, taken or not.

Opening locks the student's membership row, so two requests on one part can't both be opened;
the partial unique constraints back that up. Answering locks the assignment's row first, the lock
the score and rubric services take, then the request's row, so a request is answered once and its
score change can't interleave with other grading of the assignment. A change of score goes through
the rubric (the question grade's adjustment, then the rubric's score sync) or through `score_set`,
which record it in the history; the student is e-mailed after the commit.
"""
from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from coursesite.assignments.models import Assignment, StudentGroup, Submission
from coursesite.audit.notify import after_commit, site_link
from coursesite.regrades.notify import notify_regrade_answered
from coursesite.display import in_course_time, plain_number
from coursesite.grades.models import Score
from coursesite.grades.services.scores import ScoreRefused, score_set
from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, Part, part_of_request
from coursesite.regrades.selectors import (
    part_score,
    question_grade_of,
    request_part_score,
    regrade_window_closes_at,
    totals_hidden_from_student,
)
from coursesite.rubrics.scoring import question_score
from coursesite.rubrics.services import RubricRefused, question_grade_save

log = logging.getLogger(__name__)
ZERO = Decimal(0)


class RegradeRefused(Exception):
    """The request, taking or answer can't be made as asked; the message says why."""


def _already_open(part: Part, assignment: Assignment) -> str:
    return (f"You already have an open regrade request on {part.label[0].lower()}{part.label[1:]} of "
            f"{assignment.title}; the course staff will answer it first.")


def _already_open_for_group(part: Part, assignment: Assignment, found: RegradeRequest, member: Membership) -> str:
    if found.member_id == member.id:
        return _already_open(part, assignment)
    return (f"{found.member.user.display_name} already asked for a regrade of {part.label[0].lower()}{part.label[1:]} "
            f"of {assignment.title} for your group (request #{found.id}); the course staff will answer it first, "
            f"and the answer applies to the whole group.")


def _check_window(assignment: Assignment, now: datetime) -> None:
    """Refuse before the assignment's grades are released and after the course's regrade window."""
    if not assignment.grades_released(now):
        raise RegradeRefused(f"Grades for {assignment.title} are not released yet; "
                             f"you can ask for a regrade once they are.")
    closes = regrade_window_closes_at(assignment)
    if now > closes:
        closed = in_course_time(closes, assignment.course)
        raise RegradeRefused(f"Regrade requests for {assignment.title} closed on {closed}.")


def check_may_open(*, submission: Submission, member: Membership, now: datetime) -> None:
    """Refuse (with the reason) a request the student can't make on this submission now: the student who made
    it, or any member of the group it was handed in for, may ask."""
    if member.role != Membership.Role.STUDENT or not submission.counts_for(member):
        raise RegradeRefused("Only the student who made the submission (or a member of its group) can ask for a "
                             "regrade of it.")
    _check_window(submission.assignment, now)
    if not Submission.objects.filter(pk=submission.pk, is_active=True).exists():
        raise RegradeRefused("Only your graded (active) submission can be regraded, and this one is not it.")


def check_may_open_exam(*, assignment: Assignment, member: Membership, now: datetime) -> None:
    """Refuse (with the reason) a request the student can't make now on work scored without a submission."""
    if member.role != Membership.Role.STUDENT or member.course_id != assignment.course_id:
        raise RegradeRefused("Only a student of the course can ask for a regrade of their score.")
    if assignment.accepts_uploads:
        raise RegradeRefused(f"Ask for a regrade of {assignment.title} from the page of your graded submission.")
    _check_window(assignment, now)


def _create_request(*, member: Membership, assignment: Assignment, submission: Submission | None, part: Part,
                    justification: str, now: datetime) -> RegradeRequest:
    """The checks every request shares, then the row; the caller holds the membership's lock."""
    if not justification.strip():
        raise RegradeRefused("Say why you think the grade is wrong.")
    score = part_score(part, member_id=member.id, assignment_id=assignment.id, submission=submission)
    if score is None:
        raise RegradeRefused(f"{part.label} of {assignment.title} has no grade yet to regrade.")
    waiting = RegradeRequest.objects.filter(assignment=assignment, question=part.question, test_name=part.test_name,
                                            status__in=RegradeRequest.WAITING)
    if submission is not None and submission.group_id:
        # One request per group and part: a second member finds the first one's request, not a second queue entry.
        open_for_group = waiting.filter(submission__group_id=submission.group_id).select_related("member__user").first()
        if open_for_group is not None:
            raise RegradeRefused(_already_open_for_group(part, assignment, open_for_group, member))
    if waiting.filter(member=member).exists():
        raise RegradeRefused(_already_open(part, assignment))
    try:
        with transaction.atomic():
            created = RegradeRequest.objects.create(
                submission=submission, member=member, assignment=assignment, question=part.question,
                test_name=part.test_name, justification=justification.strip(), opened_at=now,
            )
    except IntegrityError:      # the constraint: the membership lock makes this unreachable in practice
        raise RegradeRefused(_already_open(part, assignment)) from None
    log.info("regrade request %s by %s on %s (%s)", created.id, member.user.username, assignment.key, part.key)
    return created


@transaction.atomic
def regrade_request_open(
    *, submission: Submission, member: Membership, part: Part, justification: str, now: datetime
) -> RegradeRequest:
    """Open a request on one part of the student's (or their group's) released grade, within the course's regrade
    window. A group's requests serialize on the group's row, so two members can't both open one on a part."""
    if submission.group_id:
        StudentGroup.objects.select_for_update().only("id").get(pk=submission.group_id)
    Membership.objects.select_for_update().get(pk=member.pk)
    check_may_open(submission=submission, member=member, now=now)
    return _create_request(member=member, assignment=submission.assignment, submission=submission, part=part,
                           justification=justification, now=now)


@transaction.atomic
def exam_regrade_request_open(
    *, assignment: Assignment, member: Membership, justification: str, now: datetime
) -> RegradeRequest:
    """Open a request on the student's released score of an exam (work with no submission), as a whole."""
    Membership.objects.select_for_update().get(pk=member.pk)
    check_may_open_exam(assignment=assignment, member=member, now=now)
    return _create_request(member=member, assignment=assignment, submission=None, part=WHOLE_ASSIGNMENT,
                           justification=justification, now=now)


def _finished_message(regrade_request: RegradeRequest) -> str:
    who = regrade_request.answered_by.display_name if regrade_request.answered_by_id else "the course staff"
    when = in_course_time(regrade_request.answered_at, regrade_request.assignment.course)
    return f"This request was already {regrade_request.get_status_display().lower()} by {who} on {when}."


def _taken_by_someone_else(regrade_request: RegradeRequest) -> str:
    return (f"{regrade_request.handled_by.display_name} already took this request; only they, the education "
            f"associate or the instructor can answer it.")


@transaction.atomic
def regrade_request_take(*, regrade_request: RegradeRequest, by: Membership, now: datetime) -> RegradeRequest:
    """The member of staff `by` takes the open request (taking one's own again changes nothing)."""
    if not by.is_staff_role or by.course_id != regrade_request.assignment.course_id:
        raise RegradeRefused("Only the course staff take regrade requests.")
    RegradeRequest.objects.filter(pk=regrade_request.pk, status=RegradeRequest.Status.OPEN).update(
        status=RegradeRequest.Status.TAKEN, handled_by=by.user)
    regrade_request.refresh_from_db()
    if regrade_request.status in RegradeRequest.FINISHED:
        raise RegradeRefused(_finished_message(regrade_request))
    if regrade_request.handled_by_id != by.user_id:
        raise RegradeRefused(_taken_by_someone_else(regrade_request))
    log.info("regrade request %s taken by %s at %s", regrade_request.id, by.user.username, now.isoformat())
    return regrade_request


def may_answer(regrade_request: RegradeRequest, member: Membership) -> bool:
    """The taker answers; the education associate and the instructor may answer any waiting request."""
    if member.role in Membership.ADMIN_ROLES:
        return True
    return (member.is_staff_role and regrade_request.status == RegradeRequest.Status.TAKEN
            and regrade_request.handled_by_id == member.user_id)


def who_may_answer(regrade_request: RegradeRequest) -> str:
    if regrade_request.status == RegradeRequest.Status.OPEN:
        return ("Take this request before answering it: the member of staff who took it, the education associate "
                "or the instructor answers it.")
    return _taken_by_someone_else(regrade_request)


def _lock_waiting(regrade_request: RegradeRequest, by: Membership) -> RegradeRequest:
    """The request's row, locked after its assignment's; refused unless waiting and `by` may answer it."""
    Assignment.objects.select_for_update().only("id").get(pk=regrade_request.assignment_id)
    locked = (RegradeRequest.objects.select_for_update(of=("self",))
              .select_related("assignment__course", "member__user", "question", "submission", "handled_by",
                              "answered_by")
              .get(pk=regrade_request.pk))
    if locked.status in RegradeRequest.FINISHED:
        raise RegradeRefused(_finished_message(locked))
    if by.course_id != locked.assignment.course_id or not by.is_staff_role:
        raise RegradeRefused("Only the course staff answer regrade requests.")
    if not may_answer(locked, by):
        raise RegradeRefused(who_may_answer(locked))
    return locked


def _change_question(locked: RegradeRequest, change: Decimal, by: Membership, now: datetime) -> tuple[Decimal, Decimal]:
    """Move the question grade's adjustment by `change` (so it outlives rubric edits); the rubric re-syncs the Score."""
    grade = question_grade_of(locked.submission, part_of_request(locked))
    question = locked.question
    if grade is None:
        raise RegradeRefused(f"Question {question.number} of this submission has no grade to change.")
    old = grade.score
    items = list(grade.items.all())
    new = question_score((item.points for item in items), grade.adjustment + change, question.points)
    if new - old != change:
        raise RegradeRefused(
            f"Question {question.number} would go from {plain_number(old)} to {plain_number(new)} points, not "
            f"{plain_number(old + change)}: a question's score stays between 0 and its "
            f"{plain_number(question.points)} points.")
    try:
        question_grade_save(submission=locked.submission, question=question, items=items,
                            adjustment=grade.adjustment + change, comment=grade.comment, by=by.user, now=now,
                            why=f"regrade request #{locked.id}")
    except RubricRefused as refusal:
        raise RegradeRefused(str(refusal)) from refusal
    return old, new


def _change_score(locked: RegradeRequest, change: Decimal, confirmed: bool, by: Membership,
                  now: datetime) -> tuple[Decimal, Decimal]:
    """Move the assignment Score by `change`: the student's, or on a group's submission each member's (the group's
    score; a member's own adjustment stays on top of it, score_set). Never below 0, above the maximum only if
    confirmed. Returns the asking student's score before and after, less their adjustment (the group's)."""
    assignment, student = locked.assignment, locked.member
    students = locked.submission.students() if locked.submission_id else [student]
    students += [] if any(s.id == student.id for s in students) else [student]
    scores = {s.member_id: s for s in Score.objects.filter(assignment=assignment, member__in=students)}
    if student.id not in scores:
        raise RegradeRefused(f"{student.user.display_name} has no score on {assignment.title} to change.")
    for member in students:
        score = scores.get(member.id)
        if score is None:
            continue            # a member with no score yet (joined after the grading): nothing to move
        old, new = score.base_points, score.base_points + change
        whose = "The score" if member.id == student.id else f"{member.user.display_name}'s score"
        if new < 0:
            raise RegradeRefused(f"{whose} can't go below 0: {plain_number(old)} − {plain_number(-change)} would be "
                                 f"{plain_number(new)}.")
        if new > assignment.points and not confirmed:
            raise RegradeRefused(f"{plain_number(new)} is above the maximum of {plain_number(assignment.points)} "
                                 f"points for {assignment.title}; tick the box to confirm a score above the maximum.")
    for member in students:
        score = scores.get(member.id)
        if score is None:
            continue
        # The autograder's score counts the regrades answered on its submission (autograder_score), so a
        # regrade keeps it the autograder's; any other score becomes the regrade's, which no automatic source replaces.
        keeps_autograder = score.source == Score.Source.AUTOGRADER and score.submission_id == locked.submission_id
        try:
            score_set(member=member, assignment=assignment, points=score.base_points + change, by=by.user, now=now,
                      above_maximum_confirmed=confirmed, why=f"regrade request #{locked.id}",
                      source=Score.Source.AUTOGRADER if keeps_autograder else Score.Source.REGRADE,
                      submission=score.submission if keeps_autograder else None)
        except ScoreRefused as refusal:
            raise RegradeRefused(str(refusal)) from refusal
    asked = scores[student.id]
    return asked.base_points, asked.base_points + change


def finish(locked: RegradeRequest, *, status: str, note: str, change: Decimal, old: Decimal | None,
           new: Decimal | None, by: Membership, now: datetime) -> RegradeRequest:
    if locked.handled_by_id is None:
        locked.handled_by = by.user     # answered without being taken (education associate, instructor)
    locked.status, locked.answer, locked.score_change = status, note, change
    locked.old_score, locked.new_score = old, new
    locked.answered_by, locked.answered_at = by.user, now
    locked.save()
    # On a group's submission the answer is every member's: each is told, the others as of a request made for them.
    students = locked.submission.students() if locked.submission_id and locked.submission.group_id else []
    told = [locked.member_id] + [m.id for m in students if m.id != locked.member_id]
    for member_id in told:
        asked_by = "" if member_id == locked.member_id else locked.member.user.display_name
        after_commit(notify_regrade_answered, member_id=member_id, assignment_id=locked.assignment_id,
                     answer=_answer_for_student(locked, now=now, asked_by=asked_by),
                     link=site_link("regrades:detail", locked.id), asked_by=asked_by)
    log.info("regrade request %s %s by %s (%s)", locked.id, status, by.user.username, locked.signed_change)
    return locked


def _answer_for_student(regrade_request: RegradeRequest, *, now: datetime, asked_by: str = "") -> str:
    """The answer as the e-mail tells it: what happened to the score, then the staff's note. `asked_by`: the
    group member who asked, for the group's other members."""
    part = regrade_request.part_label
    whose = f"{asked_by}'s request for your group" if asked_by else "Your request"
    if regrade_request.status == RegradeRequest.Status.DECLINED:
        outcome = f"{whose} on {part} was declined; the score is unchanged."
    elif totals_hidden_from_student(regrade_request, now):
        outcome = (f"{whose} on {part}: {regrade_request.signed_change} points on {regrade_request.scored_part} "
                   f"(its total is shown after the due date).")
    else:
        outcome = (f"{whose} on {part}: {regrade_request.scored_part} went from "
                   f"{plain_number(regrade_request.old_score)} to {plain_number(regrade_request.new_score)} "
                   f"of {plain_number(regrade_request.out_of)} points.")
    return f"{outcome}\n\n{regrade_request.answer}"


@transaction.atomic
def regrade_request_answer(
    *, regrade_request: RegradeRequest, by: Membership, note: str, score_change: Decimal,
    above_maximum_confirmed: bool = False, now: datetime,
) -> RegradeRequest:
    """Answer with a note and a signed change of the part's score (0 allowed), applied in this transaction."""
    locked = _lock_waiting(regrade_request, by)
    if not note.strip():
        raise RegradeRefused("Write a note to the student explaining the answer.")
    if not score_change.is_finite() or score_change != score_change.quantize(Decimal("0.01")):
        raise RegradeRefused(f"The change of score must be a number with at most 2 decimal places, not {score_change}.")
    if locked.submission_id and not Submission.objects.filter(pk=locked.submission_id, is_active=True).exists():
        raise RegradeRefused(f"{locked.member.user.display_name} has made another submission the graded one since "
                             f"asking; decline this request and ask them to open one on the graded submission.")
    if locked.question_id:
        old, new = _change_question(locked, score_change, by, now)
    else:
        old, new = _change_score(locked, score_change, above_maximum_confirmed, by, now)
    return finish(locked, status=RegradeRequest.Status.ANSWERED, note=note.strip(), change=score_change,
                  old=old, new=new, by=by, now=now)


@transaction.atomic
def regrade_request_decline(*, regrade_request: RegradeRequest, by: Membership, note: str,
                            now: datetime) -> RegradeRequest:
    """Decline with a note saying why; the score stays as it is."""
    locked = _lock_waiting(regrade_request, by)
    if not note.strip():
        raise RegradeRefused("Write a note to the student saying why the request is declined.")
    current = request_part_score(locked)
    return finish(locked, status=RegradeRequest.Status.DECLINED, note=note.strip(), change=ZERO,
                  old=current, new=current, by=by, now=now)
