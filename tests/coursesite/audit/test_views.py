"""The history pages: per student and per assignment, newest first, for the course staff only."""
import html
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.grades.services.extensions import extension_grant
from coursesite.grades.services.ledger import grace_days_add
from coursesite.grades.services.release import grades_release
from coursesite.grades.services.scores import score_set
from tests.factories import MembershipFactory
from tests.world import DAY, NOW

from .conftest import requested

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def history_rows(response) -> list[str]:
    rows = response.content.decode().split('<tr class="history-entry">')[1:]
    return [" ".join(html.unescape(strip_tags(row.split("</tr>")[0])).split()) for row in rows]


@pytest.fixture
def changes(alice, bob, midterm, ta, instructor, frozen_clock):
    """Alice's midterm entered by a TA, changed by the instructor the next day; 2 grace days added on day 3."""
    score_set(member=alice, assignment=midterm, points=D(50), by=ta.user, now=NOW)
    score_set(member=bob, assignment=midterm, points=D(65), by=ta.user, now=NOW)
    frozen_clock.move_to(NOW + DAY, tick=False)
    score_set(member=alice, assignment=midterm, points=D("57.5"), by=instructor.user, now=NOW + DAY,
              why="regrade: Q3 was marked wrong")
    frozen_clock.move_to(NOW + 2 * DAY, tick=False)
    grace_days_add(member=alice, days=2, reason="Accommodation letter", by=instructor.user, now=NOW + 2 * DAY)


def test_staff_see_a_students_changes_newest_first_with_who_when_old_new_and_why(client, course, alice, associate,
                                                                                changes):
    client.force_login(associate.user)

    response = client.get(reverse("audit:student", args=[course.slug, alice.id]))

    assert response.status_code == 200
    assert history_rows(response) == [
        "Fri Mar 12, 12:00 PM EST Andrej Risteski Grace-day budget (alice) 7 → 9 Accommodation letter",
        "Thu Mar 11, 12:00 PM EST Andrej Risteski Score (alice on Midterm 1) 50 → 57.5 regrade: Q3 was marked wrong",
        "Wed Mar 10, 12:00 PM EST Anirban Basu Score (alice on Midterm 1) none → 50 entered on the scores page",
    ]


def test_a_ta_sees_days_added_to_a_students_budget_but_not_the_accommodation_reason(client, course, alice, ta,
                                                                                  changes):
    client.force_login(ta.user)

    rows = history_rows(client.get(reverse("audit:student", args=[course.slug, alice.id])))

    assert rows[0] == ("Fri Mar 12, 12:00 PM EST Andrej Risteski Grace-day budget (alice) 7 → 9 "
                       "Reason visible to the instructor and education associate.")
    assert rows[1].endswith("50 → 57.5 regrade: Q3 was marked wrong")


def test_staff_see_an_assignments_changes_for_every_student(client, course, midterm, associate, changes):
    client.force_login(associate.user)

    response = client.get(reverse("audit:assignment", args=[course.slug, midterm.key]))

    assert [row.split(" EST ")[1] for row in history_rows(response)] == [
        "Andrej Risteski Score (alice on Midterm 1) 50 → 57.5 regrade: Q3 was marked wrong",
        "Anirban Basu Score (bob on Midterm 1) none → 65 entered on the scores page",
        "Anirban Basu Score (alice on Midterm 1) none → 50 entered on the scores page",
    ]


def test_due_and_release_times_show_in_the_courses_time_zone(client, course, alice, pset, instructor):
    extension_grant(request=requested(alice, pset), by=instructor.user, due_at=pset.due_at + 2 * DAY, note="", now=NOW)
    grades_release(assignment=pset, by=instructor.user, now=NOW, before_due_confirmed=True)
    client.force_login(instructor.user)

    rows = history_rows(client.get(reverse("audit:assignment", args=[course.slug, pset.key])))

    assert "Grade release (Problem set 1) none → Wed Mar 10, 12:00 PM EST grades released" in rows[0]
    assert "Extension (alice on Problem set 1) Wed Mar 17, 11:59 PM EDT → Fri Mar 19, 11:59 PM EDT" in rows[1]


def test_a_page_without_changes_says_so(client, course, alice, ta):
    client.force_login(ta.user)

    assert "No changes recorded for this student yet." in page_text(
        client.get(reverse("audit:student", args=[course.slug, alice.id])))


@pytest.mark.parametrize("name", ["audit:student", "audit:assignment"])
def test_students_may_not_see_the_history(client, course, alice, midterm, name):
    client.force_login(alice.user)
    args = [course.slug, alice.id] if name == "audit:student" else [course.slug, midterm.key]

    response = client.get(reverse(name, args=args))

    assert response.status_code == 403


def test_a_student_of_another_course_is_not_found(client, course, ta):
    stranger = MembershipFactory()
    client.force_login(ta.user)

    assert client.get(reverse("audit:student", args=[course.slug, stranger.id])).status_code == 404


def test_the_grace_day_ledger_links_each_student_to_their_history(client, course, alice, ta):
    client.force_login(ta.user)

    page = client.get(reverse("grades:ledger", args=[course.slug])).content.decode()

    assert f'href="{reverse("audit:student", args=[course.slug, alice.id])}"' in page


def test_the_scores_page_links_to_the_assignments_history(client, course, midterm, ta):
    client.force_login(ta.user)

    page = client.get(reverse("grades:scores", args=[course.slug, midterm.key])).content.decode()

    assert f'href="{reverse("audit:assignment", args=[course.slug, midterm.key])}"' in page


def test_a_change_of_every_students_budget_is_in_each_students_history(client, course, alice, ta, instructor):
    audit_record(course=course, kind=AuditEntry.Kind.GRACE_DAYS, who=instructor.user, old=7, new=8, why="Snow week",
                 subject="every student's budget")
    client.force_login(ta.user)

    rows = history_rows(client.get(reverse("audit:student", args=[course.slug, alice.id])))

    assert rows == ["Wed Mar 10, 12:00 PM EST Andrej Risteski Grace-day budget (every student's budget) 7 → 8 Snow week"]
