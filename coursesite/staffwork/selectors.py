"""What work waits for the course staff: counts for the staff dashboard, and the requests a digest tells of.

Each count is one aggregate query over the course (none per student or submission), and each line says
where the work is done: the regrade queue, the extension requests, the next ungraded answer of a question,
the submissions that could not be graded. Who decides what is the deciding apps' rule, read here: any member
of staff takes a regrade request, and once taken only the taker (or an administrator) answers it
(regrades.services.may_answer); only administrators decide extensions (grades.views.extensions).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.autograding.models import GradingJob
from coursesite.display import plural
from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest
from coursesite.rubrics.models import Question, QuestionGrade


@dataclass(frozen=True)
class Line:
    """One thing waiting, as the dashboard and the digest say it, and the page where it is done."""

    text: str
    url: str


@dataclass(frozen=True)
class QuestionWaiting:
    question: Question          # with its assignment
    ungraded: int               # active submissions without a grade for it

    @property
    def url(self) -> str:
        assignment = self.question.assignment
        return reverse("rubrics:next", args=[assignment.course.slug, assignment.key, self.question.id])


@dataclass(frozen=True)
class WorkWaiting:
    """What waits for the staff of a course, as one member of staff sees it."""

    course_slug: str
    regrade_requests: int           # open or taken
    regrade_requests_for_you: int   # of them: nobody took it, or you did
    extension_requests: int         # pending; 0 for those who don't decide them
    questions: tuple[QuestionWaiting, ...]
    could_not_be_graded: int        # active submissions whose grading job failed

    def lines(self) -> list[Line]:
        """The counts that are not zero, in the dashboard's order."""
        slug, lines = self.course_slug, []
        if self.regrade_requests:
            text = plural(self.regrade_requests, "regrade request")
            if self.regrade_requests_for_you:
                text += f" ({self.regrade_requests_for_you} for you)"
            lines.append(Line(text, reverse("regrades:queue", args=[slug])))
        if self.extension_requests:
            lines.append(Line(plural(self.extension_requests, "extension request"),
                              reverse("grades:extension-list", args=[slug])))
        for waiting in self.questions:
            question = waiting.question
            lines.append(Line(f"{question.assignment.title}, question {question.number}: {waiting.ungraded} ungraded",
                              waiting.url))
        if self.could_not_be_graded:
            lines.append(Line(f"{plural(self.could_not_be_graded, 'submission')} could not be graded",
                              reverse("staffwork:could-not-be-graded", args=[slug])))
        return lines


def decides_extensions(member: Membership) -> bool:
    """Extension requests wait for the course's administrators, who alone decide them."""
    return member.role in Membership.ADMIN_ROLES


def regrade_requests_for(member: Membership):
    """The waiting requests that are this member's to answer: open ones (anyone on the staff takes them) and
    the ones they took. A request someone else took is theirs (or an administrator's), not waiting for you."""
    return Q(status=RegradeRequest.Status.OPEN) | Q(status=RegradeRequest.Status.TAKEN, handled_by=member.user_id)


def _count(queryset, group_by: str):
    """A correlated count of `queryset`'s rows (one value per outer row), 0 when there are none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def questions_waiting(course, now: datetime) -> list[QuestionWaiting]:
    """For each rubric question of a released assignment past its due time, the active submissions without a
    grade for it (as rubrics:progress counts them), in one query; questions with none left out."""
    active = Submission.objects.filter(assignment=OuterRef("assignment_id"), is_active=True)
    graded = QuestionGrade.objects.filter(question=OuterRef("pk"), submission__is_active=True)
    questions = (Question.objects.filter(assignment__course=course, assignment__release_at__lte=now,
                                         assignment__due_at__lt=now)
                 .select_related("assignment__course")
                 .annotate(submissions=_count(active, "assignment_id"), graded=_count(graded, "question_id"))
                 .order_by("assignment__due_at", "assignment__title", "number"))
    return [QuestionWaiting(q, q.submissions - q.graded) for q in questions if q.submissions > q.graded]


def work_waiting(course, member: Membership, now: datetime) -> WorkWaiting:
    """The counts of work waiting in `course` for the member of staff `member` (four queries at most)."""
    regrades = RegradeRequest.objects.filter(assignment__course=course, status__in=RegradeRequest.WAITING).aggregate(
        waiting=Count("pk"), for_you=Count("pk", filter=regrade_requests_for(member)))
    extensions = (ExtensionRequest.objects.filter(assignment__course=course, status=ExtensionRequest.Status.PENDING)
                  .count() if decides_extensions(member) else 0)
    failed = jobs_not_graded(course).count()
    return WorkWaiting(course_slug=course.slug, regrade_requests=regrades["waiting"],
                       regrade_requests_for_you=regrades["for_you"], extension_requests=extensions,
                       questions=tuple(questions_waiting(course, now)), could_not_be_graded=failed)


def jobs_not_graded(course):
    """The grading jobs of the course's active submissions that could not be graded, newest first."""
    return (GradingJob.objects.filter(submission__assignment__course=course, submission__is_active=True,
                                      status=GradingJob.Status.FAILED)
            .select_related("submission__assignment", "submission__member__user")
            .order_by("-finished_at", "-id"))


@dataclass(frozen=True)
class NewRequests:
    """The requests a digest tells of: opened since the member's last digest, and still waiting for them."""

    regrade_requests: list[RegradeRequest]
    extension_requests: list[ExtensionRequest]

    def __bool__(self) -> bool:
        return bool(self.regrade_requests or self.extension_requests)


def new_requests_for(member: Membership, since: datetime, until: datetime) -> NewRequests:
    """Regrade requests opened after `since` (up to `until`) that nobody took yet (one the member took, they
    know of), and, for those who decide them, extension requests made then and still pending; oldest first."""
    regrades = (RegradeRequest.objects.filter(assignment__course_id=member.course_id, opened_at__gt=since,
                                              opened_at__lte=until, status=RegradeRequest.Status.OPEN)
                .select_related("member__user", "assignment", "question").order_by("opened_at", "id"))
    extensions = ExtensionRequest.objects.none()
    if decides_extensions(member):
        extensions = (ExtensionRequest.objects.filter(assignment__course_id=member.course_id, requested_at__gt=since,
                                                      requested_at__lte=until, status=ExtensionRequest.Status.PENDING)
                      .select_related("member__user", "assignment").order_by("requested_at", "id"))
    return NewRequests(list(regrades), list(extensions))
