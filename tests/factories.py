"""Factories for the course site's models: build() for unsaved objects, create() when the DB matters."""
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coursesite.assignments.models import Assignment, GroupMember, StudentGroup, Submission
from coursesite.autograding.models import GradingJob
from coursesite.courses.models import Course, GradingCategory
from coursesite.grades.models import ExtensionRequest, Score
from coursesite.people.models import Membership, User
from coursesite.regrades.models import RegradeRequest

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"course-{n}")
    number = "10707"
    title = "Deep Learning"
    term = "Spring 2021"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=3))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + timedelta(weeks=15))
    meeting_times = "MW 12:20-1:40 pm"
    location = "Zoom"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradingCategory
        django_get_or_create = ("course", "key")

    course = factory.SubFactory(CourseFactory)
    key = "assignments"
    name = "Assignments"
    weight = Decimal(45)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    role = Membership.Role.STUDENT


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A problem set released a week ago and due in a week."""

    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    category = factory.LazyAttribute(lambda a: CategoryFactory(course=a.course))
    key = factory.Sequence(lambda n: f"ps{n}")
    title = factory.LazyAttribute(lambda a: f"Problem set {a.key}")
    kind = Assignment.Kind.PROBLEM_SET
    points = Decimal(100)
    release_at = factory.LazyFunction(lambda: timezone.now() - timedelta(weeks=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(weeks=1))

    class Params:
        coding = factory.Trait(
            kind=Assignment.Kind.CODING, key=factory.Sequence(lambda n: f"hw{n}-coding"),
            autograder_spec="hw1", required_files=["hw1.py", "README.md"],
        )
        exam = factory.Trait(
            kind=Assignment.Kind.EXAM, uses_grace_days=False, key=factory.Sequence(lambda n: f"midterm-{n}"),
            release_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2)),
            due_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )
        unreleased = factory.Trait(
            release_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2)),
            due_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=16)),
        )


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission row as the upload service leaves it, without files (most tests never open them).

    `active=True` (the default) makes it the graded one, as submission_create does: the student's
    earlier submissions to the assignment stop being active first.
    """

    class Meta:
        model = Submission

    member = factory.SubFactory(MembershipFactory)
    assignment = factory.SubFactory(AssignmentFactory, course=factory.SelfAttribute("..member.course"))
    submitted_at = factory.LazyFunction(timezone.now)
    is_active = True
    sha256 = "0" * 64

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("is_active"):
            model_class.objects.filter(member=kwargs["member"], assignment=kwargs["assignment"]).update(is_active=False)
        return super()._create(model_class, *args, **kwargs)


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score staff entered (write through the services when the history matters)."""

    class Meta:
        model = Score

    member = factory.SubFactory(MembershipFactory)
    assignment = factory.SubFactory(AssignmentFactory, course=factory.SelfAttribute("..member.course"))
    points = Decimal(80)
    entered_at = factory.LazyFunction(timezone.now)
    source = Score.Source.STAFF


class GradingJobFactory(factory.django.DjangoModelFactory):
    """A finished grading (status done, with its result) unless told otherwise."""

    class Meta:
        model = GradingJob

    submission = factory.SubFactory(SubmissionFactory)
    spec_name = "hw1"
    status = GradingJob.Status.DONE
    queued_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda j: j.queued_at if j.status == GradingJob.Status.DONE else None)
    score = Decimal(9)
    max_score = Decimal(15)
    result = factory.LazyAttribute(lambda j: {"score": float(j.score), "tests": []})

    class Params:
        queued = factory.Trait(status=GradingJob.Status.QUEUED, score=None, max_score=None, result=None)


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    """A pending request for a medical extension."""

    class Meta:
        model = ExtensionRequest

    member = factory.SubFactory(MembershipFactory)
    assignment = factory.SubFactory(AssignmentFactory, course=factory.SelfAttribute("..member.course"))
    reason = ExtensionRequest.Reason.MEDICAL
    note = "Hospitalised for two days."
    requested_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class RegradeRequestFactory(factory.django.DjangoModelFactory):
    """An open request on the whole of a submission (open one through the service when its rules matter)."""

    class Meta:
        model = RegradeRequest

    submission = factory.SubFactory(SubmissionFactory)
    member = factory.SelfAttribute("submission.member")
    assignment = factory.SelfAttribute("submission.assignment")
    justification = "My answer is right: see page 2."
    opened_at = factory.LazyFunction(timezone.now)


class StudentGroupFactory(factory.django.DjangoModelFactory):
    """A group on a group assignment; `members=[alice, bob]` puts those students in it (as joined now)."""

    class Meta:
        model = StudentGroup
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory, group_size=2)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for member in extracted or []:
            GroupMember.objects.create(group=self, assignment=self.assignment, member=member, joined_at=self.created_at)
