"""The late policy on group work: the group's submission counts for each member by that member's own due time
(their extension) and from their own grace-day budget; a group of one is exactly a student alone."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursesite.assignments.services import submission_create
from coursesite.grades.latepolicy import LateWork, allocate_grace_days
from coursesite.grades.models import Extension, GraceDayGrant
from coursesite.grades.report import grade_report_list_for_course
from coursesite.grades.selectors import grace_day_ledger_for, handin_late_preview, late_policy_for
from tests.coursesite.assignments.support import pdf_upload
from tests.factories import AssignmentFactory, ScoreFactory, StudentGroupFactory, SubmissionFactory
from tests.world import DAY, NOW

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
# Hypothesis runs many examples inside one test's database; each rolls its rows back (see `rolled_back`).
DB_EXAMPLES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class RolledBack(Exception):
    pass


def rolled_back(check):
    """Run `check` in a transaction rolled back afterwards, so one example's rows don't leak into the next."""
    try:
        with transaction.atomic():
            check()
            raise RolledBack
    except RolledBack:
        pass


def project_for(course):
    return AssignmentFactory(course=course, key="project", title="Project", group_size=2,
                             release_at=NOW - 10 * DAY, due_at=NOW)


def spend(member, days_late: list[int], pasts=None) -> list[LateWork]:
    """Earlier homework (`pasts`, or new ones) the student handed in `days_late` days late, each; the same work
    as the pure input."""
    work = []
    for index, days in enumerate(days_late):
        past = pasts[index] if pasts else AssignmentFactory(course=member.course, release_at=NOW - 40 * DAY,
                                                             due_at=NOW - 30 * DAY)
        at = past.due_at + days * DAY - HOUR if days else past.due_at - HOUR
        SubmissionFactory(member=member, assignment=past, submitted_at=at)
        work.append(LateWork(past.key, past.due_at, at))
    return work


def extend(member, assignment, days: int, by) -> None:
    if days:
        Extension.objects.create(member=member, assignment=assignment, due_at=assignment.due_at + days * DAY,
                                 reason="medical", granted_by=by.user, granted_at=NOW)


def test_a_member_without_enough_grace_days_scores_0_while_the_other_keeps_theirs(course, alice, bob):
    project = project_for(course)
    StudentGroupFactory(assignment=project, members=[alice, bob])
    spend(bob, [3, 3])                                          # 1 grace day left
    submission_create(member=alice, assignment=project, upload=pdf_upload(), now=project.due_at + 36 * HOUR)
    alices, bobs = grace_day_ledger_for(alice).outcome(project), grace_day_ledger_for(bob).outcome(project)
    assert (alices.zeroed, alices.grace_days_charged) == (False, 2)
    assert (bobs.zeroed, bobs.reason) == (True, "Submitted 2 days late with only 1 grace day left, so this scores 0.")


def test_each_member_is_charged_from_their_own_budget(course, alice, bob):
    project = project_for(course)
    StudentGroupFactory(assignment=project, members=[alice, bob])
    spend(bob, [2])
    submission_create(member=bob, assignment=project, upload=pdf_upload(), now=project.due_at + 12 * HOUR)
    assert (grace_day_ledger_for(alice).left, grace_day_ledger_for(bob).left) == (6, 4)


def test_a_member_with_an_extension_is_not_charged_for_the_groups_submission(course, alice, bob, instructor):
    project = project_for(course)
    StudentGroupFactory(assignment=project, members=[alice, bob])
    extend(bob, project, 2, instructor)
    submission_create(member=alice, assignment=project, upload=pdf_upload(), now=project.due_at + 12 * HOUR)
    assert grace_day_ledger_for(alice).outcome(project).grace_days_charged == 1
    assert grace_day_ledger_for(bob).outcome(project).days_late == 0


def test_the_gradebook_counts_0_for_the_member_without_grace_days_and_the_score_for_the_other(course, alice, bob):
    project = project_for(course)
    StudentGroupFactory(assignment=project, members=[alice, bob])
    spend(bob, [3, 3, 1])                                       # no grace days left
    submission_create(member=alice, assignment=project, upload=pdf_upload(), now=project.due_at + 12 * HOUR)
    for member in (alice, bob):
        ScoreFactory(member=member, assignment=project, points=Decimal(80))
    reports = {r.member.id: r for r in grade_report_list_for_course(course, now=NOW + 5 * DAY).reports}
    counted = {m: next(i.counted for i in reports[m.id].items if i.assignment == project) for m in (alice, bob)}
    assert counted == {alice: Decimal(80), bob: Decimal(0)}


offsets = st.integers(min_value=-24, max_value=3 * 24)                   # hours after the class due time
earlier_work = st.lists(st.integers(min_value=0, max_value=4), max_size=4)   # days late of earlier homework


@DB_EXAMPLES
@given(hours=offsets, earlier=earlier_work, extension=st.integers(min_value=0, max_value=3),
       added=st.integers(min_value=0, max_value=2))
def test_a_group_of_one_has_the_same_ledger_as_a_student_alone(course, alice, bob, instructor, hours, earlier,
                                                                 extension, added):
    def check():
        project = project_for(course)
        StudentGroupFactory(assignment=project, members=[alice])
        pasts = [AssignmentFactory(course=course, release_at=NOW - 40 * DAY, due_at=NOW - 30 * DAY) for _ in earlier]
        for member in (alice, bob):
            spend(member, earlier, pasts)
            extend(member, project, extension, instructor)
            if added:
                GraceDayGrant.objects.create(member=member, days=added, reason="accommodation",
                                             granted_by=instructor.user, granted_at=NOW)
            submission_create(member=member, assignment=project, upload=pdf_upload(), now=project.due_at + hours * HOUR)
        alone, grouped = grace_day_ledger_for(bob), grace_day_ledger_for(alice)
        assert [line.outcome for line in grouped.lines] == [line.outcome for line in alone.lines]
        assert grouped.left == alone.left
    rolled_back(check)


@DB_EXAMPLES
@given(hours=offsets, earlier=st.tuples(earlier_work, earlier_work), extensions=st.tuples(*[st.integers(0, 3)] * 2),
       added=st.tuples(*[st.integers(0, 2)] * 2), uploader=st.sampled_from([0, 1]))
def test_each_members_outcome_is_the_policy_applied_to_their_own_due_time_and_budget(
        course, alice, bob, instructor, hours, earlier, extensions, added, uploader):
    def check():
        project = project_for(course)
        members = (alice, bob)
        StudentGroupFactory(assignment=project, members=list(members))
        work = []
        for member, days_late, extension, extra in zip(members, earlier, extensions, added):
            work.append(spend(member, days_late))
            extend(member, project, extension, instructor)
            if extra:
                GraceDayGrant.objects.create(member=member, days=extra, reason="accommodation",
                                             granted_by=instructor.user, granted_at=NOW)
        at = project.due_at + hours * HOUR
        submission_create(member=members[uploader], assignment=project, upload=pdf_upload(), now=at)
        policy = late_policy_for(course)
        everyone_elses = {w.assignment for ws in work for w in ws}
        for member, own, extension, extra in zip(members, work, extensions, added):
            # The pure input from the test's own data: the other's homework is not this student's (no submission).
            others = [LateWork(key, NOW - 30 * DAY, None) for key in everyone_elses - {w.assignment for w in own}]
            mine = LateWork(project.key, project.due_at + extension * DAY, at)
            expected = allocate_grace_days(policy, [*own, *others, mine], extra)[project.key]
            assert grace_day_ledger_for(member).outcome(project) == expected
    rolled_back(check)


@DB_EXAMPLES
@given(hours=offsets, earlier=st.tuples(earlier_work, earlier_work), extensions=st.tuples(*[st.integers(0, 3)] * 2),
       uploader=st.sampled_from([0, 1]))
def test_the_notice_before_a_group_upload_says_what_the_ledger_then_charges_each_member(
        course, alice, bob, instructor, hours, earlier, extensions, uploader):
    def check():
        project = project_for(course)
        members = (alice, bob)
        StudentGroupFactory(assignment=project, members=list(members))
        for member, days_late, extension in zip(members, earlier, extensions):
            spend(member, days_late)
            extend(member, project, extension, instructor)
        at = project.due_at + hours * HOUR
        notice = handin_late_preview(members[uploader], project, at)
        submission_create(member=members[uploader], assignment=project, upload=pdf_upload(), now=at)
        for line in notice.lines:
            ledger = grace_day_ledger_for(line.member)
            assert (line.outcome, line.left_after) == (ledger.outcome(project), ledger.left)
    rolled_back(check)
