"""The live grading status and feedback of one submission, as an HTML fragment the page polls."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coursesite.autograding.models import GradingJob
from coursesite.autograding.selectors import feedback_for
from coursesite.assignments.selectors import submission_due
from coursesite.assignments.access import get_submission_for_user


def feedback_context(submission, viewer) -> dict:
    job = GradingJob.objects.filter(submission=submission).first()
    due = submission_due(submission)  # a group's: its latest member's, so no one sees hidden tests early
    return {"submission": submission, "feedback": feedback_for(job, staff=viewer.is_staff_role, due=due, now=timezone.now())}


@login_required
def feedback(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission, viewer = get_submission_for_user(request.user, submission_id)
    return render(request, "autograding/_feedback.html", feedback_context(submission, viewer))
