"""What a viewer may see of a grading result: hidden tests stay a count until they may be shown."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from coursesite.autograding.models import GradingJob


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
    """Staff see every test; students see "visible" tests, "after_due_date" ones once the due time passed,
    and only a count of the rest. The score shown to a student counts only the tests they can see until then."""
    if job is None or job.status != GradingJob.Status.DONE:
        return Feedback(job=job)
    shown, hidden = [], 0
    for test in job.result.get("tests", []):
        visibility = test.get("visibility", "visible")
        if staff or visibility == "visible" or (visibility == "after_due_date" and now >= due):
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
