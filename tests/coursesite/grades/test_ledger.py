"""The grace-day ledger in the site: staff's view, days added by staff, recomputation on a new active choice."""
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from coursesite.assignments.models import Submission
from coursesite.assignments.services import submission_create, submission_make_active
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.grades.models import GraceDayGrant
from coursesite.grades.selectors import grace_day_ledger_for, late_preview
from coursesite.grades.services.ledger import grace_days_add
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory
from tests.pdfs import minimal_pdf

UPLOAD = CheckedUpload(files=(CheckedFile(name="writeup.pdf", content=minimal_pdf()),))


@pytest.fixture
def student(alice):
    return alice


def past_assignment(course, due_days_ago: float):
    now = timezone.now()
    return AssignmentFactory(course=course, release_at=now - timedelta(days=20), due_at=now - timedelta(days=due_days_ago))


def submit(member, assignment, *, days_after_due: float) -> Submission:
    return submission_create(member=member, assignment=assignment, upload=UPLOAD,
                             now=assignment.due_at + timedelta(days=days_after_due))


def test_staff_ledger_lists_each_students_budget_use_and_reasons(client, course, student, ta):
    ps = past_assignment(course, due_days_ago=5)
    submit(student, ps, days_after_due=1.5)
    client.force_login(ta.user)
    page = client.get(reverse("grades:ledger", args=[course.slug])).content.decode()
    row = page.split(f'id="ledger-{student.id}"')[1].split("</tr>")[0]
    assert "<td>7</td>" in row and "<td>2</td>" in row and "<td>5</td>" in row
    assert f"{ps.title}: Submitted 2 days late; 2 grace days used." in row


def test_an_instructor_adds_days_to_one_students_budget_with_a_reason(client, course, student, instructor):
    other = MembershipFactory(course=course)
    client.force_login(instructor.user)
    response = client.post(reverse("grades:grace-days-add", args=[course.slug, student.id]),
                           {"days": 2, "reason": "Accommodation letter of March 3"})
    assert response.status_code == 302
    grant = GraceDayGrant.objects.get()
    assert (grant.member, grant.days, grant.reason, grant.granted_by) == (student, 2, "Accommodation letter of March 3", instructor.user)
    assert grace_day_ledger_for(student).budget == 9
    assert grace_day_ledger_for(other).budget == 7
    page = client.get(reverse("grades:ledger", args=[course.slug])).content.decode()
    assert "(7 + 2 added)" in page and "Accommodation letter of March 3" in page


def test_added_days_let_a_student_use_grace_days_beyond_the_course_budget(course, student, instructor):
    for _ in range(3):  # 3 + 3 + 1 = 7 days used
        submit(student, past_assignment(course, due_days_ago=10), days_after_due=2.5)
    submit(student, past_assignment(course, due_days_ago=10), days_after_due=0.5)
    late = past_assignment(course, due_days_ago=0.5)
    assert late_preview(student, late, timezone.now()).zeroed
    grace_days_add(member=student, days=1, reason="Accommodation", by=instructor.user, now=timezone.now())
    preview = late_preview(student, late, timezone.now())
    assert (preview.zeroed, preview.grace_days_charged) == (False, 1)


@pytest.mark.parametrize(("data", "message"), [
    ({"days": 0, "reason": "x"}, "Ensure this value is greater than or equal to 1."),
    ({"days": 2, "reason": "   "}, "This field is required."),
    ({"reason": "x"}, "This field is required."),
])
def test_adding_days_with_bad_input_is_refused_and_records_nothing(client, course, student, instructor, data, message):
    client.force_login(instructor.user)
    response = client.post(reverse("grades:grace-days-add", args=[course.slug, student.id]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GraceDayGrant.objects.exists()


def test_days_cannot_be_added_to_a_staff_member_or_another_courses_student(client, course, instructor, ta):
    stranger = MembershipFactory()
    client.force_login(instructor.user)
    for target in (ta, stranger):
        response = client.post(reverse("grades:grace-days-add", args=[course.slug, target.id]), {"days": 1, "reason": "x"})
        assert response.status_code == 404
    assert not GraceDayGrant.objects.exists()


def ledger_row(client, course, member) -> str:
    page = client.get(reverse("grades:ledger", args=[course.slug])).content.decode()
    return " ".join(strip_tags(page.split(f'id="ledger-{member.id}"')[1].split("</tr>")[0]).split())


def test_a_ta_sees_that_days_were_added_but_not_the_accommodation_reason(client, course, student, ta, instructor):
    grace_days_add(member=student, days=2, reason="Disability services letter", by=instructor.user, now=timezone.now())
    client.force_login(ta.user)
    row = ledger_row(client, course, student)
    assert "9 (7 + 2 added)" in row
    assert "+2 on" in row and "reason visible to the instructor and education associate" in row
    assert "Disability services letter" not in row


def test_the_education_associate_reads_the_accommodation_reason(client, course, student, instructor):
    associate = MembershipFactory(course=course, role=Membership.Role.EDUCATION_ASSOCIATE)
    grace_days_add(member=student, days=2, reason="Disability services letter", by=instructor.user, now=timezone.now())
    client.force_login(associate.user)
    assert "Disability services letter" in ledger_row(client, course, student)


def test_a_ta_sees_the_ledger_but_cannot_add_days(client, course, student, ta):
    client.force_login(ta.user)
    assert "Add grace days" not in client.get(reverse("grades:ledger", args=[course.slug])).content.decode()
    response = client.post(reverse("grades:grace-days-add", args=[course.slug, student.id]), {"days": 1, "reason": "x"})
    assert response.status_code == 403


def test_choosing_another_active_submission_recomputes_the_ledger_at_once(client, course, student):
    ps = past_assignment(course, due_days_ago=2)         # still open: the grace window runs 3 days
    on_time = submit(student, ps, days_after_due=-0.5)
    submit(student, ps, days_after_due=1.5)  # the latest is active: 2 days late
    assert grace_day_ledger_for(student).used == 2
    client.force_login(student.user)
    client.post(reverse("assignments:submission-activate", args=[on_time.id]))
    assert grace_day_ledger_for(student).used == 0
    page = client.get(reverse("assignments:detail", args=[course.slug, ps.key])).content.decode()
    assert "You have 7 of 7 grace days left" in page


def test_a_staff_switch_after_closing_recomputes_the_ledger_at_once(client, course, student, ta):
    ps = past_assignment(course, due_days_ago=5)
    on_time = submit(student, ps, days_after_due=-0.5)
    submit(student, ps, days_after_due=2.5)  # the latest is active: 3 days late
    client.force_login(ta.user)
    client.post(reverse("assignments:submission-activate", args=[on_time.id]),
                {"reason": "Her late upload was a mistake; she asked by e-mail before the deadline."})
    assert grace_day_ledger_for(student).used == 0


@pytest.mark.django_db(transaction=True)
def test_simultaneous_choices_of_the_active_submission_leave_exactly_one_active():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL (CI runs this on it); SQLite serializes whole-database writes")
    course = CourseFactory()
    student = MembershipFactory(course=course)
    ps = past_assignment(course, due_days_ago=5)
    choices = [submit(student, ps, days_after_due=d) for d in (-1, 0.5, 1.5, 2.5)]
    barrier = threading.Barrier(len(choices))
    errors = []

    def choose(submission):
        try:
            barrier.wait()
            for _ in range(5):
                submission_make_active(submission=Submission.objects.get(pk=submission.pk))
        except Exception as exc:  # noqa: BLE001 - any error is the failure we look for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(s,)) for s in choices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Submission.objects.filter(member=student, assignment=ps, is_active=True).count() == 1
    ledger = grace_day_ledger_for(student)
    active = Submission.objects.get(member=student, assignment=ps, is_active=True)
    expected = {choices[0].id: 0, choices[1].id: 1, choices[2].id: 2, choices[3].id: 3}[active.id]
    assert ledger.used == expected <= ledger.budget
