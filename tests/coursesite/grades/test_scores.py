"""Staff-entered scores through the site (form and CSV upload), the services behind them, and the release."""
import html
import threading
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.grades.csvscores import ScoreLine
from coursesite.grades.forms.scores import ScoreEntryForm
from coursesite.grades.models import Score
from coursesite.grades.services.release import grades_release
from coursesite.grades.services.scores import ScoreRefused, score_set, scores_import
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory
from tests.world import NOW, person

CONFIRM = "Yes, some scores are above the maximum of 100 points"


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def midterm(course):
    return AssignmentFactory(course=course, exam=True, key="midterm-1", title="Midterm 1", points=D(100),
                             release_at=NOW - timedelta(days=2), due_at=NOW - timedelta(days=2, hours=-2))


@pytest.fixture
def students(alice, bob, carol):
    return alice, bob, carol


@pytest.fixture
def ta_client(client, ta):
    client.force_login(ta.user)
    return client


def url(name, assignment):
    return reverse(name, args=[assignment.course.slug, assignment.key])


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def enter(client, assignment, scores: dict, confirm=False):
    data = {f"score_{m.id}": value for m, value in scores.items()}
    if confirm:
        data["confirm_above_maximum"] = "on"
    return client.post(url("grades:scores", assignment), data)


def upload(client, assignment, text: str | bytes, confirm=False):
    content = text.encode() if isinstance(text, str) else text
    data = {"file": SimpleUploadedFile("midterm.csv", content, content_type="text/csv")}
    if confirm:
        data["confirm_above_maximum"] = "on"
    return client.post(url("grades:scores-upload", assignment), data)


def points_of(assignment) -> dict[str, D]:
    return dict(Score.objects.filter(assignment=assignment).values_list("member__user__username", "points"))


def give(member, assignment, points, by):
    return Score.objects.create(member=member, assignment=assignment, points=D(points), entered_by=by.user,
                                entered_at=NOW - timedelta(days=1))


# --- The page ------------------------------------------------------------------------------------


def test_the_scores_page_lists_every_student_with_their_current_score(ta_client, students, ta, midterm):
    alice, bob, carol = students
    give(alice, midterm, "88.5", ta)
    page = text_of(ta_client.get(url("grades:scores", midterm)))
    assert "Alice Adams (alice) 88.50 entered by Anirban Basu, " in page
    assert "Bob Brown (bob)" in page and "Carol Chen (carol)" in page
    assert "Anirban Basu (" not in page        # staff are not in the table
    assert "1 of 3 students scored" in page


def test_the_page_says_grades_are_not_released_and_a_ta_gets_no_release_button(ta_client, students, midterm):
    page = text_of(ta_client.get(url("grades:scores", midterm)))
    assert "Not released: students see none of these scores." in page
    assert "Release grades" not in page


def test_the_instructor_sees_the_release_button(client, instructor, students, midterm):
    client.force_login(instructor.user)
    assert "Release grades" in text_of(client.get(url("grades:scores", midterm)))


# --- Entry by form -------------------------------------------------------------------------------


def test_a_ta_enters_scores_by_form(ta_client, students, ta, midterm):
    alice, bob, _ = students
    response = enter(ta_client, midterm, {alice: "92.5", bob: " 80 "})
    assert response.status_code == 302
    assert points_of(midterm) == {"alice": D("92.50"), "bob": D("80.00")}
    score = Score.objects.get(member=alice)
    assert (score.entered_by, score.entered_at) == (ta.user, NOW)
    assert "Saved 2 scores." in text_of(ta_client.get(response["Location"]))


def test_a_blank_box_leaves_that_students_score_unchanged(ta_client, students, ta, midterm):
    alice, bob, _ = students
    give(alice, midterm, "70", ta)
    enter(ta_client, midterm, {alice: "", bob: "60"})
    assert points_of(midterm) == {"alice": D(70), "bob": D(60)}


def test_entering_a_new_value_replaces_the_score_and_records_who_changed_it(client, instructor, students, ta, midterm):
    alice, _, _ = students
    give(alice, midterm, "70", ta)
    client.force_login(instructor.user)
    enter(client, midterm, {alice: "75"})
    score = Score.objects.get(member=alice, assignment=midterm)
    assert (score.points, score.entered_by, score.entered_at) == (D(75), instructor.user, NOW)
    assert Score.objects.count() == 1


def test_entering_the_same_score_again_keeps_who_entered_it(client, instructor, students, ta, midterm):
    alice, bob, _ = students
    give(alice, midterm, "70", ta)
    client.force_login(instructor.user)
    response = enter(client, midterm, {alice: "70.00", bob: "50"})
    assert Score.objects.get(member=alice).entered_by == ta.user
    assert "Saved 1 score. 1 was unchanged." in text_of(client.get(response["Location"]))


def test_a_value_that_is_not_a_number_is_an_error_on_its_row_and_nothing_is_saved(ta_client, students, midterm):
    alice, bob, _ = students
    response = enter(ta_client, midterm, {alice: "abc", bob: "90"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Alice Adams (alice) 'abc' is not a number." in page
    assert "Nothing was saved. Fix the scores marked below and save again." in page
    assert Score.objects.count() == 0


@pytest.mark.parametrize("value, message", [("-3", "-3 is negative."),
                                            ("92.125", "92.125 has more than 2 decimal places.")])
def test_a_negative_or_too_precise_value_is_an_error_on_its_row(ta_client, students, midterm, value, message):
    response = enter(ta_client, midterm, {students[0]: value})
    assert response.status_code == 400
    assert message in text_of(response)
    assert Score.objects.count() == 0


def test_a_score_above_the_maximum_is_refused_naming_the_students_and_values(ta_client, students, midterm):
    alice, bob, carol = students
    response = enter(ta_client, midterm, {alice: "105", bob: "90", carol: "100.5"})
    assert response.status_code == 400
    assert (f"{CONFIRM} Above the maximum of 100 points: Alice Adams (alice) 105, Carol Chen (carol) 100.5. "
            f"Nothing was saved: if these are right, confirm them and save again.") in text_of(response)
    assert Score.objects.count() == 0


def test_the_refusal_above_the_maximum_is_the_services_shown_by_the_confirmation_box(ta_client, students, midterm):
    form = ScoreEntryForm({f"score_{students[0].id}": "105"}, assignment=midterm, students=students, scores={})
    assert form.is_valid()                    # the form checks the number's shape only
    response = enter(ta_client, midterm, {students[0]: "105"})
    assert response.context["entry_form"].errors == {"confirm_above_maximum": [
        "Above the maximum of 100 points: Alice Adams (alice) 105. "
        "Nothing was saved: if these are right, confirm them and save again."]}


def test_a_score_above_the_maximum_is_saved_once_confirmed(ta_client, students, midterm):
    enter(ta_client, midterm, {students[0]: "105"}, confirm=True)
    assert points_of(midterm) == {"alice": D(105)}


def test_saving_with_every_box_blank_asks_for_a_score(ta_client, students, midterm):
    response = enter(ta_client, midterm, {students[0]: ""})
    assert response.status_code == 400
    assert "Enter at least one score to save." in text_of(response)


# --- Upload of a CSV file ------------------------------------------------------------------------


def test_an_excel_csv_with_bom_header_and_emails_is_saved(ta_client, students, midterm):
    text = "\ufeffStudent,Score\r\nAlice@Andrew.CMU.edu,91\r\nbob,82.25\r\ncarol@andrew.cmu.edu,0\r\n"
    response = upload(ta_client, midterm, text)
    assert response.status_code == 302
    assert points_of(midterm) == {"alice": D(91), "bob": D("82.25"), "carol": D(0)}
    assert "Saved 3 scores." in text_of(ta_client.get(response["Location"]))


def test_a_csv_without_a_header_is_saved(ta_client, students, midterm):
    upload(ta_client, midterm, "alice,91\nbob,82\n")
    assert points_of(midterm) == {"alice": D(91), "bob": D(82)}


def test_a_file_with_bad_lines_is_refused_whole_listing_every_bad_line(ta_client, students, ta, midterm):
    alice, _, _ = students
    give(alice, midterm, "70", ta)
    before = Score.objects.count()
    text = "student,score\nbob,90\nalice,abc\nzed,50\ncarol,-3\nabasu,80\ncarol,92.125\nbob,81\n"
    response = upload(ta_client, midterm, text)
    assert response.status_code == 400
    assert ("Nothing was saved. Fix these lines and upload the file again: "
            "line 3: 'abc' is not a number "
            "line 4: no student 'zed' in this course "
            "line 5: -3 is negative "
            "line 6: no student 'abasu' in this course "
            "line 7: 92.125 has more than 2 decimal places "
            "line 7: carol appears twice (lines 5 and 7) "
            "line 8: bob appears twice (lines 2 and 8)") in text_of(response)
    assert Score.objects.count() == before
    assert Score.objects.get(member=alice).points == D(70)


def test_a_file_with_a_score_above_the_maximum_needs_confirmation(ta_client, students, midterm):
    response = upload(ta_client, midterm, "alice,90\nbob,104\n")
    assert response.status_code == 400
    assert (f"line 2: bob's score 104 is above the maximum of 100 points "
            f"If the scores above the maximum are right, tick “{CONFIRM}” and upload the file again.") in text_of(response)
    assert Score.objects.count() == 0
    upload(ta_client, midterm, "alice,90\nbob,104\n", confirm=True)
    assert points_of(midterm) == {"alice": D(90), "bob": D(104)}


def test_posting_no_file_asks_for_one(ta_client, students, midterm):
    response = ta_client.post(url("grades:scores-upload", midterm))
    assert response.status_code == 400
    assert "Choose a CSV file to upload (columns: student, score)." in text_of(response)


def test_two_csv_files_at_once_are_refused_and_nothing_is_saved(ta_client, students, midterm):
    files = [SimpleUploadedFile(name, text.encode(), content_type="text/csv")
             for name, text in (("section-a.csv", "alice,91\n"), ("section-b.csv", "bob,82\n"))]
    response = ta_client.post(url("grades:scores-upload", midterm), {"file": files})
    assert response.status_code == 400
    assert ("Only one file is taken here, but 2 were sent (section-a.csv, section-b.csv). Nothing was stored; "
            "choose one file.") in text_of(response)
    assert Score.objects.count() == 0


def test_an_empty_file_is_refused(ta_client, students, midterm):
    response = upload(ta_client, midterm, "")
    assert response.status_code == 400
    assert "The file is empty." in text_of(response)


def test_a_file_that_is_not_utf8_says_how_to_save_it(ta_client, students, midterm):
    response = upload(ta_client, midterm, "alice,9\u00bd\n".encode("latin-1"))
    assert response.status_code == 400
    assert "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”." in text_of(response)


def test_a_student_of_another_course_is_not_found(ta_client, students, midterm):
    person(CourseFactory(), "mallory")
    response = upload(ta_client, midterm, "mallory,90\n")
    assert "line 1: no student 'mallory' in this course" in text_of(response)


# --- Services ------------------------------------------------------------------------------------


def test_score_set_keeps_one_score_per_student_and_assignment(students, ta, midterm):
    alice = students[0]
    score_set(member=alice, assignment=midterm, points=D(50), comment="Q2 partial", by=ta.user, now=NOW)
    score_set(member=alice, assignment=midterm, points=D(60), by=ta.user, now=NOW)
    score = Score.objects.get()
    assert (score.points, score.comment) == (D(60), "Q2 partial")


def test_score_set_refuses_a_member_of_staff(ta, midterm):
    with pytest.raises(ScoreRefused, match="abasu is not a student of"):
        score_set(member=ta, assignment=midterm, points=D(50), by=ta.user, now=NOW)


def test_score_set_refuses_an_unconfirmed_score_above_the_maximum(students, ta, midterm):
    with pytest.raises(ScoreRefused, match=r"alice \(101\) is above the maximum of 100 points"):
        score_set(member=students[0], assignment=midterm, points=D(101), by=ta.user, now=NOW)


def test_scores_import_writes_nothing_when_one_row_is_refused(students, ta, midterm):
    alice, bob, _ = students
    rows = [ScoreLine(1, "alice", alice.id, D(50)), ScoreLine(2, "abasu", ta.id, D(60))]
    with pytest.raises(ScoreRefused, match="Not students of"):
        scores_import(assignment=midterm, rows=rows, by=ta.user, now=NOW)
    assert Score.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_simultaneous_imports_for_the_same_students_take_turns():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL (CI runs this on it); SQLite serializes whole-database writes")
    course = CourseFactory()
    alice, bob, ta = person(course, "alice"), person(course, "bob"), person(course, "abasu")
    midterm = AssignmentFactory(course=course, exam=True)
    barrier, errors = threading.Barrier(4), []

    def import_scores(points):
        try:
            rows = [ScoreLine(1, "alice", alice.id, D(points)), ScoreLine(2, "bob", bob.id, D(points))]
            barrier.wait()
            scores_import(assignment=midterm, rows=rows, by=ta.user, now=NOW)
        except Exception as exc:  # noqa: BLE001 - any error is the failure we look for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=import_scores, args=(p,)) for p in (10, 20, 30, 40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Score.objects.filter(assignment=midterm).count() == 2


# --- Release -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.EDUCATION_ASSOCIATE, Membership.Role.INSTRUCTOR])
def test_the_education_associate_or_instructor_releases_grades(client, course, midterm, role):
    client.force_login(person(course, "admin", role).user)
    response = client.post(url("grades:release", midterm), {"confirmed": "on"})
    assert response["Location"] == url("grades:scores", midterm)
    midterm.refresh_from_db()
    assert midterm.grades_released_at == NOW
    page = text_of(client.get(response["Location"]))
    assert "The grades of Midterm 1 are released: students see their scores." in page
    assert "Grades released Wed Mar 10, 12:00 PM EST: students see their scores." in page


def test_a_ta_may_not_release_grades(ta_client, midterm):
    assert ta_client.post(url("grades:release", midterm)).status_code == 403
    midterm.refresh_from_db()
    assert midterm.grades_released_at is None


def test_releasing_twice_keeps_the_first_release_time(client, instructor, midterm, frozen_clock):
    client.force_login(instructor.user)
    client.post(url("grades:release", midterm), {"confirmed": "on"})
    frozen_clock.move_to(NOW + timedelta(days=1), tick=False)
    response = client.post(url("grades:release", midterm), {"confirmed": "on"})
    assert response.status_code == 302
    midterm.refresh_from_db()
    assert midterm.grades_released_at == NOW


def test_a_release_can_be_taken_back(client, instructor, midterm):
    grades_release(assignment=midterm, by=instructor.user, now=NOW)
    client.force_login(instructor.user)
    response = client.post(url("grades:release", midterm), {"take_back": "on"})
    midterm.refresh_from_db()
    assert midterm.grades_released_at is None
    assert "The grades of Midterm 1 are hidden from students again." in text_of(client.get(response["Location"]))
