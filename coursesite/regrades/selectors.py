"""Reads for regrades: the window, the score of a part, the staff's queue and a student's requests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.autograding.visibility import after_due_date_tests_shown
from coursesite.grades.models import Score
from coursesite.people.models import Membership, User
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import Part, part_of_request
from coursesite.rubrics.models import QuestionGrade


def regrade_window_closes_at(assignment: Assignment) -> datetime | None:
    """When students stop being able to ask: the release plus the course's window, on the course's wall clock
    (a release at noon closes at noon, across a change of daylight saving time); None before a release."""
    if assignment.grades_released_at is None:
        return None
    released = timezone.localtime(assignment.grades_released_at, assignment.course.tz)
    return released + timedelta(days=assignment.course.regrade_window_days)


def regrade_window_is_open(assignment: Assignment, now: datetime) -> bool:
    closes = regrade_window_closes_at(assignment)
    return assignment.grades_released(now) and closes is not None and now <= closes


def question_grade_of(submission: Submission, part: Part) -> QuestionGrade | None:
    return (QuestionGrade.objects.filter(submission=submission, question=part.question)
            .select_related("question").prefetch_related("items").first())


def part_score(part: Part, *, member_id: int, assignment_id: int, submission: Submission | None) -> Decimal | None:
    """The part's score now: the question's (from the rubric), else the student's assignment score (on group work
    the group's: without the student's own adjustment, which a regrade leaves as it is); None if none."""
    if part.question is not None:
        grade = question_grade_of(submission, part)
        return grade.score if grade else None
    score = Score.objects.filter(member_id=member_id, assignment_id=assignment_id).first()
    return score.base_points if score else None


def request_part_score(regrade_request: RegradeRequest) -> Decimal | None:
    """The score now of the part a stored request asks about."""
    return part_score(part_of_request(regrade_request), member_id=regrade_request.member_id,
                      assignment_id=regrade_request.assignment_id, submission=regrade_request.submission)


def regrade_requests_on_submission(submission: Submission) -> QuerySet[RegradeRequest]:
    return (RegradeRequest.objects.filter(submission=submission)
            .select_related("question", "assignment", "member__user", "submission").order_by("-opened_at", "-id"))


def regrade_requests_on_exam(member: Membership, assignment: Assignment) -> QuerySet[RegradeRequest]:
    """A student's requests on work scored without a submission (an exam)."""
    return (RegradeRequest.objects.filter(member=member, assignment=assignment, submission__isnull=True)
            .select_related("assignment").order_by("-opened_at", "-id"))


@dataclass(frozen=True)
class RegradeLink:
    """What a student's page shows about regrades of one submission or exam score: the link while the
    window is open (until `closes`) and the requests already made."""

    closes: datetime | None
    window_open: bool
    requests: list[RegradeRequest]


def regrade_link_for_submission(submission: Submission, viewer: Membership, now: datetime) -> RegradeLink | None:
    """For the student's own (or their group's) submission page; None (nothing shown) for the staff, or before
    the release."""
    assignment = submission.assignment
    if not assignment.grades_released(now) or not submission.counts_for(viewer):     # a group's: each member's
        return None
    return RegradeLink(closes=regrade_window_closes_at(assignment), window_open=regrade_window_is_open(assignment, now),
                       requests=list(regrade_requests_on_submission(submission)))


def regrade_link_for_exam(assignment: Assignment, member: Membership, now: datetime) -> RegradeLink | None:
    """For an exam's row of the student's dashboard (an exam has no submission page); None for the staff,
    for work handed in, or before the exam's grades are released."""
    if member.is_staff_role or assignment.accepts_uploads or not assignment.grades_released(now):
        return None
    return RegradeLink(closes=regrade_window_closes_at(assignment), window_open=regrade_window_is_open(assignment, now),
                       requests=list(regrade_requests_on_exam(member, assignment)))


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters, already checked: None means "any"."""

    assignment: Assignment | None = None
    handler: str = ""               # "", "me", "none" or a username of the course's staff
    status: str = ""                # "" means the waiting ones (open or taken)


def regrade_queue(course, viewer: User, chosen: QueueFilter) -> QuerySet[RegradeRequest]:
    """The course's requests the filter picks, oldest first."""
    requests = (RegradeRequest.objects.filter(assignment__course=course)
                .select_related("member__user", "assignment", "question", "handled_by", "submission")
                .prefetch_related("submission__group__members__member__user").order_by("opened_at", "id"))
    requests = requests.filter(status=chosen.status) if chosen.status else requests.filter(
        status__in=RegradeRequest.WAITING)
    if chosen.assignment is not None:
        requests = requests.filter(assignment=chosen.assignment)
    if chosen.handler == "me":
        requests = requests.filter(handled_by=viewer)
    elif chosen.handler == "none":
        requests = requests.filter(handled_by__isnull=True)
    elif chosen.handler:
        requests = requests.filter(handled_by__username=chosen.handler)
    return requests


def staff_usernames(course) -> list[str]:
    return list(Membership.objects.filter(course=course).staff().order_by("user__username")
                .values_list("user__username", flat=True))


def totals_hidden_from_student(regrade_request: RegradeRequest, now: datetime) -> bool:
    """Whether the student may not yet see the assignment's total this request changed: an autograder's
    score before the due date counts tests still hidden from them (autograding.visibility), so the
    student hears of the change alone, not of the totals before and after it."""
    assignment = regrade_request.assignment
    return (not regrade_request.question_id and bool(assignment.autograder_spec)
            and not after_due_date_tests_shown(due=assignment.due_at, now=now))


def whole_submission_regrades(submission: Submission) -> Decimal:
    """The points that answered regrade requests on the whole of a submission (not one question) added
    to or took from its autograder score; registered with grades.sources by the app's ready()."""
    return RegradeRequest.objects.filter(
        submission=submission, status=RegradeRequest.Status.ANSWERED, question__isnull=True
    ).aggregate(total=Sum("score_change"))["total"] or Decimal(0)
