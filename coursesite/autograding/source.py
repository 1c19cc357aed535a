"""The autograder as an automatic source of a score (grades.sources): registered by the app's ready()."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.selectors import submission_dues
from coursesite.autograding.models import GradingJob
from coursesite.autograding.selectors import autograder_comment_shown_to_student, autograder_points_shown_to_student
from coursesite.autograding.services import autograder_score
from coursesite.grades.models import Extension, Score
from coursesite.grades.sources import AutomaticSource, Shown


def unfinished(assignment: Assignment, active: Sequence[Submission]) -> dict[int, str]:
    """The active submissions whose grading job is not done, with its state."""
    if not assignment.autograder_spec:
        return {}
    jobs = {j.submission_id: j for j in GradingJob.objects.filter(submission__in=active)}
    found = {}
    for submission in active:
        job = jobs.get(submission.id)
        if job is None or job.status != GradingJob.Status.DONE:
            found[submission.id] = f"autograder: {job.get_status_display().lower() if job else 'no grading job'}"
    return found


def shown_to_students(scores: Sequence[Score], assignments: dict[int, Assignment], now: datetime) -> Shown:
    """What each student is shown of their autograder score: points, comment (None: as stored).

    The due time is the scored submission's (assignments.selectors.submission_due: a group's is its latest
    member's), else the student's own. A fixed number of queries: the grading jobs of the scored
    submissions, their due times and the students' extensions.
    """
    jobs = {j.submission_id: j for j in GradingJob.objects.filter(submission_id__in=[s.submission_id for s in scores])}
    dues = submission_dues({s.submission_id for s in scores if s.submission_id})
    extended = {
        (member_id, assignment_id): due
        for member_id, assignment_id, due in Extension.objects.filter(
            member_id__in={s.member_id for s in scores}).values_list("member_id", "assignment_id", "due_at")
    }
    shown = {}
    for score in scores:
        assignment = assignments[score.assignment_id]
        job = jobs.get(score.submission_id)
        due = dues.get(score.submission_id) or extended.get((score.member_id, assignment.id), assignment.due_at)
        shown[(score.member_id, assignment.id)] = (
            autograder_points_shown_to_student(points=score.points, job=job, assignment_points=assignment.points,
                                               due=due, now=now),
            autograder_comment_shown_to_student(job=job, due=due, now=now),
        )
    return shown


AUTOGRADER = AutomaticSource(
    source=Score.Source.AUTOGRADER,
    label="the autograder",
    scores=lambda assignment: bool(assignment.autograder_spec),
    score=autograder_score,
    unfinished=unfinished,
    shown_to_students=shown_to_students,
)
