"""loadcourse creates the seed course as its file describes it, is idempotent and applies edits."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from coursesite.assignments.models import Assignment
from coursesite.courses.models import Course, SyllabusSection
from coursesite.people.models import Membership, User

from .conftest import DEMO_PASSWORD, SEED, loadcourse, snapshot

NEW_YORK = ZoneInfo("America/New_York")


def names(course, role) -> list[str]:
    members = course.memberships.filter(role=role).select_related("user").order_by("order")
    return [m.user.get_full_name() for m in members]


@pytest.mark.django_db
def test_first_load_reports_the_course_created():
    out = loadcourse(SEED)

    assert "  course 10707-s21: created\n" in out
    assert "  assignment hw1-coding: created\n" in out
    assert out.rstrip().endswith("change(s) applied.")


@pytest.mark.django_db
def test_load_creates_the_course_logistics(course):
    assert course.number == "10707"
    assert course.title == "Deep Learning"
    assert course.term == "Spring 2021"
    assert course.time_zone == "America/New_York"
    assert (course.starts_on.isoformat(), course.ends_on.isoformat()) == ("2021-02-01", "2021-05-14")
    assert course.meeting_times == "MW 12:20-1:40 pm"
    assert course.location == "Zoom (link on Canvas)"
    assert course.website == "https://andrejristeski.github.io/10707-S21"
    assert course.previous_website == "https://andrejristeski.github.io/10707-S20"
    assert course.qa_forum_name == "Piazza"
    assert course.qa_forum_url == "http://piazza.com/cmu/spring2021/10707/home"
    assert "Education Associate Fatima Jeffrey" in course.contact


@pytest.mark.django_db
def test_load_creates_the_staff_by_role(course):
    assert names(course, Membership.Role.INSTRUCTOR) == ["Andrej Risteski"]
    assert names(course, Membership.Role.EDUCATION_ASSOCIATE) == ["Fatima Jeffrey"]
    assert names(course, Membership.Role.TA) == [
        "Amartya Basu", "Bingbin Liu", "Dapeng Zhao", "Tanya Marwah", "George Cazenavette",
    ]
    assert names(course, Membership.Role.STUDENT) == ["Alice Example", "Bob Example", "Carol Example"]


@pytest.mark.django_db
def test_load_lets_only_instructor_and_education_associate_administer_the_course(course):
    admins = Group.objects.get(name="Course administrators")

    staff_users = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    group_users = set(admins.user_set.values_list("username", flat=True))

    assert staff_users == group_users == {"risteski", "fjeffrey"}
    assert not User.objects.filter(is_superuser=True).exists()
    assert admins.permissions.filter(codename="change_course").exists()


@pytest.mark.django_db
def test_load_creates_demo_accounts_with_example_org_addresses_and_no_password(course):
    users = User.objects.filter(memberships__course=course)

    assert users.count() == 10
    assert all(user.email.endswith("@example.org") for user in users)
    assert not any(user.has_usable_password() for user in users)


@pytest.mark.django_db
def test_load_creates_grading_weights_as_decimals_summing_to_100(course):
    categories = list(course.categories.all())

    assert [(c.key, c.name, c.weight) for c in categories] == [
        ("assignments", "Assignments", Decimal(45)),
        ("midterm-1", "Midterm 1", Decimal(15)),
        ("midterm-2", "Midterm 2", Decimal(15)),
        ("final-exam", "Final exam", Decimal(25)),
    ]
    assert all(isinstance(c.weight, Decimal) for c in categories)
    assert sum(c.weight for c in categories) == Decimal(100)


@pytest.mark.django_db
def test_load_creates_the_six_policies(course):
    policies = course.sections.filter(kind=SyllabusSection.Kind.POLICY)

    assert {p.key: p.heading for p in policies} == {
        "collaboration": "Collaboration",
        "submitting": "Submitting",
        "regrades": "Regrades",
        "late-days": "Late policy",
        "extensions": "Extensions",
        "academic-integrity": "Academic integrity",
    }
    assert set(SyllabusSection.REQUIRED_POLICIES) == {p.key for p in policies}


@pytest.mark.django_db
def test_load_creates_the_about_sections(course):
    about = course.sections.filter(kind=SyllabusSection.Kind.ABOUT)

    assert [s.key for s in about] == ["prerequisites", "materials", "assignments", "goals", "differences"]
    assert "Course prerequisites: 10315 or 10401 or 10715 or 10701 or 10601." in about[0].body


@pytest.mark.django_db
def test_load_creates_the_four_course_parts_with_topics(course):
    parts = list(course.parts.all())

    assert [p.title for p in parts] == ["Supervised learning", "Unsupervised learning", "Models for language", "Other topics"]
    assert [len(p.topic_list) for p in parts] == [5, 5, 3, 2]
    assert parts[3].topic_list == ["Robustness", "Causality"]
    assert parts[2].summary == "Natural language processing/understanding, translation, etc."


@pytest.mark.django_db
def test_load_sets_late_policy_and_project_groups(course):
    assert course.grace_days_total == 7
    assert course.max_grace_days_per_assignment == 3
    assert course.project_group_size == 2
    assert course.project_group_exceptions is True
    assert "You will work in groups of 2" in course.project_description


@pytest.mark.django_db
def test_load_creates_the_schedule_of_every_kind(course):
    schedule = {a.key: a for a in course.assignments.select_related("category")}

    by_kind = {kind: sorted(k for k, a in schedule.items() if a.kind == kind) for kind in Assignment.Kind.values}
    assert by_kind == {
        "problem_set": ["ps1", "ps2", "ps3", "ps4"],
        "coding": ["hw1-coding", "hw2-coding", "hw3-coding"],
        "exam": ["final-exam", "midterm-1", "midterm-2"],
        "project": ["project-final", "project-midway", "project-proposal"],
    }
    assert {k: schedule[k].category.key for k in by_kind["exam"]} == {
        "midterm-1": "midterm-1", "midterm-2": "midterm-2", "final-exam": "final-exam",
    }
    assert not any(schedule[k].uses_grace_days for k in by_kind["exam"] + by_kind["project"])
    assert all(schedule[k].uses_grace_days for k in by_kind["problem_set"] + by_kind["coding"])
    assert schedule["project-final"].group_size == 2


@pytest.mark.django_db
def test_load_reads_times_in_the_course_time_zone(course):
    ps1 = course.assignments.get(key="ps1")
    midterm = course.assignments.get(key="midterm-1")

    assert ps1.release_at == datetime(2021, 2, 3, 12, 0, tzinfo=NEW_YORK)
    assert ps1.due_at == datetime(2021, 2, 17, 23, 59, tzinfo=NEW_YORK)
    assert (midterm.release_at, midterm.due_at) == (
        datetime(2021, 3, 8, 12, 20, tzinfo=NEW_YORK), datetime(2021, 3, 8, 13, 40, tzinfo=NEW_YORK),
    )


@pytest.mark.django_db
def test_load_sets_coding_work_files_and_autograder(course):
    hw1 = course.assignments.get(key="hw1-coding")

    assert hw1.title == "Coding assignment 1: multilayer perceptron"
    assert hw1.required_files == ["hw1.py", "README.md"]
    assert hw1.autograder_spec == "hw1"
    assert hw1.points == Decimal(100)


@pytest.mark.django_db
def test_second_load_reports_no_changes():
    loadcourse(SEED)

    assert loadcourse(SEED) == "10707-s21: no changes.\n"


@pytest.mark.django_db
def test_second_load_with_demo_password_changes_no_row():
    loadcourse(SEED, demo_password=DEMO_PASSWORD)
    before = snapshot()

    out = loadcourse(SEED, demo_password=DEMO_PASSWORD)

    assert out == "10707-s21: no changes.\n"
    assert snapshot() == before
    assert before["people.User"][0]["password"].startswith("md5$")  # the hashes are part of the comparison


@pytest.mark.django_db
def test_second_shifted_load_changes_no_row():
    loadcourse(SEED, "--shift-to", "2030-01-09")
    before = snapshot()

    assert loadcourse(SEED, "--shift-to", "2030-01-09") == "10707-s21: no changes.\n"
    assert snapshot() == before


@pytest.mark.django_db
def test_changed_title_is_reported_and_updated(course, course_file):
    path = course_file(('title = "Deep Learning"', 'title = "Deep Learning (graduate)"'))

    out = loadcourse(path, "--apply")

    assert out.splitlines() == [
        "  course 10707-s21: title is 'Deep Learning', the file says 'Deep Learning (graduate)'",
        "10707-s21: 1 change(s) applied.",
    ]
    course.refresh_from_db()
    assert course.title == "Deep Learning (graduate)"


@pytest.mark.django_db
def test_changed_weights_and_due_date_update_only_those_rows(course, course_file):
    path = course_file(
        ("weight = 45", "weight = 40"),
        ("weight = 25", "weight = 30"),
        ("due = 2021-02-17T23:59:00", "due = 2021-02-18T23:59:00"),
    )
    before = snapshot()

    out = loadcourse(path, "--apply")

    assert out.splitlines()[:-1] == [
        "  category assignments: weight is 45, the file says 40",
        "  category final-exam: weight is 25, the file says 30",
        "  assignment ps1: due_at is 2021-02-17 23:59 EST, the file says 2021-02-18 23:59 EST",
    ]
    assert course.assignments.get(key="ps1").due_at == datetime(2021, 2, 18, 23, 59, tzinfo=NEW_YORK)
    assert [c.weight for c in course.categories.all()] == [40, 15, 15, 30]
    after = snapshot()
    assert after["courses.Course"] == before["courses.Course"]
    assert after["people.Membership"] == before["people.Membership"]


@pytest.mark.django_db
def test_removed_part_is_removed_from_the_course(course, course_file):
    path = course_file(('[[parts]]\ntitle = "Other topics"\nsummary = "Robustness, causality, etc."\n'
                        'topics = ["Robustness", "Causality"]\n', ""))

    out = loadcourse(path, "--apply")

    assert "  course part 'Other topics': removed\n" in out
    assert [p.title for p in course.parts.all()] == ["Supervised learning", "Unsupervised learning", "Models for language"]


@pytest.mark.django_db
def test_changed_role_updates_the_membership(course, course_file):
    path = course_file(('email = "carol@example.org"\nrole = "student"', 'email = "carol@example.org"\nrole = "ta"'))

    out = loadcourse(path, "--apply")

    assert "  membership of carol: role is 'student', the file says 'ta'\n" in out
    assert course.memberships.get(user__username="carol").role == Membership.Role.TA
    assert Course.objects.count() == 1


@pytest.mark.django_db
def test_ta_promoted_to_instructor_becomes_a_course_administrator(course, course_file):
    path = course_file(('email = "abasu@example.org"\nrole = "ta"', 'email = "abasu@example.org"\nrole = "instructor"'))

    out = loadcourse(path, "--apply")

    assert out.splitlines()[:-1] == [
        "  user abasu: is_staff is False, the file says True",
        "  user abasu: may edit the course in the admin",
        "  membership of abasu: role is 'ta', the file says 'instructor'",
    ]
    abasu = User.objects.get(username="abasu")
    assert abasu.is_staff and abasu.groups.filter(name="Course administrators").exists()


@pytest.mark.django_db
def test_a_ta_dropped_from_the_file_is_kept_and_reported_on_every_load(course, course_file):
    path = course_file(('[[people]]\nusername = "bliu"\nname = "Bingbin Liu"\nemail = "bliu@example.org"\nrole = "ta"\n\n',
                        ""))

    first, second = loadcourse(path, "--apply"), loadcourse(path, "--apply")

    for out in (first, second):
        assert out.splitlines()[-3:-1] == [
            f"Left as they are (dropped from {path}, or graded or edited by staff); "
            "change them in the admin or on the rubric page:",
            "  membership of bliu: still Teaching assistant",
        ]
    assert second.splitlines()[-1] == "10707-s21: no changes."
    assert course.memberships.get(user__username="bliu").role == Membership.Role.TA


@pytest.mark.django_db
def test_an_instructor_dropped_from_the_file_is_reported_with_their_admin_rights(course, course_file):
    path = course_file(('username = "risteski"', 'username = "aristeski"'))

    out = loadcourse(path, "--apply")

    assert "  membership of risteski: still Instructor (and may edit the course in the admin)\n" in out
    assert "  membership of aristeski: created\n" in out
    assert out.rstrip().endswith("change(s) applied.")


@pytest.mark.django_db
def test_an_assignment_dropped_from_the_file_is_kept_with_its_work(course, course_file):
    path = course_file(('[[assignments]]\nkey = "hw1-coding"', '[[assignments]]\nkey = "hw1-code"'))

    out = loadcourse(path, "--apply")

    assert "  assignment hw1-code: created\n" in out
    assert "  assignment hw1-coding: kept with its submissions and scores\n" in out
    assert course.assignments.filter(key="hw1-coding").exists()
