"""What a viewer may see of a grading result: hidden tests stay a count until they may be shown."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from coursesite.autograding.models import GradingJob
from coursesite.autograding.visibility import student_sees_test
from coursesite.display import plain_number


@dataclass
class Feedback:
    job: GradingJob | None
    tests: list[dict] = field(default_factory=list)
    hidden_count: int = 0
    score: object = None
    max_score: object = None
    output: str = ""                    # about the whole submission (hw1.py does not import), said once on top

    @property
    def finished(self) -> bool:
        return self.job is None or self.job.is_finished


def feedback_for(job: GradingJob | None, *, staff: bool, due: datetime, now: datetime) -> Feedback:
    """Staff see every test; students see the tests `autograding.visibility` shows them,
    and only a count of the rest. The score shown to a student counts only the tests they can see until then."""
    if job is None or job.status != GradingJob.Status.DONE:
        return Feedback(job=job)
    shown, hidden = [], 0
    for test in job.result.get("tests", []):
        if staff or student_sees_test(test, due=due, now=now):
            shown.append(test)
        else:
            hidden += 1
    if hidden:
        score = sum(t.get("score", 0) for t in shown)
        max_score = sum(t.get("max_score", 0) for t in shown)
    else:
        score, max_score = job.score, job.max_score
    return Feedback(job=job, tests=shown, hidden_count=hidden, score=score, max_score=max_score,
                    output=str(job.result.get("output") or ""))


CENT = Decimal("0.01")


def scaled_points(score: Decimal, max_score: Decimal, points: Decimal) -> Decimal:
    """Test points scaled to the assignment's points (the spec's total may differ), 2 places, at most `points`."""
    return min((Decimal(score) / Decimal(max_score) * points).quantize(CENT), points)


def autograder_points_shown_to_student(*, points: Decimal, job: GradingJob | None, assignment_points: Decimal,
                                       due: datetime, now: datetime) -> Decimal:
    """The points of an autograder-sourced score that its student is shown at `now`.

    The one rule for every page and report a student reads: while some tests are still hidden
    from the student (before the due date), the score shown is the score of the tests they can
    see, scaled to the assignment's points the same way as the stored score, so the released
    score never reveals the hidden tests' points early (the submission page says 62 of 80, the
    dashboard must not say 77.5 of 100). What was added on top of the tests (a regrade's change)
    carries over. The stored Score keeps the full points; staff always see those.
    """
    feedback = feedback_for(job, staff=False, due=due, now=now)
    if not feedback.hidden_count or not job.max_score:
        return points
    full = scaled_points(job.score, job.max_score, assignment_points)
    shown = scaled_points(Decimal(str(feedback.score)), Decimal(str(feedback.max_score)), assignment_points) \
        if feedback.max_score else Decimal(0)
    return max(points - full + shown, Decimal(0))


def autograder_comment_shown_to_student(*, job: GradingJob | None, due: datetime, now: datetime) -> str | None:
    """What a student reads instead of the autograder's comment while tests are hidden; None: the comment as stored."""
    feedback = feedback_for(job, staff=False, due=due, now=now)
    if not feedback.hidden_count:
        return None
    tests = "test is" if feedback.hidden_count == 1 else "tests are"
    return (f"Autograder: {plain_number(feedback.score)} of "
            f"{plain_number(feedback.max_score)} points of the tests you can see; "
            f"{feedback.hidden_count} more {tests} shown after the due date.")
