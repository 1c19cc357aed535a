"""What a stored score is not (yet) about: pure rules, no Django, used by every page that shows a score.

- stale: the grades were released, then the student submitted again (that submission is now the
  graded one) and nobody has scored it since;
- for another submission: an automatic source scored a submission that is no longer the graded one.
"""
from __future__ import annotations

from datetime import datetime

STALE_NOTE = "stale: a newer submission came after the release and is not graded yet"


def other_submission_note(submission_id: int) -> str:
    return f"for submission #{submission_id}, no longer the graded one"


def score_is_stale(*, released_at: datetime | None, active_submitted_at: datetime | None,
                   entered_at: datetime) -> bool:
    """A released score is stale while the graded submission is newer than both the release and the score.

    The student submitted again after the grades were out, so the score is about earlier work until
    the staff grade the new one (a score entered after that submission is no longer stale).
    """
    return (released_at is not None and active_submitted_at is not None
            and active_submitted_at > released_at and entered_at < active_submitted_at)


def score_for_other_submission(score_submission_id: int | None, active_id: int | None) -> int | None:
    """The submission a score was computed for, when that is no longer the graded one; else None.

    Staff entries name no submission: they are about the student's work, whichever is graded.
    """
    if score_submission_id is not None and score_submission_id != active_id:
        return score_submission_id
    return None
