"""Reads of a student's submissions: the score each one got, as the viewer may see it.

The list of submissions shows each one's score so that a student can choose which one is graded
while the assignment is open: the autograder's test points (before the due date only the tests the
student can see: autograding.selectors.feedback_for decides), or for rubric-graded work the
rubric's total once every question is graded (and, for the student, once grades are released).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from coursesite.assignments.models import Submission
from coursesite.autograding.models import GradingJob
from coursesite.autograding.selectors import feedback_for
from coursesite.display import plain_number
from coursesite.assignments.selectors import submission_dues
from coursesite.people.models import Membership
from coursesite.rubrics.models import QuestionGrade
from coursesite.rubrics.scoring import total_score


def submission_scores_shown(submissions: Sequence[Submission], viewer: Membership, *, now: datetime) -> dict[int, str]:
    """Submission id -> its score in words, as `viewer` may see it (all submissions of one assignment)."""
    if not submissions:
        return {}
    assignment = submissions[0].assignment
    if assignment.autograder_spec:
        return _autograder_scores(submissions, viewer, now)
    if assignment.takes_pdf and assignment.questions.exists():
        return _rubric_scores(submissions, viewer, now)
    return {}


def _autograder_scores(submissions, viewer, now) -> dict[int, str]:
    jobs = {j.submission_id: j for j in GradingJob.objects.filter(submission__in=submissions)}
    dues = submission_dues(s.id for s in submissions)    # a group's: its latest member's due time
    shown = {}
    for submission in submissions:
        job = jobs.get(submission.id)
        if job is None:
            shown[submission.id] = "not graded"
            continue
        if job.status != GradingJob.Status.DONE:
            shown[submission.id] = job.get_status_display().lower()
            continue
        feedback = feedback_for(job, staff=viewer.is_staff_role, due=dues[submission.id], now=now)
        text = f"{plain_number(feedback.score)} / {plain_number(feedback.max_score)} test points"
        if feedback.hidden_count:
            tests = "test" if feedback.hidden_count == 1 else "tests"
            text += f" (the tests you can see; {feedback.hidden_count} more {tests} after the due date)"
        shown[submission.id] = text
    return shown


def _rubric_scores(submissions, viewer, now) -> dict[int, str]:
    assignment = submissions[0].assignment
    released = assignment.grades_released(now)
    questions = list(assignment.questions.all())
    grades = defaultdict(list)
    for grade in (QuestionGrade.objects.filter(submission__in=submissions)
                  .select_related("question").prefetch_related("items")):
        grades[grade.submission_id].append(grade)
    points = plain_number(total_score(q.points for q in questions))
    shown = {}
    for submission in submissions:
        graded = grades[submission.id]
        if len(graded) < len(questions):
            partly = graded and viewer.is_staff_role
            shown[submission.id] = f"{len(graded)} of {len(questions)} questions graded" if partly else "not graded"
        elif not (released or viewer.is_staff_role):
            shown[submission.id] = "graded; shown once grades are released"
        else:
            shown[submission.id] = f"{plain_number(total_score(g.score for g in graded))} / {points} (rubric)"
    return shown
