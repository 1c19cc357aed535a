"""The registrar's roster into a course: preview, apply, drop, restore, its page, its command, its history."""
import base64
import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.models import Submission
from coursesite.audit.models import AuditEntry
from coursesite.grades.services.roster import RosterRefused, roster_apply, roster_preview
from coursesite.people.models import Membership, User
from tests.factories import ScoreFactory, SubmissionFactory

HEADER = "\ufeffAndrew ID,First Name,Last Name,Email,Section\r\n"
ALICE = "alice,Alice,Adams,alice@andrew.cmu.edu,A\r\n"
BOB = "bob,Bob,Brown,bob@andrew.cmu.edu,B\r\n"
CAROL = "carol,Carol,Chen,carol@andrew.cmu.edu,A\r\n"
DAVE = "dave,Dave,Doe,dave@andrew.cmu.edu,B\r\n"


def roster(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


def apply(course, data: bytes, token=None):
    return roster_apply(course, data, by=None, source="test", filename="roster.csv", now=timezone.now(), token=token)


@pytest.fixture
def students(alice, bob, carol):
    return alice, bob, carol


def test_preview_changes_nothing(course, students):
    plan = roster_preview(course, roster(ALICE, BOB, DAVE)).plan

    assert plan.summary() == "1 added, 2 updated, 1 dropped, 0 restored"
    assert not User.objects.filter(username="dave").exists()
    assert course.memberships.students().count() == 3


def test_apply_adds_updates_and_drops_and_returns_the_new_accounts(course, students):
    applied = apply(course, roster(ALICE, BOB, DAVE))

    dave = User.objects.get(username="dave")
    assert applied.new_account_ids == (dave.id,)
    assert not dave.has_usable_password()
    assert {m.user.username: m.section for m in course.memberships.students()} == {"alice": "A", "bob": "B", "dave": "B"}
    assert course.memberships.dropped().get().user.username == "carol"


def test_applying_the_same_roster_twice_changes_nothing_the_second_time(course, students):
    apply(course, roster(ALICE, BOB, DAVE))
    before = list(Membership.objects.values_list("id", "section", "dropped_at"))

    again = apply(course, roster(ALICE, BOB, DAVE))

    assert not again.plan.changes_anything
    assert list(Membership.objects.values_list("id", "section", "dropped_at")) == before
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.ROSTER).count() == 1


def test_a_dropped_student_keeps_records_but_loses_access_with_a_message(client, course, students, alice):
    submission = SubmissionFactory(member=alice)
    ScoreFactory(member=alice, assignment=submission.assignment)

    apply(course, roster(BOB, CAROL))

    client.force_login(alice.user)
    response = client.get(reverse("courses:dashboard", args=[course.slug]))
    assert response.status_code == 404
    assert "You are no longer enrolled in" in response.content.decode()
    assert "the registrar&#x27;s roster dropped you" in response.content.decode()
    assert client.get(reverse("assignments:submission-detail", args=[submission.id])).status_code == 404
    assert Submission.objects.filter(member=alice).count() == 1
    assert alice.scores.count() == 1


def test_a_restored_student_gets_everything_back(client, course, students, alice):
    submission = SubmissionFactory(member=alice)
    apply(course, roster(BOB, CAROL))

    applied = apply(course, roster(ALICE, BOB, CAROL))

    assert [u.row.username for u in applied.plan.restored] == ["alice"]
    client.force_login(alice.user)
    assert client.get(reverse("courses:dashboard", args=[course.slug])).status_code == 200
    assert client.get(reverse("assignments:submission-detail", args=[submission.id])).status_code == 200


def test_staff_are_never_dropped_and_staff_listed_are_left_as_they_are(course, students, ta, instructor):
    applied = apply(course, roster(ALICE, BOB, CAROL, "abasu,Anirban,Basu,other@andrew.cmu.edu,C\r\n"))

    assert [r.username for r in applied.plan.staff_listed] == ["abasu"]
    ta.refresh_from_db()
    assert (ta.role, ta.section, ta.dropped_at, ta.user.email) == ("ta", "", None, "abasu@andrew.cmu.edu")
    instructor.refresh_from_db()
    assert instructor.dropped_at is None


def test_bad_rows_are_listed_and_nothing_is_applied(course, students):
    with pytest.raises(RosterRefused) as refused:
        apply(course, roster(ALICE, "erin,Erin,E,,A\r\n", "dave,Dave,Doe,bob@andrew.cmu.edu,A\r\n"))

    assert refused.value.problems == ("line 3: no e-mail",
                                      "line 4: the e-mail bob@andrew.cmu.edu belongs to another account (bob)")
    assert course.memberships.dropped().count() == 0
    assert not User.objects.filter(username="dave").exists()


def test_an_applied_import_is_in_the_course_history(client, course, students, associate):
    client.force_login(associate.user)
    preview_and_confirm(client, course, roster(ALICE, BOB, DAVE))

    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.ROSTER)
    assert (entry.who, entry.new_value, entry.why) == (associate.user, "1 added, 2 updated, 1 dropped, 0 restored",
                                                       "roster import of fall.csv")
    page = client.get(reverse("audit:course", args=[course.slug])).content.decode()
    assert "roster import of fall.csv" in page


def preview_and_confirm(client, course, data: bytes, *, change_file_to: bytes | None = None):
    page = client.post(reverse("grades:roster-import", args=[course.slug]),
                       {"file": SimpleUploadedFile("fall.csv", data, content_type="text/csv")})
    assert page.status_code == 200, page.content.decode()
    fields = dict(re.findall(r'name="(content|token|filename)" value="([^"]*)"', page.content.decode()))
    if change_file_to is not None:
        fields["content"] = base64.b64encode(change_file_to).decode()
    return client.post(reverse("grades:roster-import-apply", args=[course.slug]), fields, follow=True)


def test_the_page_previews_then_applies_what_was_previewed(client, course, students, associate):
    client.force_login(associate.user)
    page = client.post(reverse("grades:roster-import", args=[course.slug]),
                       {"file": SimpleUploadedFile("fall.csv", roster(ALICE, BOB, DAVE))}).content.decode()
    assert "add dave (Dave Doe, dave@andrew.cmu.edu, section B)" in page
    assert "drop carol (Carol Chen): records kept, access ends" in page
    assert not User.objects.filter(username="dave").exists()

    response = preview_and_confirm(client, course, roster(ALICE, BOB, DAVE))

    assert "Roster fall.csv applied: 1 added, 2 updated, 1 dropped, 0 restored." in response.content.decode()
    assert User.objects.filter(username="dave").exists()


def test_the_confirmation_refuses_a_file_changed_since_the_preview(client, course, students, associate):
    client.force_login(associate.user)

    response = preview_and_confirm(client, course, roster(ALICE, BOB, DAVE), change_file_to=roster(ALICE))

    assert "The file or the course&#x27;s roster changed since the preview: nothing was applied." in \
        response.content.decode()
    assert course.memberships.dropped().count() == 0


def test_the_confirmation_refuses_when_the_roster_changed_since_the_preview(client, course, students, associate):
    client.force_login(associate.user)
    page = client.post(reverse("grades:roster-import", args=[course.slug]),
                       {"file": SimpleUploadedFile("fall.csv", roster(ALICE, BOB))}).content.decode()
    fields = dict(re.findall(r'name="(content|token|filename)" value="([^"]*)"', page))
    apply(course, roster(ALICE, BOB, CAROL, DAVE))              # someone else imported meanwhile

    response = client.post(reverse("grades:roster-import-apply", args=[course.slug]), fields, follow=True)

    assert "changed since the preview" in response.content.decode()
    assert course.memberships.dropped().count() == 0


def test_a_ta_may_preview_but_not_apply(client, course, students, ta):
    client.force_login(ta.user)
    page = client.post(reverse("grades:roster-import", args=[course.slug]),
                       {"file": SimpleUploadedFile("fall.csv", roster(ALICE))}).content.decode()

    assert "Only the instructors and education associates apply a roster." in page
    assert "Apply these changes" not in page


def test_the_gradebook_leaves_dropped_students_out_unless_asked_and_filters_by_section(client, course, students, ta):
    apply(course, roster(ALICE, BOB))
    client.force_login(ta.user)
    url = reverse("grades:gradebook", args=[course.slug])

    assert usernames(client.get(url)) == ["alice", "bob"]
    assert usernames(client.get(url, {"dropped": "on"})) == ["alice", "bob", "carol"]
    assert usernames(client.get(url, {"section": "B"})) == ["bob"]
    assert "The course has no section “Z”." in client.get(url, {"section": "Z"}).content.decode()


def usernames(response) -> list[str]:
    return re.findall(r'<span class="muted">\((\w+)', response.content.decode())


def test_the_roster_page_shows_and_filters_by_section(client, course, students, ta):
    apply(course, roster(ALICE, BOB, CAROL))
    client.force_login(ta.user)

    page = client.get(reverse("people:roster", args=[course.slug]), {"section": "A"}).content.decode()

    assert "alice@andrew.cmu.edu" in page and "carol@andrew.cmu.edu" in page
    assert "bob@andrew.cmu.edu" not in page


def test_the_gradebook_csv_keeps_the_registrars_id_and_section(client, course, students, ta):
    apply(course, roster(ALICE, BOB))
    client.force_login(ta.user)

    response = client.get(reverse("grades:gradebook-csv", args=[course.slug]), {"dropped": "on"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Student", "Username", "Section", "Dropped"]
    assert [(r[1], r[2], bool(r[3])) for r in rows[1:]] == [("alice", "A", False), ("bob", "B", False),
                                                            ("carol", "", True)]


def test_the_command_lists_the_changes_without_applying(tmp_path, course, students):
    file = tmp_path / "fall.csv"
    file.write_bytes(roster(ALICE, BOB, DAVE))
    out = io.StringIO()

    call_command("loadroster", course.slug, str(file), stdout=out)

    assert out.getvalue().splitlines() == [
        "  add dave (Dave Doe, dave@andrew.cmu.edu, section B)",
        "  update alice: section (none) → A",
        "  update bob: section (none) → B",
        "  drop carol (Carol Chen): records kept, access ends",
        "10707-s21: would apply 1 added, 2 updated, 1 dropped, 0 restored; nothing was changed. "
        "Run again with --apply to apply.",
    ]
    assert not User.objects.filter(username="dave").exists()


def test_the_command_applies_with_apply_and_records_itself_as_the_source(tmp_path, course, students):
    file = tmp_path / "fall.csv"
    file.write_bytes(roster(ALICE, BOB, DAVE))
    out = io.StringIO()

    call_command("loadroster", course.slug, str(file), "--apply", stdout=out)

    assert out.getvalue().splitlines()[-1] == ("10707-s21: applied (1 added, 2 updated, 1 dropped, 0 restored). "
                                               "1 new student(s) were sent an invitation to choose a password.")
    assert AuditEntry.objects.get(kind=AuditEntry.Kind.ROSTER).source == f"loadroster {file}"


def test_a_new_student_gets_an_invitation_once_the_import_commits(
        tmp_path, course, students, notifications, mailoutbox, django_capture_on_commit_callbacks):
    file = tmp_path / "fall.csv"
    file.write_bytes(roster(ALICE, BOB, DAVE))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("loadroster", course.slug, str(file), "--apply", stdout=io.StringIO())
    notifications.deliver()

    assert [m.to for m in mailoutbox] == [["dave@andrew.cmu.edu"]]           # the new account only
    assert "/welcome/" in mailoutbox[0].body
    invitation = AuditEntry.objects.get(kind=AuditEntry.Kind.INVITATION)
    assert invitation.member.user.username == "dave" and invitation.source == f"loadroster {file}"


def test_the_command_lists_bad_rows_by_line(tmp_path, course, students):
    file = tmp_path / "fall.csv"
    file.write_bytes(roster(ALICE, ALICE))

    with pytest.raises(CommandError, match=r"The roster has 2 bad row\(s\): nothing was applied.\n  line 3: alice is listed twice \(also on line 2\)"):
        call_command("loadroster", course.slug, str(file), "--apply")


def test_the_page_lists_bad_rows_by_line_and_offers_no_apply(client, course, students, associate):
    client.force_login(associate.user)

    response = client.post(reverse("grades:roster-import", args=[course.slug]),
                           {"file": SimpleUploadedFile("fall.csv", roster(ALICE, "dave,Dave,Doe,,A\r\n"))})

    page = response.content.decode()
    assert response.status_code == 400
    assert "1 bad row: nothing can be applied until the file is fixed." in page
    assert "line 3: no e-mail" in page
    assert "Apply these changes" not in page


def test_the_page_says_which_column_a_file_lacks(client, course, students, associate):
    client.force_login(associate.user)

    response = client.post(reverse("grades:roster-import", args=[course.slug]),
                           {"file": SimpleUploadedFile("fall.csv", b"Name,Email\r\nAlice,alice@andrew.cmu.edu\r\n")})

    assert response.status_code == 400
    assert "The header has no username column (it reads: Name, Email)" in response.content.decode()
