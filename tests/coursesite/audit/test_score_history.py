"""Every new or changed score, and every release, is in the history: a score is never overwritten without an entry."""
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite.audit.models import AuditEntry
from coursesite.grades.csvscores import ScoreLine
from coursesite.grades.forms.scores import EnteredPoints
from coursesite.grades.models import Score
from coursesite.grades.services.release import grades_release, grades_unrelease
from coursesite.grades.services.scores import ScoreRefused, score_set, scores_import

from tests.world import DAY, NOW

from .conftest import history

pytestmark = pytest.mark.django_db


def test_changing_a_score_twice_records_both_changes_with_their_old_and_new_points(alice, midterm, ta, instructor):
    score_set(member=alice, assignment=midterm, points=D(50), by=ta.user, now=NOW)
    score_set(member=alice, assignment=midterm, points=D("62.5"), by=ta.user, now=NOW)
    score_set(member=alice, assignment=midterm, points=D(70), by=instructor.user, now=NOW, why="regrade of Q3")

    assert history(member=alice) == [
        ("score", "", "50", "entered on the scores page"),
        ("score", "50", "62.5", "entered on the scores page"),
        ("score", "62.5", "70", "regrade of Q3"),
    ]
    assert [e.who for e in AuditEntry.objects.order_by("id")] == [ta.user, ta.user, instructor.user]


def test_saving_the_same_points_again_records_nothing(alice, midterm, ta):
    score_set(member=alice, assignment=midterm, points=D(50), by=ta.user, now=NOW)
    score_set(member=alice, assignment=midterm, points=D("50.00"), comment="Q2 partial", by=ta.user, now=NOW)

    assert len(history(member=alice)) == 1


def test_an_import_records_new_and_changed_scores_but_not_unchanged_ones(alice, bob, midterm, ta):
    score_set(member=alice, assignment=midterm, points=D(50), by=ta.user, now=NOW)
    score_set(member=bob, assignment=midterm, points=D(80), by=ta.user, now=NOW)
    rows = [EnteredPoints(alice.id, D(55)), EnteredPoints(bob.id, D(80))]

    saved = scores_import(assignment=midterm, rows=rows, by=ta.user, now=NOW + DAY)

    assert (saved.saved, saved.unchanged) == (1, 1)
    assert history(member=alice)[-1] == ("score", "50", "55", "entered on the scores page")
    assert len(history(member=bob)) == 1


def test_the_lines_of_a_file_are_recorded_as_a_csv_import_unless_a_reason_is_given(alice, bob, midterm, ta):
    scores_import(assignment=midterm, rows=[ScoreLine(1, "alice", alice.id, D(40))], by=ta.user, now=NOW)
    scores_import(assignment=midterm, rows=[ScoreLine(1, "bob", bob.id, D(41))], by=ta.user, now=NOW,
                  why="CSV import midterm1.csv")

    assert history(member=alice) == [("score", "", "40", "CSV import")]
    assert history(member=bob) == [("score", "", "41", "CSV import midterm1.csv")]


def test_a_refused_import_records_nothing(alice, bob, midterm, ta):
    with pytest.raises(ScoreRefused):
        scores_import(assignment=midterm, rows=[EnteredPoints(alice.id, D(40)), EnteredPoints(bob.id, D(400))],
                      by=ta.user, now=NOW)

    assert not AuditEntry.objects.exists() and not Score.objects.exists()


def test_scores_typed_on_the_scores_page_are_recorded_as_entered_there(client, alice, midterm, ta):
    client.force_login(ta.user)

    client.post(reverse("grades:scores", args=[midterm.course.slug, midterm.key]), {f"score_{alice.id}": "88"})
    client.post(reverse("grades:scores", args=[midterm.course.slug, midterm.key]), {f"score_{alice.id}": "90.5"})

    assert history(member=alice) == [("score", "", "88", "entered on the scores page"),
                                     ("score", "88", "90.5", "entered on the scores page")]


def test_a_csv_upload_on_the_scores_page_is_recorded_as_a_csv_import(client, alice, midterm, ta):
    client.force_login(ta.user)
    upload = SimpleUploadedFile("midterm1.csv", b"student,score\nalice,77\n", content_type="text/csv")

    response = client.post(reverse("grades:scores-upload", args=[midterm.course.slug, midterm.key]), {"file": upload})

    assert response.status_code == 302
    [(kind, old, new, why)] = history(member=alice)
    assert (kind, old, new) == ("score", "", "77") and why.startswith("CSV import")


def test_a_release_and_its_taking_back_record_the_release_time(midterm, instructor, frozen_clock):
    grades_release(assignment=midterm, by=instructor.user, now=NOW)
    frozen_clock.move_to(NOW + DAY, tick=False)
    grades_unrelease(assignment=midterm, by=instructor.user, now=NOW + DAY)

    assert history(assignment=midterm) == [
        ("release", "", "2021-03-10T17:00:00+00:00", "grades released"),
        ("release", "2021-03-10T17:00:00+00:00", "", "release taken back"),
    ]


def test_releasing_again_changes_nothing_and_records_nothing(midterm, instructor):
    grades_release(assignment=midterm, by=instructor.user, now=NOW)
    grades_release(assignment=midterm, by=instructor.user, now=NOW + DAY)
    grades_unrelease(assignment=midterm, by=instructor.user, now=NOW + DAY)
    grades_unrelease(assignment=midterm, by=instructor.user, now=NOW + 2 * DAY)

    assert len(history(assignment=midterm)) == 2
