"""Every URL of the site, as every role and anonymously, gives exactly the expected outcome."""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coursesite.assignments.groups import group_invite
from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.grades.models import ExtensionRequest
from coursesite.integrity.services import case_open
from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest
from coursesite.rubrics.models import Question, RubricItem
from coursesite.similarity.models import SimilarityRun, SimilarPair
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    ExtensionRequestFactory,
    MembershipFactory,
    RegradeRequestFactory,
    SubmissionFactory,
    UserFactory,
)

PERSONAS = ("anonymous", "outsider", "student", "other_student", "ta", "education_associate", "instructor")
STAFF = {"ta": "page", "education_associate": "page", "instructor": "page"}


def row(anonymous, outsider, student, other_student, ta, education_associate, instructor):
    return dict(zip(PERSONAS, (anonymous, outsider, student, other_student, ta, education_associate, instructor)))


# "page" 200, "login" a redirect to log in, "redirect" any other redirect, "admin-login" the admin's log-in.
EXPECTED = {
    "courses:home": row("page", "page", "page", "page", "page", "page", "page"),
    "courses:syllabus": row("page", "page", "page", "page", "page", "page", "page"),
    "courses:calendar": row("page", "page", "page", "page", "page", "page", "page"),
    "courses:dashboard": row("login", 404, "page", "page", "page", "page", "page"),
    "people:roster": row("login", 404, 403, 403, "page", "page", "page"),
    "assignments:detail": row("login", 404, "page", "page", "page", "page", "page"),
    "assignments:handout-file": row("login", 404, "page", "page", "page", "page", "page"),
    "assignments:submission-upload": row("login", 404, 400, 400, 403, 403, 403),
    "assignments:submission-list": row("login", 404, 403, 403, "page", "page", "page"),
    "assignments:submission-detail": row("login", 404, "page", 404, "page", "page", "page"),
    "assignments:submission-activate": row("login", 404, "redirect", 404, 400, 400, 400),  # staff: no reason given
    "assignments:file-download": row("login", 404, "page", 404, "page", "page", "page"),
    # Which pages answer which question: only the students it counts for (an empty post clears nothing).
    "assignments:question-pages": row("login", 404, "redirect", 404, 403, 403, 403),
    # Groups: the student is in a group of one and invited the other student.
    "assignments:group": row("login", 404, "page", "page", 403, 403, 403),
    "assignments:group-invite": row("login", 404, "redirect", "redirect", 403, 403, 403),
    "assignments:group-invitation-answer": row("login", 404, "redirect", "redirect", 403, 403, 403),
    "assignments:group-leave": row("login", 404, "redirect", "redirect", 403, 403, 403),
    "assignments:group-size-request": row("login", 404, "redirect", "redirect", 403, 403, 403),
    "assignments:groups": row("login", 404, 403, 403, "page", "page", "page"),
    "assignments:groups-form": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "assignments:groups-change": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "assignments:groups-dissolve": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "assignments:groups-approve": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "assignments:groups-import": row("login", 404, 403, 403, 400, 400, 400),     # no file: the form says so
    "assignments:groups-import-apply": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "grades:ledger": row("login", 404, 403, 403, "page", "page", "page"),
    "grades:grace-days-add": row("login", 404, 403, 403, 403, 400, 400),
    "grades:extension-request": row("login", 404, "page", "page", 403, 403, 403),
    "grades:extension-list": row("login", 404, 403, 403, "page", "page", "page"),
    "grades:extension-detail": row("login", 404, "page", 404, "page", "page", "page"),
    "grades:extension-decide": row("login", 404, 403, 404, 403, 400, 400),
    "grades:extension-document": row("login", 404, "page", 404, 403, "page", "page"),
    "grades:scores": row("login", 404, 403, 403, "page", "page", "page"),
    "grades:scores-upload": row("login", 404, 403, 403, 400, 400, 400),
    "grades:score-override-clear": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "grades:score-adjust": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),  # empty: says why, back
    "grades:release": row("login", 404, 403, 403, 403, "page", "page"),   # GET: the confirmation page
    "grades:gradebook": row("login", 404, 403, 403, "page", "page", "page"),
    "grades:roster-import": row("login", 404, 403, 403, "page", "page", "page"),    # TAs preview, never apply
    "grades:roster-import-apply": row("login", 404, 403, 403, 403, "redirect", "redirect"),  # empty: back to upload
    "grades:gradebook-csv": row("login", 404, 403, 403, "page", "page", "page"),
    "rubrics:edit": row("login", 404, 403, 403, 403, "page", "page"),
    "rubrics:question-delete": row("login", 404, 403, 403, 403, "redirect", "redirect"),
    "rubrics:item-delete": row("login", 404, 403, 403, 403, "redirect", "redirect"),
    "rubrics:progress": row("login", 404, 403, 403, "page", "page", "page"),
    "rubrics:next": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "rubrics:grade": row("login", 404, 403, 403, "page", "page", "page"),
    "audit:student": row("login", 404, 403, 403, "page", "page", "page"),
    "audit:assignment": row("login", 404, 403, 403, "page", "page", "page"),
    "audit:course": row("login", 404, 403, 403, "page", "page", "page"),
    # The student here has a password already: the admins' request is refused with a message on the roster.
    "audit:invitation-send": row("login", 404, 403, 403, 403, "redirect", "redirect"),
    "people:invitation-accept": row("page", "page", "page", "page", "page", "page", "page"),  # a wrong link: says so
    "reports:syllabus-pdf": row("page", "page", "page", "page", "page", "page", "page"),
    "reports:student-pdf": row("login", 404, "page", 404, "page", "page", "page"),
    "reports:gradesheet-pdf": row("login", 404, 403, 403, "page", "page", "page"),
    "autograding:feedback": row("login", 404, "page", 404, "page", "page", "page"),
    "regrades:open": row("login", 404, "page", 404, 403, 403, 403),
    "regrades:open-exam": row("login", 404, "page", "page", 403, 403, 403),
    "regrades:queue": row("login", 404, 403, 403, "page", "page", "page"),
    "regrades:detail": row("login", 404, "page", 404, "page", "page", "page"),
    "regrades:take": row("login", 404, 403, 404, "redirect", "redirect", "redirect"),
    "regrades:answer": row("login", 404, 403, 404, 403, 400, 400),
    # Academic-integrity cases: instructors and the education associate; students never learn a case exists.
    "integrity:case-list": row("login", 404, 404, 404, 403, "page", "page"),
    "integrity:case-open": row("login", 404, 404, 404, 403, "page", "page"),
    "integrity:case-detail": row("login", 404, 404, 404, 403, "page", "page"),
    "integrity:case-note": row("login", 404, 404, 404, 403, 400, 400),       # empty: the form says so
    "integrity:case-decide": row("login", 404, 404, 404, 403, 400, 400),     # empty: the form says so
    "integrity:case-tell": row("login", 404, 404, 404, 403, 400, 400),       # the case is open: decide first
    "integrity:student": row("login", 404, "page", "page", 403, 403, 403),
    # Code similarity: the same people as the cases it may lead to.
    "similarity:assignment": row("login", 404, 404, 404, 403, "page", "page"),
    "similarity:compare": row("login", 404, 404, 404, 403, "redirect", "redirect"),   # queued
    "similarity:pair": row("login", 404, 404, 404, 403, "page", "page"),
    "similarity:archive-upload": row("login", 404, 404, 404, 403, 400, 400),      # no file: the form says so
    "similarity:archive-remove": row("login", 404, 404, 404, 403, "redirect", "redirect"),  # no term: says so
    # Work waiting for the staff: the digest e-mail's choice (empty: no digest) and the gradings that failed.
    "staffwork:digest": row("login", 404, 403, 403, "redirect", "redirect", "redirect"),
    "staffwork:could-not-be-graded": row("login", 404, 403, 403, "page", "page", "page"),
    "login": row("page", "page", "page", "page", "page", "page", "page"),
    # University sign-in is not configured here (tests/coursesite/people/test_university_signin.py configures it).
    "oidc_authentication_init": row(404, 404, 404, 404, 404, 404, 404),
    "oidc_authentication_callback": row(404, 404, 404, 404, 404, 404, 404),
    "logout": row("redirect", "redirect", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "password_change": row("login", "page", "page", "page", "page", "page", "page"),
    "password_change_done": row("login", "page", "page", "page", "page", "page", "page"),
    "password_reset": row("page", "page", "page", "page", "page", "page", "page"),
    "password_reset_done": row("page", "page", "page", "page", "page", "page", "page"),
    "password_reset_confirm": row("page", "page", "page", "page", "page", "page", "page"),  # a wrong link: says so
    "password_reset_complete": row("page", "page", "page", "page", "page", "page", "page"),
    "people:signin-unlock": row("login", 404, 403, 403, 403, "redirect", "redirect"),
    "admin:index": row("admin-login", "admin-login", "admin-login", "admin-login", "admin-login", "page", "page"),
}
POST_ONLY = {
    "grades:roster-import-apply",
    "assignments:submission-upload", "assignments:submission-activate", "assignments:question-pages", "logout",
    "grades:grace-days-add", "grades:extension-decide", "grades:scores-upload",
    "grades:score-override-clear", "grades:score-adjust", "people:signin-unlock", "audit:invitation-send",
    "regrades:take", "regrades:answer", "rubrics:question-delete", "rubrics:item-delete",
    "assignments:group-invite", "assignments:group-invitation-answer", "assignments:group-leave",
    "assignments:group-size-request", "assignments:groups-form", "assignments:groups-change",
    "assignments:groups-dissolve", "assignments:groups-approve", "assignments:groups-import",
    "assignments:groups-import-apply",
    "integrity:case-note", "integrity:case-decide", "integrity:case-tell",
    "similarity:compare", "similarity:archive-upload", "similarity:archive-remove",
    "staffwork:digest",
}


def url_names(patterns=None, namespace=""):
    """Every named URL of the site; of the admin's own pages only its index (the admin checks the rest)."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if inner == "admin:":
                yield "admin:index"
                continue
            yield from url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


@dataclass
class World:
    users: dict
    course: object
    assignment: object
    submission: Submission
    file: SubmissionFile
    extension_request: ExtensionRequest
    members: dict
    question: Question
    item: RubricItem
    regrade_request: RegradeRequest
    exam: object
    coding: object
    project: object = None          # groups of two
    invitation: object = None       # the student's group of one invites the other student
    case: object = None             # an open academic-integrity case on the two students
    pair: object = None             # a similar pair the coding assignment's comparison found

    def url(self, name):
        kwargs = {
            "courses:syllabus": {"slug": self.course.slug},
            "courses:calendar": {"slug": self.course.slug},
            "courses:dashboard": {"slug": self.course.slug},
            "people:roster": {"slug": self.course.slug},
            "people:signin-unlock": {"slug": self.course.slug, "member_id": self.members["student"].id},
            "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
            "assignments:detail": {"slug": self.course.slug, "key": self.assignment.key},
            "assignments:handout-file": {"slug": self.course.slug, "key": self.coding.key, "name": "hw1.py"},
            "assignments:submission-upload": {"slug": self.course.slug, "key": self.assignment.key},
            "assignments:submission-list": {"slug": self.course.slug, "key": self.assignment.key},
            "assignments:submission-detail": {"submission_id": self.submission.id},
            "assignments:submission-activate": {"submission_id": self.submission.id},
            "assignments:file-download": {"submission_id": self.submission.id, "file_id": self.file.id},
            "assignments:question-pages": {"submission_id": self.submission.id},
            "grades:ledger": {"slug": self.course.slug},
            "grades:grace-days-add": {"slug": self.course.slug, "member_id": self.members["student"].id},
            "grades:extension-request": {"slug": self.course.slug, "key": self.assignment.key},
            "grades:extension-list": {"slug": self.course.slug},
            "grades:extension-detail": {"request_id": self.extension_request.id},
            "grades:extension-decide": {"request_id": self.extension_request.id},
            "grades:extension-document": {"request_id": self.extension_request.id},
            "grades:scores": {"slug": self.course.slug, "key": self.assignment.key},
            "grades:scores-upload": {"slug": self.course.slug, "key": self.assignment.key},
            "grades:release": {"slug": self.course.slug, "key": self.assignment.key},
            "grades:score-override-clear": {"slug": self.course.slug, "key": self.assignment.key,
                                            "member_id": self.members["student"].id},
            "grades:score-adjust": {"slug": self.course.slug, "key": self.assignment.key,
                                    "member_id": self.members["student"].id},
            "grades:gradebook": {"slug": self.course.slug},
            "grades:roster-import": {"slug": self.course.slug},
            "grades:roster-import-apply": {"slug": self.course.slug},
            "grades:gradebook-csv": {"slug": self.course.slug},
            "autograding:feedback": {"submission_id": self.submission.id},
            "regrades:open": {"submission_id": self.submission.id},
            "regrades:open-exam": {"slug": self.course.slug, "key": self.exam.key},
            "regrades:queue": {"slug": self.course.slug},
            "regrades:detail": {"request_id": self.regrade_request.id},
            "regrades:take": {"request_id": self.regrade_request.id},
            "regrades:answer": {"request_id": self.regrade_request.id},
            "reports:syllabus-pdf": {"slug": self.course.slug},
            "reports:student-pdf": {"slug": self.course.slug, "member_id": self.members["student"].id},
            "reports:gradesheet-pdf": {"slug": self.course.slug},
            "audit:student": {"slug": self.course.slug, "member_id": self.members["student"].id},
            "audit:assignment": {"slug": self.course.slug, "key": self.assignment.key},
            "audit:course": {"slug": self.course.slug},
            "audit:invitation-send": {"slug": self.course.slug, "member_id": self.members["student"].id},
            "people:invitation-accept": {"slug": self.course.slug, "uidb64": "MQ", "token": "not-a-token"},
            "rubrics:edit": {"slug": self.course.slug, "key": self.assignment.key},
            "rubrics:question-delete": {"slug": self.course.slug, "key": self.assignment.key,
                                        "question_id": self.question.id},
            "rubrics:item-delete": {"slug": self.course.slug, "key": self.assignment.key, "item_id": self.item.id},
            "rubrics:progress": {"slug": self.course.slug, "key": self.assignment.key},
            "rubrics:next": {"slug": self.course.slug, "key": self.assignment.key, "question_id": self.question.id},
            "rubrics:grade": {"slug": self.course.slug, "key": self.assignment.key, "question_id": self.question.id,
                              "submission_id": self.submission.id},
        }.get(name, {})
        if name.startswith("staffwork:"):
            kwargs = {"slug": self.course.slug}
        if name.startswith("integrity:"):
            kwargs = {"slug": self.course.slug}
            if name not in ("integrity:case-list", "integrity:case-open", "integrity:student"):
                kwargs["case_id"] = self.case.id
        if name.startswith("similarity:"):
            kwargs = {"slug": self.course.slug, "key": self.coding.key}
            if name == "similarity:pair":
                kwargs["pair_id"] = self.pair.id
        if name.startswith(("assignments:group", "assignments:groups")):
            kwargs = {"slug": self.course.slug, "key": self.project.key}
            if name == "assignments:group-invitation-answer":
                kwargs["invitation_id"] = self.invitation.id
            elif name in ("assignments:groups-change", "assignments:groups-dissolve", "assignments:groups-approve"):
                kwargs["group_id"] = self.invitation.group_id
        return reverse(name, kwargs=kwargs)


def make_submission(member, assignment, when):
    submission = SubmissionFactory(member=member, assignment=assignment, submitted_at=when, is_active=False)
    stored = SubmissionFile(submission=submission, name="writeup.pdf", size=8, sha256="1" * 64)
    stored.file.save("writeup.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return submission


@pytest.fixture
def world(db):
    course = CourseFactory()
    users = {"outsider": UserFactory(username="outsider")}
    roles = {"student": Membership.Role.STUDENT, "other_student": Membership.Role.STUDENT,
             "ta": Membership.Role.TA, "education_associate": Membership.Role.EDUCATION_ASSOCIATE,
             "instructor": Membership.Role.INSTRUCTOR}
    members = {}
    for persona, role in roles.items():
        members[persona] = MembershipFactory(course=course, role=role, user=UserFactory(username=persona))
        users[persona] = members[persona].user
    for persona in ("education_associate", "instructor"):  # as loadcourse makes them
        users[persona].is_staff = True
        users[persona].save()
    # Another course's instructor is an outsider here.
    MembershipFactory(user=users["outsider"], role=Membership.Role.INSTRUCTOR)
    assignment = AssignmentFactory(course=course)
    earlier = timezone.now() - timedelta(hours=2)
    submission = make_submission(members["student"], assignment, earlier)
    make_submission(members["student"], assignment, earlier + timedelta(minutes=5))
    make_submission(members["other_student"], assignment, earlier)
    extension_request = ExtensionRequestFactory.build(member=members["student"], assignment=assignment,
                                                      requested_at=earlier)
    extension_request.document.save("doctors-note.pdf", ContentFile(b"%PDF-1.4 note"), save=True)
    Submission.objects.filter(pk=submission.pk).update(is_active=True)  # the one staff grade
    submission.is_active = True
    question = Question.objects.create(assignment=assignment, number=1, title="Backpropagation", points=10)
    project = AssignmentFactory(course=course, key="project", kind=Assignment.Kind.PROJECT, group_size=2)
    coding = AssignmentFactory(course=course, coding=True)
    run = SimilarityRun.objects.create(assignment=coding, requested_by=users["instructor"], requested_at=earlier,
                                       sent_at=earlier, status=SimilarityRun.Status.DONE)
    pair = SimilarPair.objects.create(run=run, a=submission, b=Submission.objects.filter(
        member=members["other_student"]).get(), score=Decimal("0.9"), shared=40, matches=[])
    regrade_request = RegradeRequestFactory(submission=submission, question=question,
                                            justification="Question 1 is right: see page 2.", opened_at=earlier)
    return World(users=users, course=course, assignment=assignment, submission=submission,
                 file=submission.files.get(), extension_request=extension_request, members=members,
                 question=question, regrade_request=regrade_request,
                 item=RubricItem.objects.create(question=question, description="Correct chain rule", points=10),
                 exam=AssignmentFactory(course=course, exam=True),
                 coding=coding, project=project, pair=pair,
                 invitation=group_invite(inviter=members["student"], invited=members["other_student"],
                                         assignment=project, now=timezone.now()),
                 case=case_open(course=course, students=[members["student"], members["other_student"]],
                                assignment=assignment, by=members["instructor"], now=timezone.now()))


def outcome_of(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "admin-login"
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "login"
        return "redirect"
    if response.status_code == 200:
        return "page"
    return response.status_code


def test_every_url_of_the_site_has_an_expected_outcome():
    assert set(url_names()) == set(EXPECTED)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_every_url_gives_the_expected_outcome_to_every_role(client, world, url_name, persona):
    if persona != "anonymous":
        client.force_login(world.users[persona])
    url = world.url(url_name)
    response = client.post(url) if url_name in POST_ONLY else client.get(url)
    assert outcome_of(response) == EXPECTED[url_name][persona], f"{persona} on {url}"


def test_a_student_never_reaches_another_students_submission_by_guessing_ids(client, world):
    client.force_login(world.users["other_student"])
    own = set(Submission.objects.filter(member__user=world.users["other_student"]).values_list("id", flat=True))
    highest = Submission.objects.order_by("-id").values_list("id", flat=True).first()
    for submission_id in range(1, highest + 5):
        if submission_id in own:
            continue
        for name in ("assignments:submission-detail", "assignments:file-download"):
            kwargs = {"submission_id": submission_id}
            if name == "assignments:file-download":
                kwargs["file_id"] = world.file.id
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_students_do_not_see_an_assignment_before_its_release(client, world):
    later = AssignmentFactory(course=world.course, unreleased=True)
    url = reverse("assignments:detail", kwargs={"slug": world.course.slug, "key": later.key})
    client.force_login(world.users["student"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["ta"])
    assert client.get(url).status_code == 200


def test_the_staff_submission_list_shows_every_students_work_and_a_student_sees_only_their_own(client, world):
    client.force_login(world.users["ta"])
    page = client.get(world.url("assignments:submission-list")).content.decode()
    assert page.count("/files/") == 3
    client.force_login(world.users["other_student"])
    page = client.get(world.url("assignments:detail")).content.decode()
    assert page.count("/activate/") + page.count("<strong>active</strong>") == 1
