"""The late policy and grace days: pure, no database, Hypothesis for the invariants."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coursesite.grades.latepolicy import (
    LateOutcome,
    LatePolicy,
    LateWork,
    allocate_grace_days,
    days_late,
    grace_days_used,
    preview_late_submission,
)

UTC = timezone.utc
PITTSBURGH = timezone(timedelta(hours=-5))
DUE = datetime(2021, 2, 12, 23, 59, tzinfo=UTC)
DAY = timedelta(days=1)
POLICY = LatePolicy()                               # the demo course: 7 grace days, at most 3 on one


def hw(key: str, *, late_by: timedelta | None, due: datetime = DUE, uses_grace_days: bool = True) -> LateWork:
    submitted = None if late_by is None else due + late_by
    return LateWork(key, due, submitted, uses_grace_days)


def outcome(work: LateWork, extra_days: int = 0) -> LateOutcome:
    return allocate_grace_days(POLICY, [work], extra_days)[work.assignment]


# --- Examples, one behaviour each ---------------------------------------------------------------


def test_submission_one_minute_late_uses_one_grace_day():
    assert outcome(hw("hw1", late_by=timedelta(minutes=1))) == LateOutcome(
        1, 1, False, "Submitted 1 day late; 1 grace day used."
    )


def test_submission_exactly_on_the_due_time_is_on_time():
    assert outcome(hw("hw1", late_by=timedelta(0))) == LateOutcome(0, 0, False, "")


def test_submission_before_the_due_time_is_on_time():
    assert outcome(hw("hw1", late_by=-timedelta(hours=5))) == LateOutcome(0, 0, False, "")


def test_exactly_24_hours_late_is_one_day_and_one_second_more_is_two():
    assert days_late(DUE, DUE + DAY) == 1
    assert days_late(DUE, DUE + DAY + timedelta(seconds=1)) == 2


def test_three_days_late_uses_three_grace_days():
    assert outcome(hw("hw1", late_by=3 * DAY)) == LateOutcome(3, 3, False, "Submitted 3 days late; 3 grace days used.")


def test_fourth_day_late_scores_zero():
    assert outcome(hw("hw1", late_by=3 * DAY + timedelta(seconds=1))) == LateOutcome(
        4, 0, True, "Submitted 4 days late; at most 3 grace days can be used on one assignment, so this scores 0."
    )


def test_budget_exhausted_zeroes_the_later_submission_not_the_earlier_one():
    # hw2 is due first but was submitted last: charging follows the submissions, not the due dates.
    hw1 = hw("hw1", due=DUE, late_by=3 * DAY)                        # submitted Feb 15
    hw2 = hw("hw2", due=DUE - 7 * DAY, late_by=3 * DAY + 10 * DAY)   # 13 days after its due time: way late
    hw3 = hw("hw3", due=DUE + 7 * DAY, late_by=3 * DAY)              # submitted Feb 22: 6 used, 1 left
    hw4 = hw("hw4", due=DUE + 14 * DAY, late_by=2 * DAY)             # submitted Feb 28
    outcomes = allocate_grace_days(POLICY, [hw4, hw3, hw2, hw1])
    assert outcomes["hw1"].grace_days_charged == 3
    assert outcomes["hw3"].grace_days_charged == 3
    assert outcomes["hw4"] == LateOutcome(
        2, 0, True, "Submitted 2 days late with only 1 grace day left, so this scores 0."
    )


def test_grace_days_go_in_the_order_submissions_were_made_not_by_due_date():
    due_first = hw("hw1", due=DUE, late_by=3 * DAY)                  # submitted Feb 15, 3 days late
    made_first = hw("hw2", due=DUE + DAY, late_by=DAY)               # submitted Feb 14, 1 day late
    outcomes = allocate_grace_days(LatePolicy(grace_days_total=3), [due_first, made_first])
    assert outcomes["hw2"].grace_days_charged == 1
    assert outcomes["hw1"] == LateOutcome(
        3, 0, True, "Submitted 3 days late with only 2 grace days left, so this scores 0."
    )


def test_a_zeroed_submission_is_charged_nothing_so_a_later_one_can_still_use_the_days():
    first = hw("hw1", due=DUE, late_by=3 * DAY)
    second = hw("hw2", due=DUE + 7 * DAY, late_by=3 * DAY)
    too_many = hw("hw3", due=DUE + 14 * DAY, late_by=2 * DAY)        # needs 2, only 1 left: zeroed
    last = hw("hw4", due=DUE + 21 * DAY, late_by=timedelta(hours=1))  # needs 1: the day is still there
    outcomes = allocate_grace_days(POLICY, [first, second, too_many, last])
    assert outcomes["hw3"].zeroed and outcomes["hw3"].grace_days_charged == 0
    assert outcomes["hw4"] == LateOutcome(1, 1, False, "Submitted 1 day late; 1 grace day used.")
    assert grace_days_used(outcomes) == 7


def test_no_grace_days_left_is_said_plainly():
    spent = [hw(f"hw{i}", due=DUE + 7 * i * DAY, late_by=DAY) for i in range(7)]
    eighth = hw("hw7", due=DUE + 49 * DAY, late_by=DAY)
    assert allocate_grace_days(POLICY, [*spent, eighth])["hw7"].reason == (
        "Submitted 1 day late with no grace days left, so this scores 0."
    )


def test_extra_days_let_a_student_use_an_eighth_day():
    work = [hw(f"hw{i}", due=DUE + 7 * i * DAY, late_by=DAY) for i in range(8)]
    assert allocate_grace_days(POLICY, work)["hw7"].zeroed
    with_extra = allocate_grace_days(POLICY, work, extra_days=1)
    assert not with_extra["hw7"].zeroed
    assert grace_days_used(with_extra) == 8


def test_extra_days_do_not_raise_the_per_assignment_cap():
    assert outcome(hw("hw1", late_by=4 * DAY), extra_days=5).zeroed


def test_late_exam_is_zeroed():
    exam = hw("midterm1", late_by=timedelta(seconds=30), uses_grace_days=False)
    assert outcome(exam) == LateOutcome(1, 0, True, "This work does not accept late submissions, so it scores 0.")


def test_on_time_exam_is_not_zeroed():
    assert outcome(hw("midterm1", late_by=timedelta(0), uses_grace_days=False)) == LateOutcome(0, 0, False, "")


def test_nothing_submitted_is_not_late():
    assert outcome(hw("hw1", late_by=None)) == LateOutcome(0, 0, False, "")


def test_ties_in_submission_time_charge_the_earlier_due_time_first():
    submitted = DUE + 10 * DAY
    early = LateWork("b", DUE + 8 * DAY, submitted)                  # 2 days late, due first
    late = LateWork("a", DUE + 9 * DAY, submitted)                   # 1 day late
    outcomes = allocate_grace_days(LatePolicy(grace_days_total=2), [late, early])
    assert not outcomes["b"].zeroed and outcomes["a"].zeroed


def test_ties_in_submission_and_due_time_go_by_assignment_key():
    a, b = LateWork("a", DUE, DUE + DAY), LateWork("b", DUE, DUE + DAY)
    outcomes = allocate_grace_days(LatePolicy(grace_days_total=1), [b, a])
    assert not outcomes["a"].zeroed and outcomes["b"].zeroed


def test_times_in_different_time_zones_compare_as_instants():
    due_in_pittsburgh = DUE.astimezone(PITTSBURGH)
    assert outcome(LateWork("hw1", due_in_pittsburgh, DUE)) == LateOutcome(0, 0, False, "")
    assert outcome(LateWork("hw1", due_in_pittsburgh, DUE + timedelta(seconds=1))).days_late == 1


@pytest.mark.parametrize("field", ["due", "submitted"])
def test_naive_datetime_refused(field):
    naive = {"due": DUE, "submitted": DUE + DAY, field: datetime(2021, 2, 12, 23, 59)}
    with pytest.raises(ValueError, match=rf"hw1: The {field} time 2021-02-12 23:59 has no time zone"):
        allocate_grace_days(POLICY, [LateWork("hw1", **naive)])


def test_duplicate_keys_refused():
    with pytest.raises(ValueError, match="Each assignment can be listed only once per student; repeated: hw1."):
        allocate_grace_days(POLICY, [hw("hw1", late_by=None), hw("hw2", late_by=None), hw("hw1", late_by=DAY)])


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({"grace_days_total": -1}, "The total number of grace days cannot be negative; got -1."),
        ({"max_per_assignment": -3}, "The number of grace days allowed on one assignment cannot be negative"),
        ({"grace_days_total": 2.5}, "must be a whole number of days, not 2.5"),
    ],
)
def test_bad_policy_numbers_refused(numbers, message):
    with pytest.raises(ValueError, match=message):
        LatePolicy(**numbers)


def test_negative_extra_days_refused():
    with pytest.raises(ValueError, match="The number of extra grace days cannot be negative; got -1."):
        allocate_grace_days(POLICY, [], extra_days=-1)


def test_zero_budget_zeroes_every_late_homework():
    assert allocate_grace_days(LatePolicy(grace_days_total=0), [hw("hw1", late_by=timedelta(minutes=1))])["hw1"].zeroed


def test_preview_says_what_a_submission_now_would_cost():
    work = [
        hw("hw1", due=DUE, late_by=3 * DAY),
        hw("hw2", due=DUE + 7 * DAY, late_by=3 * DAY),
        hw("hw3", due=DUE + 14 * DAY, late_by=None),                 # not submitted yet
    ]
    assert preview_late_submission(POLICY, work, 0, "hw3", DUE + 14 * DAY + timedelta(hours=2)) == LateOutcome(
        1, 1, False, "Submitted 1 day late; 1 grace day used."
    )
    assert preview_late_submission(POLICY, work, 0, "hw3", DUE + 16 * DAY).zeroed      # needs 2, 1 left
    assert not preview_late_submission(POLICY, work, 1, "hw3", DUE + 16 * DAY).zeroed  # with one extra day


def test_preview_replaces_the_existing_submission_of_that_assignment():
    work = [hw("hw1", late_by=3 * DAY)]
    assert preview_late_submission(POLICY, work, 0, "hw1", DUE - DAY) == LateOutcome(0, 0, False, "")


def test_preview_of_an_unknown_assignment_refused():
    with pytest.raises(ValueError, match="hw9 is not one of this student's assignments."):
        preview_late_submission(POLICY, [hw("hw1", late_by=None)], 0, "hw9", DUE)


def test_preview_of_a_naive_time_refused():
    with pytest.raises(ValueError, match="The submitted_at time 2021-02-13 10:00 has no time zone"):
        preview_late_submission(POLICY, [hw("hw1", late_by=None)], 0, "hw1", datetime(2021, 2, 13, 10))


def test_grace_days_used_accepts_the_outcomes_or_their_values():
    outcomes = allocate_grace_days(POLICY, [hw("hw1", late_by=DAY), hw("hw2", due=DUE + 7 * DAY, late_by=2 * DAY)])
    assert grace_days_used(outcomes) == grace_days_used(outcomes.values()) == 3


# --- Properties ---------------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, PITTSBURGH, timezone(timedelta(hours=5, minutes=30))])
# Offsets from the due time, crowded around the day boundaries where off-by-one errors live.
NEAR_A_BOUNDARY = st.builds(
    lambda days, nudge: days * DAY + nudge,
    st.integers(-1, 4),
    st.sampled_from([timedelta(0), timedelta(seconds=1), -timedelta(seconds=1), timedelta(microseconds=1)]),
)
WITHIN_THE_CAP = st.timedeltas(min_value=timedelta(seconds=1), max_value=3 * DAY)
ANYWHERE = st.timedeltas(min_value=-3 * DAY, max_value=7 * DAY)


@st.composite
def late_work_lists(draw, *, all_late_homework: bool = False) -> list[LateWork]:
    """One student's work; `all_late_homework` makes the budget run out (and charging order matter) often."""
    n = draw(st.integers(0, 10))
    work = []
    for i in range(n):
        # Small ranges so that equal submission and due times (the tie-breaks) come up often.
        due = DUE + draw(st.integers(0, 3)) * DAY
        if all_late_homework:
            offset, uses_grace_days = draw(WITHIN_THE_CAP), True
        else:
            offset = draw(st.one_of(st.none(), NEAR_A_BOUNDARY, WITHIN_THE_CAP, WITHIN_THE_CAP, ANYWHERE))
            uses_grace_days = draw(st.booleans() | st.just(True))
        submitted = None if offset is None else (due + offset).astimezone(draw(ZONES))
        work.append(LateWork(f"hw{i}", due.astimezone(draw(ZONES)), submitted, uses_grace_days))
    return work


work_lists = late_work_lists() | late_work_lists(all_late_homework=True)


# Small budgets, so that running out (and the order of charging) matters often.
policies = st.builds(LatePolicy, grace_days_total=st.integers(0, 7), max_per_assignment=st.integers(0, 4) | st.just(3))
extras = st.integers(0, 2)


@given(policy=policies, work=work_lists, extra=extras)
def test_never_charges_more_than_budget_or_cap(policy, work, extra):
    outcomes = allocate_grace_days(policy, work, extra_days=extra)
    assert grace_days_used(outcomes) <= policy.grace_days_total + extra
    assert all(o.grace_days_charged <= policy.max_per_assignment for o in outcomes.values())


@given(policy=policies, work=work_lists, extra=extras)
def test_on_time_work_is_never_charged_or_zeroed(policy, work, extra):
    outcomes = allocate_grace_days(policy, work, extra_days=extra)
    for w in work:
        if w.submitted is None or w.submitted <= w.due:
            assert outcomes[w.assignment] == LateOutcome(0, 0, False, "")


@given(policy=policies, work=work_lists, extra=extras)
def test_charged_work_is_never_zeroed_and_is_charged_its_days_late(policy, work, extra):
    for o in allocate_grace_days(policy, work, extra_days=extra).values():
        if o.zeroed:
            assert o.grace_days_charged == 0 and o.days_late > 0 and o.reason
        elif o.days_late:
            assert o.grace_days_charged == o.days_late and o.reason


@given(policy=policies, work=work_lists, extra=extras)
def test_late_homework_within_the_cap_is_zeroed_only_when_too_few_days_remain(policy, work, extra):
    outcomes = allocate_grace_days(policy, work, extra_days=extra)
    for w in work:
        o = outcomes[w.assignment]
        if not (o.zeroed and w.uses_grace_days and o.days_late <= policy.max_per_assignment):
            continue
        order = (w.submitted, w.due, w.assignment)
        made_before = [v for v in work if v.submitted is not None and (v.submitted, v.due, v.assignment) < order]
        spent_before = sum(outcomes[v.assignment].grace_days_charged for v in made_before)
        assert policy.grace_days_total + extra - spent_before < o.days_late


@given(policy=policies, work=work_lists, extra=extras, data=st.data())
def test_a_later_submission_never_changes_what_an_earlier_one_cost(policy, work, extra, data):
    made = sorted((w for w in work if w.submitted is not None), key=lambda w: (w.submitted, w.due, w.assignment))
    earlier = made[: data.draw(st.integers(0, len(made)))]
    before = allocate_grace_days(policy, earlier, extra)
    after = allocate_grace_days(policy, work, extra)
    assert before == {w.assignment: after[w.assignment] for w in earlier}


@given(seconds=st.integers(-3 * 86400, 7 * 86400), micro=st.integers(0, 999_999))
def test_days_late_is_the_number_of_started_24_hour_periods(seconds, micro):
    late_by = timedelta(seconds=seconds, microseconds=micro)
    in_microseconds = late_by // timedelta(microseconds=1)
    day = 86400 * 10**6
    expected = max(0, (in_microseconds + day - 1) // day)               # ceiling, in integers
    assert days_late(DUE, DUE + late_by) == expected


@given(policy=policies, data=st.data(), extra=extras)
def test_outcomes_do_not_depend_on_input_order(policy, data, extra):
    work = data.draw(work_lists)
    shuffled = data.draw(st.permutations(work))
    assert allocate_grace_days(policy, shuffled, extra) == allocate_grace_days(policy, work, extra)


@given(policy=policies, work=work_lists, extra=extras, data=st.data())
def test_preview_at_the_actual_submission_time_matches_the_allocation(policy, work, extra, data):
    submitted = [w for w in work if w.submitted is not None]
    assume(submitted)
    w = data.draw(st.sampled_from(submitted))
    expected = allocate_grace_days(policy, work, extra)[w.assignment]
    assert preview_late_submission(policy, work, extra, w.assignment, w.submitted) == expected
