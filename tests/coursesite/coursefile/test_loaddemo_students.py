"""manage.py loaddemo_students: a crowd of demo students with their term's work, over the demo course."""
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.coursefile.management.commands.loaddemo import DEMO_FILE
from coursesite.autograding.models import GradingJob
from coursesite.grades.models import ExtensionRequest, Score
from coursesite.people.models import Membership, User
from coursesite.regrades.models import RegradeRequest

pytestmark = pytest.mark.django_db
SLUG = "10707-s21"
COUNT = 12


def load_students(**options) -> str:
    out = StringIO()
    call_command("loaddemo_students", count=COUNT, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo():
    call_command("loaddemo", interactive=False, stdout=StringIO())


@pytest.fixture
def crowd(demo) -> str:
    return load_students()


def crowd_students():
    return Membership.objects.filter(course__slug=SLUG, user__username__regex=r"^s\d{3}$").students()


def test_the_students_join_the_demo_course_in_sections_a_to_d(crowd):
    students = crowd_students()
    assert sorted(students.values_list("user__username", flat=True)) == [f"s{n:03d}" for n in range(1, COUNT + 1)]
    assert set(students.values_list("section", flat=True)) == set("ABCD")


def test_every_student_logs_in_with_the_demo_password(crowd):
    users = User.objects.filter(username__in=["s001", "s012"])
    assert all(user.check_password("deeplearning") and user.email.endswith("@example.org") for user in users)


def test_most_students_hand_in_the_problem_set_that_is_past_due_as_a_pdf(crowd):
    ps1 = Assignment.objects.get(course__slug=SLUG, key="ps1")
    handed_in = Submission.objects.filter(assignment=ps1, member__in=crowd_students(), is_active=True)
    assert handed_in.count() >= COUNT * 3 // 4
    stored = handed_in.first().files.get()
    assert stored.file.open("rb").read(5) == b"%PDF-"


def test_the_past_due_problem_set_is_graded_with_its_rubric_and_released(crowd):
    ps1 = Assignment.objects.get(course__slug=SLUG, key="ps1")
    assert ps1.grades_released(timezone.now())
    assert Score.objects.filter(assignment=ps1, source=Score.Source.RUBRIC).exists()


def test_without_grade_no_grading_job_waits_for_the_worker(crowd):
    jobs = GradingJob.objects.filter(submission__assignment__key="hw1-coding")
    assert jobs.exists()
    assert set(jobs.values_list("status", flat=True)) == {GradingJob.Status.DONE}
    assert Score.objects.filter(assignment__key="hw1-coding", source=Score.Source.AUTOGRADER).count() == jobs.count()


def test_with_grade_the_coding_hand_ins_are_queued_for_the_worker(demo):
    output = load_students(grade=True)
    jobs = GradingJob.objects.filter(submission__assignment__key="hw1-coding")
    assert jobs.exists()
    assert set(jobs.values_list("status", flat=True)) == {GradingJob.Status.QUEUED}
    assert f"{jobs.count()} grading job" in output


def test_regrade_and_extension_requests_wait_for_the_staff(crowd):
    assert RegradeRequest.objects.filter(member__in=crowd_students(), status=RegradeRequest.Status.OPEN).exists()
    assert ExtensionRequest.objects.filter(member__in=crowd_students(),
                                           status=ExtensionRequest.Status.PENDING).exists()


def test_the_output_says_how_to_log_in_and_that_no_grading_was_queued(crowd):
    assert f"Log in as any of {COUNT} students s001..s012, password 'deeplearning'." in crowd
    assert "no grading jobs were queued" in crowd


def test_a_second_run_adds_nothing_and_says_so(crowd):
    counts = (User.objects.count(), Submission.objects.count(), RegradeRequest.objects.count(),
              ExtensionRequest.objects.count(), Score.objects.count())
    again = load_students()
    assert (User.objects.count(), Submission.objects.count(), RegradeRequest.objects.count(),
            ExtensionRequest.objects.count(), Score.objects.count()) == counts
    assert f"{COUNT} of the students s001..s012 exist already: skipped" in again


def test_a_missing_course_is_refused_with_the_way_to_load_it(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load the demo course first with `manage.py loaddemo`"):
        load_students()


def test_an_exam_already_sat_is_scored_for_every_student_and_released(db):
    """Later in the term (started 60 days ago, Midterm 1 past) the same load scores the exam and releases it."""
    call_command("loadcourse", str(Path(__file__).resolve().parents[3] / DEMO_FILE),
                 shift_to=timezone.localdate() - timedelta(days=60), demo_password="deeplearning", stdout=StringIO())
    output = load_students()
    midterm = Assignment.objects.get(course__slug=SLUG, key="midterm-1")
    assert Score.objects.filter(assignment=midterm, member__in=crowd_students()).count() == COUNT
    assert midterm.grades_released(timezone.now())
    assert f"midterm-1: {COUNT} scores entered" in output
