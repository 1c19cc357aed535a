"""Grade reports: each student's items, category percentages, totals, letter and grace days.

Built for one student (their dashboard) or the whole course (the gradebook) in a fixed number of
queries: categories, assignments, scores, the grace-day ledgers (`grace_day_ledgers`) and the
letter cutoffs, whatever the number of students. The arithmetic is `weighting.py`'s; this module
only decides what counts:

- a score counts once its assignment's grades are released, or always in the staff's view
  (grade_report_list_for_course); a student's report reads only `Score.objects.released_to(student)`,
  so it never holds an unreleased score at all, and the submission graded for them (their group's, or their own);
- a submission the late policy zeroes counts 0, whatever its score says;
- in a student's report, an autograder score counts (and shows) what the student may see of it
  before the due date: the visible tests' points (autograding.selectors owns that rule, grades.sources asks it);
- a released score is marked stale while a newer graded submission, made after the release, waits
  for the staff (score_is_stale), and a score for a submission that is no longer the graded one says so.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from coursesite.assignments.models import Assignment
from coursesite.assignments.selectors import active_submissions
from coursesite.courses.models import Course, GradingCategory
from coursesite.display import plain_number, signed_points as signed
from coursesite.grades import sources, weighting
from coursesite.grades.latepolicy import LateOutcome
from coursesite.grades.models import LetterCutoff, Score
from coursesite.grades.provenance import STALE_NOTE, other_submission_note, score_for_other_submission, score_is_stale
from coursesite.grades.selectors import GraceDayLedger, grace_day_ledgers
from coursesite.people.models import Membership


@dataclass(frozen=True)
class ItemGrade:
    """One assignment (or exam) of one student."""

    assignment: Assignment
    score: Score | None             # None: nothing entered, or not released to this viewer
    released: bool                  # the assignment's grades are released to students
    outcome: LateOutcome | None     # the late policy's verdict; None for exams
    counted: Decimal | None         # the points that count toward the totals; None: not counted
    comment: str = ""               # the score's comment as this viewer reads it
    stale: bool = False             # see score_is_stale
    for_submission: int | None = None   # the score is for this submission, no longer the graded one
    shown_points: Decimal | None = None  # the points this viewer is shown, when not the stored ones
    submission_id: int | None = None    # the submission graded for this student (theirs or their group's)

    @property
    def zeroed(self) -> bool:
        return bool(self.outcome and self.outcome.zeroed)

    @property
    def counted_shown(self) -> str:
        return "" if self.counted is None else plain_number(self.counted)

    @property
    def score_shown(self) -> str:
        return "" if self.score is None else plain_number(self.score.points)

    @property
    def points_shown(self) -> str:
        return plain_number(self.assignment.points)

    @property
    def note(self) -> str:
        """Why the counted points differ from the score, in the student's words."""
        if self.zeroed and self.counted is not None:
            return f"scored 0 by the late policy: {self.outcome.reason}"
        return ""

    @property
    def adjusted(self) -> bool:
        """Group work whose score staff adjusted for this member (an unequal contribution)."""
        return self.score is not None and self.score.is_adjusted

    @property
    def group_points(self) -> Decimal | None:
        """The group's score as this viewer reads it (what they are shown, less this member's adjustment)."""
        if not self.adjusted:
            return None
        shown = self.shown_points if self.shown_points is not None else self.score.points
        return self.score.base_points + (shown - self.score.points)

    @property
    def adjustment_note(self) -> str:
        """"80 for the group, −10 for you: did not contribute to part 2"; "" without an adjustment."""
        if not self.adjusted:
            return ""
        return (f"{plain_number(self.group_points)} for the group, {signed(self.score.adjustment)} for you: "
                f"{self.score.adjustment_reason}")

    @property
    def adjustment_shown(self) -> str:
        """The adjustment beside the score in the gradebook: "−10"."""
        return signed(self.score.adjustment) if self.adjusted else ""

    @property
    def staff_adjustment_note(self) -> str:
        """The gradebook's account of it: "the group's 80, adjusted −10 for this student: <reason>"."""
        if not self.adjusted:
            return ""
        return (f"the group's {plain_number(self.group_points)}, adjusted {signed(self.score.adjustment)} for this "
                f"student: {self.score.adjustment_reason}")

    @property
    def staff_reason(self) -> str:
        """Why staff set this score by hand (an override's reason), for the student; "" otherwise."""
        if self.score is None or not self.score.decided_by_person or not self.score.reason:
            return ""
        return f"Set by the course staff: {self.score.reason}"

    @property
    def provenance_note(self) -> str:
        """What the score is not (yet) about, in words: shown beside the score wherever it is shown."""
        if self.score is None:
            return ""
        if self.stale:
            return STALE_NOTE
        if self.for_submission is not None:
            return other_submission_note(self.for_submission)
        return ""


@dataclass(frozen=True)
class CategoryGrade:
    category: GradingCategory
    current: Decimal | None         # over what counts so far; None: nothing counts yet
    final: Decimal | None           # missing work as 0

    @property
    def weight_shown(self) -> str:
        return plain_number(self.category.weight)

    @property
    def current_shown(self) -> str:
        return weighting.display_percent(self.current)

    @property
    def final_shown(self) -> str:
        return weighting.display_percent(self.final)


@dataclass(frozen=True)
class GradeReport:
    """Everything a student's grade is made of, unrounded; templates round with display_percent."""

    member: Membership
    items: tuple[ItemGrade, ...]
    categories: tuple[CategoryGrade, ...]
    current: Decimal | None
    final: Decimal | None
    letter_current: str             # "" when the course has no cutoffs or nothing counts yet
    letter_final: str
    ledger: GraceDayLedger
    cutoffs: tuple[LetterCutoff, ...]   # highest first
    problem: str                        # why there are no totals (the course's weights), or ""
    weights: tuple[weighting.Category, ...] = field(repr=False)     # what the totals were computed from
    scores: tuple[weighting.Score, ...] = field(repr=False)

    @property
    def explain_current(self) -> tuple[str, ...]:
        """The arithmetic of the current total, one line a category (computed on demand: the gradebook skips it)."""
        return self._explain(missing_as_zero=False)

    @property
    def explain_final(self) -> tuple[str, ...]:
        return self._explain(missing_as_zero=True)

    def _explain(self, *, missing_as_zero: bool) -> tuple[str, ...]:
        if self.problem:
            return (self.problem,)
        return tuple(weighting.explain_total(self.weights, self.scores, missing_as_zero=missing_as_zero))

    @property
    def current_shown(self) -> str:
        return weighting.display_percent(self.current)

    @property
    def final_shown(self) -> str:
        return weighting.display_percent(self.final)

    @property
    def letter_scale(self) -> str:
        return ", ".join(f"{c.letter} from {plain_number(c.minimum)}%" for c in self.cutoffs)

    @property
    def grace_days_used(self) -> int:
        return self.ledger.used

    @property
    def grace_days_left(self) -> int:
        return self.ledger.left

    def item(self, assignment: Assignment) -> ItemGrade:
        return next(i for i in self.items if i.assignment.id == assignment.id)


@dataclass(frozen=True)
class CourseGrades:
    """The course's grading setup and one report per student."""

    course: Course
    categories: tuple[GradingCategory, ...]
    assignments: tuple[Assignment, ...]
    cutoffs: tuple[LetterCutoff, ...]
    reports: tuple[GradeReport, ...]
    problem: str                    # why no totals can be computed (the weights), or ""
    now: datetime

    def released(self, assignment: Assignment) -> bool:
        return assignment.grades_released(self.now)


def grade_report_list_for_course(course: Course, *, now: datetime, section: str = "",
                                 include_dropped: bool = False) -> CourseGrades:
    """Every student's report, in name order: the staff's view, which counts unreleased scores (students
    see only their own report, `grade_report_get_for_student`). `section` keeps that section's students only;
    students the registrar dropped are left out unless `include_dropped`."""
    students = course.memberships.students(include_dropped=include_dropped)
    if section:
        students = students.filter(section=section)
    members = list(
        students.select_related("user").order_by("user__last_name", "user__first_name", "user__username")
    )
    return _course_grades(course, members, Score.objects.filter(assignment__course=course), now=now,
                          include_unreleased=True)


def grade_report_get_for_student(member: Membership, *, now: datetime) -> GradeReport:
    """The student's own report, as the student may see it (Score.objects.released_to), whoever asks."""
    return _course_grades(member.course, [member], Score.objects.released_to(member, now), now=now,
                          include_unreleased=False).reports[0]


def letter_for(total: Decimal | None, cutoffs: Sequence[LetterCutoff]) -> str:
    """The letter of the highest cutoff the total reaches, as the total is shown (2 places, half up).

    "" when the course has no cutoffs or nothing counts yet; "below D" under the lowest cutoff.
    """
    if total is None or not cutoffs:
        return ""
    shown = total.quantize(weighting.CENT, rounding=ROUND_HALF_UP)
    ordered = sorted(cutoffs, key=lambda c: c.minimum, reverse=True)
    for cutoff in ordered:
        if shown >= cutoff.minimum:
            return cutoff.letter
    return f"below {ordered[-1].letter}"


def _course_grades(course: Course, members: list[Membership], scores: QuerySet[Score], *, now: datetime,
                   include_unreleased: bool) -> CourseGrades:
    """The reports of `members` from the `scores` the viewer may see, and the submissions graded for them
    (assignments.selectors.active_submissions: a group's counts for each member)."""
    categories = tuple(course.categories.all())
    assignments = tuple(course.assignments.select_related("category"))
    cutoffs = tuple(LetterCutoff.objects.filter(course=course))
    ids = [m.id for m in members]
    scores = {(s.member_id, s.assignment_id): s for s in scores.filter(member_id__in=ids)}
    # The submission graded for each student: their group's active one counts for every member.
    active = {key: (found.id, found.submitted_at) for key, found in active_submissions(ids).items()}
    shown = {} if include_unreleased else sources.shown_to_students(scores.values(), {a.id: a for a in assignments}, now)
    ledgers = grace_day_ledgers(course, members)
    weights = [weighting.Category(c.name, c.weight) for c in categories]
    problem = _weights_problem(weights)
    reports = tuple(
        _report(member, categories, weights, assignments, cutoffs, scores, ledgers[member.id],
                now=now, include_unreleased=include_unreleased, problem=problem, active=active, shown=shown)
        for member in members
    )
    return CourseGrades(course=course, categories=categories, assignments=assignments, cutoffs=cutoffs,
                        reports=reports, problem=problem, now=now)


def _report(member, categories, weights, assignments, cutoffs, scores, ledger, *, now, include_unreleased, problem,
            active, shown):
    items = tuple(
        _item(a, scores.get((member.id, a.id)), ledger.outcome(a), now=now, include_unreleased=include_unreleased,
              active=active.get((member.id, a.id)), shown=shown.get((member.id, a.id)))
        for a in assignments
    )
    names = {c.id: c.name for c in categories}
    pure = [weighting.Score(names[i.assignment.category_id], i.counted, i.assignment.points) for i in items]
    if problem:
        current = final = None
        per_category = {c.name: (None, None) for c in categories}
    else:
        current = weighting.weighted_total(weights, pure, missing_as_zero=False)
        final = weighting.weighted_total(weights, pure, missing_as_zero=True)
        now_by = weighting.category_percentages(weights, pure, missing_as_zero=False)
        final_by = weighting.category_percentages(weights, pure, missing_as_zero=True)
        per_category = {name: (now_by[name], final_by[name]) for name in now_by}
    return GradeReport(
        member=member,
        items=items,
        categories=tuple(CategoryGrade(c, *per_category[c.name]) for c in categories),
        current=current,
        final=final,
        letter_current=letter_for(current, cutoffs),
        letter_final=letter_for(final, cutoffs),
        ledger=ledger,
        cutoffs=cutoffs,
        problem=problem,
        weights=tuple(weights),
        scores=tuple(pure),
    )


def _item(assignment: Assignment, score: Score | None, outcome: LateOutcome | None, *, now, include_unreleased,
          active: tuple[int, datetime] | None, shown: tuple[Decimal, str | None] | None) -> ItemGrade:
    released = assignment.grades_released(now)
    visible = released or include_unreleased           # the scores were read with the same rule
    points, comment = (score.points, score.comment) if score is not None else (None, "")
    if score is not None and shown is not None:
        points, comment = shown[0], shown[1] if shown[1] is not None else comment
    if visible and outcome is not None and outcome.zeroed:
        counted = Decimal(0)
    else:
        counted = points
    stale, for_submission = False, None
    active_id, active_at = active if active else (None, None)
    if score is not None:
        stale = score_is_stale(released_at=assignment.grades_released_at if released else None,
                               active_submitted_at=active_at, entered_at=score.entered_at)
        for_submission = score_for_other_submission(score.submission_id, active_id)
    return ItemGrade(assignment=assignment, score=score, released=released, outcome=outcome, counted=counted,
                     comment=comment, stale=stale, for_submission=for_submission,
                     shown_points=shown[0] if score is not None and shown is not None else None,
                     submission_id=active_id)


def _weights_problem(weights: Iterable[weighting.Category]) -> str:
    try:
        weighting.check_weights(list(weights))
    except ValueError as error:
        return f"No totals yet: {error}"
    return ""
