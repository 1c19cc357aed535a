"""The late policy and grace days, as the syllabus states them.

Each student has a budget of grace days (7 in the demo course) to spend on the homeworks, and at
most 3 may be used on one assignment. A submission is late by the number of started 24-hour
periods after its effective due time (1 minute late is 1 day late). Grace days are charged in the
order the late submissions were made. A late submission scores 0, and is charged nothing, when it
is more than 3 days late or when fewer grace days remain than it needs; work that does not use
grace days (the exams) scores 0 whenever it is late.

Pure: no Django, no clock. Callers pass every time in, tz-aware.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

DAY = timedelta(days=1)


@dataclass(frozen=True)
class LatePolicy:
    grace_days_total: int = 7
    max_per_assignment: int = 3

    def __post_init__(self) -> None:
        _check_days("The total number of grace days", self.grace_days_total)
        _check_days("The number of grace days allowed on one assignment", self.max_per_assignment)


@dataclass(frozen=True)
class LateWork:
    assignment: str                 # any key, unique per student
    due: datetime                   # effective due time, extension already applied; tz-aware
    submitted: datetime | None      # time of the active submission; None if nothing submitted
    uses_grace_days: bool = True


@dataclass(frozen=True)
class LateOutcome:
    days_late: int
    grace_days_charged: int
    zeroed: bool
    reason: str                     # "" or a sentence a student understands


ON_TIME = LateOutcome(days_late=0, grace_days_charged=0, zeroed=False, reason="")


def days_late(due: datetime, submitted: datetime | None) -> int:
    """Started 24-hour periods after `due`: 1 minute late is 1 day late, exactly 24 hours is 1 day."""
    _check_aware("due", due)
    if submitted is None:
        return 0
    _check_aware("submitted", submitted)
    if submitted <= due:
        return 0
    return -((due - submitted) // DAY)          # exact ceiling on timedeltas, no floats


def allocate_grace_days(
    policy: LatePolicy, work: Iterable[LateWork], extra_days: int = 0
) -> dict[str, LateOutcome]:
    """One student's outcome for every piece of work, keyed by assignment.

    `extra_days` are days staff added to this student's budget (accommodations).
    Grace days are charged in the order the late submissions were made (ties: earlier due time
    first, then the assignment key). A zeroed submission is charged nothing, so a submission made
    after it may still use the days that remain.
    """
    _check_days("The number of extra grace days", extra_days)
    items = list(work)
    repeated = sorted(str(key) for key, n in Counter(w.assignment for w in items).items() if n > 1)
    if repeated:
        raise ValueError(f"Each assignment can be listed only once per student; repeated: {', '.join(repeated)}.")

    outcomes: dict[str, LateOutcome] = {}
    late: list[tuple[LateWork, int]] = []
    for w in items:
        try:
            days = days_late(w.due, w.submitted)
        except ValueError as error:
            raise ValueError(f"{w.assignment}: {error}") from None
        if days == 0:
            outcomes[w.assignment] = ON_TIME
        elif not w.uses_grace_days:
            outcomes[w.assignment] = _zero(days, "This work does not accept late submissions, so it scores 0.")
        else:
            late.append((w, days))

    left = policy.grace_days_total + extra_days
    cap = policy.max_per_assignment
    for w, days in sorted(late, key=_charging_order):
        if days > cap:
            outcomes[w.assignment] = _zero(
                days,
                f"Submitted {_days(days)} late; at most {_days(cap, 'grace day')} can be used "
                "on one assignment, so this scores 0.",
            )
        elif days > left:
            remaining = f"only {_days(left, 'grace day')}" if left else "no grace days"
            reason = f"Submitted {_days(days)} late with {remaining} left, so this scores 0."
            outcomes[w.assignment] = _zero(days, reason)
        else:
            left -= days
            outcomes[w.assignment] = LateOutcome(
                days, days, False, f"Submitted {_days(days)} late; {_days(days, 'grace day')} used."
            )
    return {w.assignment: outcomes[w.assignment] for w in items}      # in the caller's order


def preview_late_submission(
    policy: LatePolicy,
    work: Iterable[LateWork],
    extra_days: int,
    assignment: str,
    submitted_at: datetime,
) -> LateOutcome:
    """What would happen to `assignment` if its active submission were made at `submitted_at`.

    For the upload page: `work` is the student's current list; the entry for `assignment` is
    replaced by one submitted at `submitted_at`, and everything is allocated again.
    """
    items = list(work)
    if not any(w.assignment == assignment for w in items):
        raise ValueError(f"{assignment} is not one of this student's assignments.")
    _check_aware("submitted_at", submitted_at)
    changed = [replace(w, submitted=submitted_at) if w.assignment == assignment else w for w in items]
    return allocate_grace_days(policy, changed, extra_days)[assignment]


def grace_days_used(outcomes: Mapping[str, LateOutcome] | Iterable[LateOutcome]) -> int:
    """Grace days charged in total (accepts the dict from `allocate_grace_days` or its values)."""
    values = outcomes.values() if isinstance(outcomes, Mapping) else outcomes
    return sum(o.grace_days_charged for o in values)


def _charging_order(item: tuple[LateWork, int]) -> tuple[datetime, datetime, str]:
    """When the submission was made; ties: earlier due time first, then the assignment key."""
    w, _ = item
    return (w.submitted, w.due, w.assignment)


def _zero(days: int, reason: str) -> LateOutcome:
    return LateOutcome(days_late=days, grace_days_charged=0, zeroed=True, reason=reason)


def _days(n: int, noun: str = "day") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_days(what: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number of days, not {value!r}.")
    if value < 0:
        raise ValueError(f"{what} cannot be negative; got {value}.")


def _check_aware(name: str, value: datetime) -> None:
    if not isinstance(value, datetime):
        raise ValueError(f"The {name} time must be a datetime, not {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The {name} time {value:%Y-%m-%d %H:%M} has no time zone; times must be timezone-aware.")
