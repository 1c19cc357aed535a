"""The one writer of the history: what it stores, and that nothing changes or deletes an entry."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from coursesite.audit.models import AppendOnly, AuditEntry
from coursesite.audit.services import audit_record, render_value
from tests.factories import MembershipFactory
from tests.world import NOW

pytestmark = pytest.mark.django_db


def score_entry(course, alice, midterm, by, old=Decimal("50.00"), new=Decimal("60.50")):
    return audit_record(course=course, kind=AuditEntry.Kind.SCORE, who=by, old=old, new=new,
                        why="entered on the scores page", member=alice, assignment=midterm)


@pytest.mark.parametrize(("value", "stored"), [
    (Decimal("92.50"), "92.5"), (Decimal("100.00"), "100"), (Decimal("0.00"), "0"), (Decimal("45"), "45"), (7, "7"),
    (None, ""),
])
def test_values_are_stored_plainly(value, stored):
    assert render_value(value) == stored


def test_times_are_stored_in_iso_8601_in_utc():
    local = datetime(2021, 3, 17, 23, 59, tzinfo=ZoneInfo("America/New_York"))

    assert render_value(local) == "2021-03-18T03:59:00+00:00"


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="must be timezone-aware"):
        render_value(datetime(2021, 3, 17, 23, 59))


def test_an_entry_records_who_when_what_old_new_and_why(course, alice, midterm, ta):
    entry = score_entry(course, alice, midterm, ta.user)

    entry.refresh_from_db()
    assert (entry.who, entry.at, entry.kind, entry.member, entry.assignment) == (
        ta.user, NOW, "score", alice, midterm)
    assert (entry.old_value, entry.new_value, entry.why) == ("50", "60.5", "entered on the scores page")
    assert entry.subject == "alice on Midterm 1"


def test_the_time_is_the_servers_clock(course, alice, midterm, ta, frozen_clock):
    frozen_clock.move_to(NOW.replace(hour=15), tick=False)

    assert score_entry(course, alice, midterm, ta.user).at == NOW.replace(hour=15)


def test_a_change_made_by_no_person_must_name_what_made_it(course, midterm):
    with pytest.raises(ValueError, match="must say what made it"):
        audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, old=Decimal(45), new=Decimal(40),
                     why="set by the course file", category=midterm.category)

    entry = audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, source="loadcourse courses/x.toml",
                         old=Decimal(45), new=Decimal(40), why="set by the course file", category=midterm.category)
    assert (entry.who, entry.source) == (None, "loadcourse courses/x.toml")


def test_a_change_without_a_reason_is_refused(course, alice, midterm, ta):
    with pytest.raises(ValueError, match="Say why"):
        audit_record(course=course, kind=AuditEntry.Kind.SCORE, who=ta.user, old=None, new=Decimal(1), why="  ",
                     member=alice, assignment=midterm)
    assert not AuditEntry.objects.exists()


def test_an_entry_about_another_courses_student_is_refused(course, midterm, ta):
    stranger = MembershipFactory()

    with pytest.raises(ValueError, match="is not part of"):
        score_entry(course, stranger, midterm, ta.user)


def test_an_entry_is_never_changed(course, alice, midterm, ta):
    entry = score_entry(course, alice, midterm, ta.user)
    entry.new_value = "100"

    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(new_value="100")
    assert AuditEntry.objects.get().new_value == "60.5"


def test_an_entry_is_never_deleted(course, alice, midterm, ta):
    entry = score_entry(course, alice, midterm, ta.user)

    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_an_entry_outlives_the_student_it_is_about_and_still_names_them(course, alice, midterm, ta):
    score_entry(course, alice, midterm, ta.user)

    alice.delete()

    entry = AuditEntry.objects.get()
    assert (entry.member, entry.subject) == (None, "alice on Midterm 1")
