"""A group's coding submission is graded once, and every member of the group gets the score."""
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone

from coursesite.assignments.models import Submission
from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.autograding.models import GradingJob
from coursesite.autograding.services import grading_job_claim, grading_job_finish
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_adjust
from tests.coursesite.autograding.conftest import CORRECT_HW1, HANDOUT_README, wait_for
from tests.factories import AssignmentFactory, MembershipFactory, StudentGroupFactory, UserFactory

UPLOAD = CheckedUpload(files=(CheckedFile("hw1.py", b"def relu(a):\n    return a\n"), CheckedFile("README.md", b"# hw1\n")))
RESULT = {"score": 75.0, "max_score": 100.0, "tests": [{"name": "relu: zeros", "score": 75.0, "max_score": 100.0,
                                                        "status": "failed", "output": "", "visibility": "visible"}]}


@pytest.fixture
def hw1(db):
    return AssignmentFactory(coding=True, group_size=2)


@pytest.fixture
def alice(hw1):
    return MembershipFactory(course=hw1.course, user=UserFactory(username="alice"))


@pytest.fixture
def bob(hw1):
    return MembershipFactory(course=hw1.course, user=UserFactory(username="bob", first_name="Bob", last_name="Brown"))


@pytest.fixture
def group(hw1, alice, bob):
    return StudentGroupFactory(assignment=hw1, members=[alice, bob])


def hand_in(member, group, upload=UPLOAD) -> Submission:
    """`member` uploads for the group (the job is sent once the group is on the submission)."""
    with transaction.atomic():
        submission = submission_create(member=member, assignment=group.assignment, upload=upload, now=timezone.now())
        Submission.objects.filter(pk=submission.pk).update(group=group)
    submission.refresh_from_db()
    return submission


def finish(submission, result=RESULT):
    job = grading_job_claim(job_id=GradingJob.objects.get(submission=submission).id, now=timezone.now())
    grading_job_finish(job=job, result=result, now=timezone.now())


@pytest.mark.django_db
def test_a_group_submission_is_graded_once_and_every_member_gets_the_score(hw1, group, alice, bob):
    submission = hand_in(alice, group)

    finish(submission)

    assert GradingJob.objects.filter(submission__assignment=hw1).count() == 1
    scores = Score.objects.filter(assignment=hw1)
    assert {(s.member_id, s.points, s.submission_id) for s in scores} == {
        (alice.id, D(75), submission.id), (bob.id, D(75), submission.id)}


@pytest.mark.django_db
def test_a_members_adjustment_holds_when_the_group_is_graded_again(hw1, group, alice, bob):
    submission = hand_in(alice, group)
    finish(submission)
    staff = MembershipFactory(course=hw1.course, role="ta")
    score_adjust(member=bob, assignment=hw1, adjustment=D(-15), reason="wrote none of it", by=staff,
                 now=timezone.now())

    job = GradingJob.objects.get(submission=submission)
    GradingJob.objects.filter(pk=job.pk).update(status=GradingJob.Status.QUEUED)
    finish(submission, {**RESULT, "score": 100.0})

    points = dict(Score.objects.filter(assignment=hw1).values_list("member_id", "points"))
    assert points == {alice.id: D(100), bob.id: D(85)}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_grades_the_group_submission_once_for_both_members(worker_factory, hw1, group, alice, bob):
    worker_factory()
    upload = CheckedUpload(files=(CheckedFile("hw1.py", CORRECT_HW1), CheckedFile("README.md", HANDOUT_README)))

    submission = hand_in(bob, group, upload)

    job = wait_for(lambda: GradingJob.objects.filter(submission=submission, status=GradingJob.Status.DONE).first(),
                   what="the grade")
    assert (job.attempt, GradingJob.objects.filter(submission__assignment=hw1).count()) == (1, 1)
    points = dict(Score.objects.filter(assignment=hw1).values_list("member_id", "points"))
    assert points == {alice.id: hw1.points, bob.id: hw1.points}


