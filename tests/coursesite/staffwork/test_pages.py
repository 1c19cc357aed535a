"""The staff dashboard's "Waiting for the staff" section, its digest form, and the page of the gradings that
failed."""
import pytest
from django.urls import reverse

from coursesite.people.models import Membership
from tests.coursesite.staffwork.conftest import failed_grading, hand_in, regrade_request
from tests.factories import ExtensionRequestFactory

pytestmark = pytest.mark.django_db


def dashboard(client, member):
    client.force_login(member.user)
    return client.get(reverse("courses:dashboard", args=[member.course.slug])).content.decode()


def test_the_staff_dashboard_shows_what_waits_each_with_its_link(client, course_world, alice, bob, ps0, questions):
    regrade_request(alice, course_world.pset)
    ExtensionRequestFactory(member=bob, assignment=course_world.pset)
    hand_in(alice, ps0)
    failed_grading(bob, course_world.coding)
    page = dashboard(client, course_world.member("risteski"))
    assert '<li><a href="/courses/10707-s21/regrades/">1 regrade request (1 for you)</a></li>' in page
    assert '<a href="/courses/10707-s21/extensions/">1 extension request</a>' in page
    assert (f'<a href="/courses/10707-s21/assignments/ps0/grading/{questions[1].id}/next/">'
            f'Problem set 0, question 2: 1 ungraded</a>') in page
    assert '<a href="/courses/10707-s21/could-not-be-graded/">1 submission could not be graded</a>' in page
    assert "Nothing is waiting" not in page


def test_the_staff_dashboard_says_when_nothing_waits(client, course_world):
    page = dashboard(client, course_world.member("abasu"))
    assert "<h2>Waiting for the staff</h2>" in page
    assert "Nothing is waiting for the staff." in page


def test_a_students_dashboard_has_no_such_section(client, course_world, alice):
    regrade_request(alice, course_world.pset)
    assert "Waiting for the staff" not in dashboard(client, alice)


def test_the_digest_box_is_ticked_unless_the_member_opted_out(client, course_world, ta, other_ta):
    Membership.objects.filter(pk=other_ta.pk).update(digest_opt_out=True)
    assert 'name="wants_digest" id="id_wants_digest" checked' in dashboard(client, ta)
    assert 'name="wants_digest" id="id_wants_digest">' in dashboard(client, other_ta)


def test_unticking_the_box_stops_the_digests(client, course_world, ta):
    client.force_login(ta.user)
    response = client.post(reverse("staffwork:digest", args=["10707-s21"]), follow=True)
    assert response.redirect_chain == [("/courses/10707-s21/dashboard/", 302)]
    assert "You will get no e-mail digests of requests waiting for you." in response.content.decode()
    ta.refresh_from_db()
    assert ta.digest_opt_out


def test_ticking_the_box_starts_them_again(client, course_world, ta):
    Membership.objects.filter(pk=ta.pk).update(digest_opt_out=True)
    client.force_login(ta.user)
    response = client.post(reverse("staffwork:digest", args=["10707-s21"]), {"wants_digest": "on"}, follow=True)
    assert "You will get an e-mail digest when requests wait for you, at most one an hour." in response.content.decode()
    ta.refresh_from_db()
    assert not ta.digest_opt_out


def test_the_choice_is_one_persons_own(client, course_world, ta, other_ta):
    client.force_login(ta.user)
    client.post(reverse("staffwork:digest", args=["10707-s21"]))
    other_ta.refresh_from_db()
    assert not other_ta.digest_opt_out


def test_the_digest_form_needs_the_csrf_token(course_world, ta):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(ta.user)
    assert client.post(reverse("staffwork:digest", args=["10707-s21"])).status_code == 403
    ta.refresh_from_db()
    assert not ta.digest_opt_out


def test_the_page_of_gradings_that_failed_says_why(client, course_world, alice, bob):
    job = failed_grading(alice, course_world.coding, why="Attempt 3: its worker stopped answering.")
    client.force_login(course_world.member("abasu").user)
    page = client.get(reverse("staffwork:could-not-be-graded", args=["10707-s21"])).content.decode()
    assert f'<tr id="job-{job.id}">' in page and "Attempt 3: its worker stopped answering." in page
    assert f'href="/submissions/{job.submission_id}/"' in page
    assert "Alice Adams" in page and "Bob Brown" not in page
