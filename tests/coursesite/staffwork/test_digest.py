"""The staff's digest e-mail: due when a request came in for them since their last one, at most one an hour,
claimed once however many workers sweep, never to who opted out; and what it says."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coursesite.autograding import liveness
from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest
from coursesite.staffwork.services import staff_digest_claim, staff_digests_due, staff_digests_send
from tests.coursesite.staffwork.conftest import regrade_request
from tests.factories import ExtensionRequestFactory
from tests.world import NOW

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
STAFF = ("abasu", "bliu", "fjeffrey", "risteski")


def sweep(django_capture_on_commit_callbacks, now=NOW):
    """One round of the sweep, as a worker runs it (its after-commit hooks run)."""
    with django_capture_on_commit_callbacks(execute=True):
        claimed = staff_digests_send(now=now)
    return sorted(Membership.objects.get(pk=pk).user.username for pk in claimed)


def last_digest(course_world, username, at):
    Membership.objects.filter(pk=course_world.member(username).pk).update(digest_sent_at=at)


def test_a_new_regrade_request_makes_a_digest_due_to_every_member_of_staff(course_world, alice, notifications,
                                                                           django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, opened_at=NOW - 10 * timedelta(minutes=1))
    assert sweep(django_capture_on_commit_callbacks) == sorted(STAFF)
    assert notifications.kinds() == ["notify_staff_digest"] * 4


def test_a_new_extension_request_makes_one_due_only_to_those_who_decide_it(course_world, alice,
                                                                           django_capture_on_commit_callbacks):
    ExtensionRequestFactory(member=alice, assignment=course_world.pset, requested_at=NOW - HOUR)
    assert sweep(django_capture_on_commit_callbacks) == ["fjeffrey", "risteski"]


def test_nothing_new_since_the_last_digest_sends_none(course_world, alice, django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, opened_at=NOW - 3 * HOUR)
    for username in STAFF:
        last_digest(course_world, username, NOW - 2 * HOUR)
    assert sweep(django_capture_on_commit_callbacks) == []


def test_a_request_taken_or_answered_since_it_came_in_makes_no_digest(course_world, alice, bob, ta,
                                                                       django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, taken_by=ta)
    ExtensionRequestFactory(member=bob, assignment=course_world.pset, requested_at=NOW,
                            status=ExtensionRequest.Status.DECLINED)
    assert sweep(django_capture_on_commit_callbacks) == []


def test_requests_older_than_a_day_make_no_first_digest(course_world, alice, django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, opened_at=NOW - 25 * HOUR)
    assert sweep(django_capture_on_commit_callbacks) == []


def test_at_most_one_digest_an_hour(course_world, alice, bob, carol, django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, opened_at=NOW)
    assert sweep(django_capture_on_commit_callbacks) == sorted(STAFF)
    regrade_request(bob, course_world.pset, opened_at=NOW + 30 * timedelta(minutes=1))
    assert sweep(django_capture_on_commit_callbacks, now=NOW + 59 * timedelta(minutes=1)) == []
    assert sweep(django_capture_on_commit_callbacks, now=NOW + HOUR) == sorted(STAFF)


def test_no_digest_to_a_member_who_opted_out(course_world, alice, django_capture_on_commit_callbacks):
    Membership.objects.filter(pk=course_world.member("bliu").pk).update(digest_opt_out=True)
    regrade_request(alice, course_world.pset)
    assert "bliu" not in sweep(django_capture_on_commit_callbacks)


def test_no_digest_to_a_member_without_an_email_address(course_world, alice, django_capture_on_commit_callbacks):
    user = course_world.member("bliu").user
    user.email = ""
    user.save()
    regrade_request(alice, course_world.pset)
    assert "bliu" not in sweep(django_capture_on_commit_callbacks)


def test_two_workers_that_read_the_same_due_digest_claim_it_once(course_world, alice):
    regrade_request(alice, course_world.pset)
    first_worker, second_worker = staff_digests_due(now=NOW), staff_digests_due(now=NOW)   # both read, then claim
    assert first_worker == second_worker and len(first_worker) == 4
    claims = [staff_digest_claim(due=due, now=NOW) for due in first_worker + second_worker]
    assert claims == [True] * 4 + [False] * 4


def test_sweeping_twice_at_once_sends_each_digest_once(course_world, alice, notifications,
                                                       django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset)
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    assert len(notifications.sent) == 4


def test_a_member_who_opts_out_after_the_read_is_not_claimed(course_world, alice):
    regrade_request(alice, course_world.pset)
    due = next(d for d in staff_digests_due(now=NOW) if d.member_id == course_world.member("bliu").pk)
    Membership.objects.filter(pk=due.member_id).update(digest_opt_out=True)
    assert not staff_digest_claim(due=due, now=NOW)


def test_the_round_is_one_query_when_nothing_came_in(course_world, alice):
    regrade_request(alice, course_world.pset, opened_at=NOW - 2 * 24 * HOUR)
    with CaptureQueriesContext(connection) as queries:
        assert staff_digests_send(now=NOW) == []
    assert len(queries) == 1


def test_the_round_is_two_queries_when_everyone_had_their_digest(course_world, alice):
    regrade_request(alice, course_world.pset, opened_at=NOW - 3 * HOUR)
    Membership.objects.staff().update(digest_sent_at=NOW - 2 * HOUR)
    with CaptureQueriesContext(connection) as queries:
        assert staff_digests_send(now=NOW) == []
    assert len(queries) == 2


def test_every_workers_sweep_runs_the_digests_round():
    assert staff_digests_send in liveness._also


# The e-mail.

def test_the_digest_lists_each_new_request_with_its_link_and_how_to_stop(
        course_world, alice, bob, questions, mailoutbox, notifications, django_capture_on_commit_callbacks):
    regrade = regrade_request(alice, questions[0].assignment, question=questions[1], opened_at=NOW - HOUR)
    extension = ExtensionRequestFactory(member=bob, assignment=course_world.pset, requested_at=NOW - 2 * HOUR)
    last_digest(course_world, "risteski", NOW - 3 * HOUR)
    Membership.objects.exclude(user__username="risteski").update(digest_opt_out=True)
    sweep(django_capture_on_commit_callbacks)
    assert notifications.deliver() == [1]
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["risteski@andrew.cmu.edu"], "10707: 2 requests waiting for you")
    assert mail.body.startswith("Hello Andrej Risteski,\n\n2 requests in 10707 Deep Learning came in since "
                                "Wed Mar 10, 9:00 AM EST and wait for you.\n\n")
    assert ("Regrade requests nobody took yet:\n"
            "- Alice Adams on Problem set 0, Question 2. Backpropagation (opened Wed Mar 10, 11:00 AM EST)\n"
            f"  http://127.0.0.1:8000/regrade-requests/{regrade.id}/\n") in mail.body
    assert ("Extension requests waiting for a decision:\n"
            "- Bob Brown on Problem set 1 (asked Wed Mar 10, 10:00 AM EST)\n"
            f"  http://127.0.0.1:8000/extension-requests/{extension.id}/\n") in mail.body
    assert ("on your dashboard:\nhttp://127.0.0.1:8000/courses/10707-s21/dashboard/\n\nYou get at most one of these "
            "e-mails an hour. To stop them, untick “E-mail me a digest when requests wait for me” there and save.\n"
            ) in mail.body


def test_the_digest_tells_a_ta_of_no_extension_request(course_world, alice, bob, mailoutbox, notifications,
                                                       django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset)
    ExtensionRequestFactory(member=bob, assignment=course_world.pset, requested_at=NOW)
    Membership.objects.exclude(user__username="abasu").update(digest_opt_out=True)
    sweep(django_capture_on_commit_callbacks)
    notifications.deliver()
    [mail] = mailoutbox
    assert "1 request in 10707 Deep Learning came in since Tue Mar 9, 12:00 PM EST and waits for you" in mail.body
    assert "Extension" not in mail.body


def test_the_digest_leaves_out_requests_older_than_the_last_one(course_world, alice, bob, mailoutbox, notifications,
                                                                django_capture_on_commit_callbacks):
    regrade_request(alice, course_world.pset, opened_at=NOW - 3 * HOUR)
    regrade_request(bob, course_world.pset, opened_at=NOW - HOUR)
    last_digest(course_world, "abasu", NOW - 2 * HOUR)
    Membership.objects.exclude(user__username="abasu").update(digest_opt_out=True)
    sweep(django_capture_on_commit_callbacks)
    notifications.deliver()
    [mail] = mailoutbox
    assert "Bob Brown" in mail.body and "Alice Adams" not in mail.body


def test_no_email_when_the_requests_were_taken_before_it_was_sent(course_world, alice, ta, mailoutbox, notifications,
                                                                  django_capture_on_commit_callbacks):
    request = regrade_request(alice, course_world.pset)
    sweep(django_capture_on_commit_callbacks)
    RegradeRequest.objects.filter(pk=request.pk).update(status=RegradeRequest.Status.TAKEN, handled_by=ta.user)
    assert notifications.deliver() == [0, 0, 0, 0]
    assert mailoutbox == []

