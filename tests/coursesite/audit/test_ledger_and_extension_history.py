"""Grace days added and extensions decided are in the history: the budget and due time before and after, and why."""
from datetime import UTC, timedelta

import pytest

from coursesite.grades.services.extensions import ExtensionRefused, extension_decline, extension_grant
from coursesite.grades.services.ledger import grace_days_add

from tests.world import DAY, NOW

from .conftest import history, requested

pytestmark = pytest.mark.django_db


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def test_adding_grace_days_records_the_old_and_new_budget_and_the_reason(alice, instructor):
    grace_days_add(member=alice, days=2, reason="Accommodation letter of March 3", by=instructor.user, now=NOW)
    grace_days_add(member=alice, days=1, reason="  Family emergency  ", by=instructor.user, now=NOW)

    assert history(member=alice) == [
        ("grace_days", "7", "9", "Accommodation letter of March 3"),
        ("grace_days", "9", "10", "Family emergency"),
    ]


def test_granting_an_extension_records_the_class_due_time_and_the_new_one(alice, pset, associate):
    new_due = pset.due_at + 2 * DAY

    extension_grant(request=requested(alice, pset), by=associate.user, due_at=new_due, note="Doctor's note seen.",
                    now=NOW)

    [(kind, old, new, why)] = history(member=alice, assignment=pset)
    assert (kind, old, new) == ("extension", iso(pset.due_at), iso(new_due))
    assert why.endswith("granted (Medical emergency): Doctor's note seen.")


def test_moving_an_extension_records_the_earlier_extension_as_the_old_due_time(alice, pset, associate):
    first, second = pset.due_at + DAY, pset.due_at + 3 * DAY
    extension_grant(request=requested(alice, pset), by=associate.user, due_at=first, note="", now=NOW)
    extension_grant(request=requested(alice, pset), by=associate.user, due_at=second, note="", now=NOW)

    assert [(old, new) for _, old, new, _ in history(member=alice)] == [
        (iso(pset.due_at), iso(first)), (iso(first), iso(second))]


def test_declining_records_the_decision_and_the_unchanged_due_time(alice, pset, instructor):
    request = requested(alice, pset)

    extension_decline(request=request, by=instructor.user, note="Not documented.", now=NOW)

    assert history(member=alice) == [
        ("extension", iso(pset.due_at), iso(pset.due_at),
         f"extension request #{request.id} declined (Medical emergency): Not documented."),
    ]


def test_a_decision_that_is_refused_records_nothing(alice, pset, instructor):
    request = requested(alice, pset)
    extension_decline(request=request, by=instructor.user, note="No.", now=NOW)

    with pytest.raises(ExtensionRefused, match="already declined"):
        extension_grant(request=request, by=instructor.user, due_at=pset.due_at + timedelta(hours=5), note="", now=NOW)

    assert len(history(member=alice)) == 1
