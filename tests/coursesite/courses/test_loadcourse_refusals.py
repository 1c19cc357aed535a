"""A course file with problems is refused whole: nothing is written and each problem names its key."""
import re

import pytest
from django.core.management.base import CommandError

from coursesite.courses.models import Course

from .conftest import loadcourse, refuse, snapshot

RELEASE_PS1 = "release = 2021-02-03T12:00:00"
DUE_PS1 = "due = 2021-02-17T23:59:00"
ABASU = 'email = "abasu@example.org"\nrole = "ta"'
REGRADES = '[policies.regrades]\nheading = "Regrades"\nbody = "Submit a regrade request on this site."\n'


@pytest.mark.django_db
def test_weights_not_summing_to_100_are_refused(course_file):
    path = course_file(("weight = 25", "weight = 20"))

    refuse(path, "categories: the weights sum to 95, not 100")
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_fractional_weights_not_summing_to_100_are_refused(course_file):
    path = course_file(("weight = 25", "weight = 24.5"))

    refuse(path, "categories: the weights sum to 99.5, not 100")


@pytest.mark.django_db
def test_due_before_release_is_refused(course_file):
    path = course_file((DUE_PS1, "due = 2021-02-01T23:59:00"))

    refuse(path, "assignments[0].due: 2021-02-01 23:59:00 is not after its release 2021-02-03 12:00:00")


@pytest.mark.django_db
def test_due_equal_to_release_is_refused(course_file):
    path = course_file((DUE_PS1, "due = 2021-02-03T12:00:00"))

    refuse(path, "assignments[0].due: 2021-02-03 12:00:00 is not after its release 2021-02-03 12:00:00")


@pytest.mark.django_db
def test_unknown_role_is_refused(course_file):
    path = course_file((ABASU, 'email = "abasu@example.org"\nrole = "professor"'))

    refuse(path, "people[2].role: unknown role 'professor' (one of student, ta, education_associate, instructor)")


@pytest.mark.django_db
def test_course_without_instructor_is_refused(course_file):
    path = course_file(('role = "instructor"', 'role = "ta"'))

    refuse(path, "people: the course needs at least one instructor")


@pytest.mark.django_db
def test_duplicate_assignment_key_is_refused(course_file):
    path = course_file(('key = "ps2"', 'key = "ps1"'))

    refuse(path, "assignments[2].key: duplicate 'ps1' (already used by assignments[0])")


@pytest.mark.django_db
def test_duplicate_username_is_refused(course_file):
    path = course_file(('username = "bob"', 'username = "alice"'))

    refuse(path, "people[8].username: duplicate 'alice' (already used by people[7])")


@pytest.mark.django_db
def test_missing_policy_is_refused(course_file):
    path = course_file((REGRADES, ""))

    refuse(path, "policies.regrades: is missing (every course states this policy)")


@pytest.mark.django_db
def test_unknown_top_level_key_is_refused(course_file):
    path = course_file(("[late_policy]", "[late_polcy]"))

    refuse(path, "late_polcy: is not a known key (a typo?)")


@pytest.mark.django_db
def test_unknown_course_key_is_refused(course_file):
    path = course_file(('location = "Zoom', 'room = "GHC 4401"\nlocation = "Zoom'))

    refuse(path, "course.room: is not a known key (a typo?)")


@pytest.mark.django_db
def test_invalid_toml_is_refused(course_file):
    path = course_file(('title = "Deep Learning"', 'title = "Deep Learning'))

    message = refuse(path, "not valid TOML: ")
    assert message.endswith("(at line 8, column 23)")


@pytest.mark.django_db
def test_missing_file_is_refused(tmp_path):
    refuse(tmp_path / "10707-s22.toml", "the file does not exist")


@pytest.mark.django_db
def test_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "course.toml"
    path.write_bytes(b'title = "Deep Learning \xff"\n')

    refuse(path, "not valid TOML: 'utf-8' codec can't decode byte 0xff in position 23: invalid start byte")


@pytest.mark.django_db
def test_folder_instead_of_file_is_refused(tmp_path):
    refuse(tmp_path, "cannot be read: Is a directory")


@pytest.mark.django_db
def test_unknown_category_is_refused(course_file):
    path = course_file(('category = "midterm-2"', 'category = "midterm-3"'))

    refuse(path, "assignments[10].category: 'midterm-3' is not one of the categories "
                 "(assignments, final-exam, midterm-1, midterm-2)")


@pytest.mark.django_db
def test_category_without_key_is_refused(course_file):
    path = course_file(('key = "final-exam"\nname = "Final exam"', 'name = "Final exam"'))

    message = refuse(path, "categories[3].key: is missing")
    assert message.splitlines()[2:] == [
        "  - assignments[12].category: 'final-exam' is not one of the categories (assignments, midterm-1, midterm-2)",
    ]


@pytest.mark.django_db
def test_unknown_assignment_kind_is_refused(course_file):
    path = course_file(('key = "ps4"\ntitle = "Problem set 4"\nkind = "problem_set"',
                        'key = "ps4"\ntitle = "Problem set 4"\nkind = "quiz"'))

    refuse(path, "assignments[9].kind: unknown kind 'quiz' (one of problem_set, coding, project, exam)")


@pytest.mark.django_db
def test_exam_drawing_on_grace_days_is_refused(course_file):
    path = course_file(('category = "final-exam"\npoints = 100', 'category = "final-exam"\npoints = 100\nuses_grace_days = true'))

    refuse(path, "assignments[12].uses_grace_days: exams do not draw on grace days")


@pytest.mark.django_db
def test_coding_work_without_required_files_is_refused(course_file):
    path = course_file(('required_files = ["hw2.py", "README.md"]\n', ""))

    refuse(path, "assignments[4].required_files: coding work names the files students hand in")


@pytest.mark.django_db
def test_wrong_value_type_is_refused(course_file):
    path = course_file(("group_size = 2\nexceptions_by_staff", 'group_size = "two"\nexceptions_by_staff'))

    refuse(path, "project.group_size: must be a whole number, not 'two'")


@pytest.mark.django_db
def test_date_and_time_for_a_course_date_is_refused(course_file):
    path = course_file(("starts_on = 2021-02-01", "starts_on = 2021-02-01T09:00:00"))

    refuse(path, "course.starts_on: must be a date (YYYY-MM-DD), not datetime.datetime(2021, 2, 1, 9, 0)")


@pytest.mark.django_db
def test_weight_that_is_not_a_number_is_refused(course_file):
    path = course_file(("weight = 25", "weight = nan"))

    refuse(path, "categories[3].weight: must be a number, not nan")


@pytest.mark.django_db
def test_every_problem_is_listed_at_once(course_file):
    path = course_file(("weight = 25", "weight = 20"), (ABASU, 'email = "abasu@example.org"\nrole = "professor"'),
                       (REGRADES, ""))

    message = refuse(path, "categories: the weights sum to 95, not 100")
    assert message.splitlines()[1:] == [
        "  - categories: the weights sum to 95, not 100",
        "  - people[2].role: unknown role 'professor' (one of student, ta, education_associate, instructor)",
        "  - policies.regrades: is missing (every course states this policy)",
    ]


@pytest.mark.django_db
def test_update_with_broken_weights_changes_nothing_else(course, course_file):
    path = course_file(('title = "Deep Learning"', 'title = "Deep Learning II"'), ("weight = 25", "weight = 20"))

    refuse(path, "categories: the weights sum to 95, not 100")
    course.refresh_from_db()
    assert course.title == "Deep Learning"


@pytest.mark.django_db
def test_update_with_broken_due_date_changes_nothing_else(course, course_file):
    path = course_file(('meeting_times = "MW 12:20-1:40 pm"', 'meeting_times = "TR 3:05-4:25 pm"'),
                       ("due = 2021-03-03T23:59:00", "due = 2021-02-03T23:59:00"))

    refuse(path, "assignments[2].due: 2021-02-03 23:59:00 is not after its release 2021-02-17 12:00:00")


@pytest.mark.django_db
def test_update_refused_by_the_database_checks_is_rolled_back(course, course_file):
    """A problem only full_clean finds (a section key that is no slug) still undoes the title change before it."""
    path = course_file(('title = "Deep Learning"', 'title = "Deep Learning II"'),
                       ('key = "prerequisites"', 'key = "pre requisites"'))
    before = snapshot()

    with pytest.raises(CommandError, match=f"^{re.escape(str(path))} was not loaded; nothing was changed: key: Enter a valid"):
        loadcourse(path)
    assert snapshot() == before


@pytest.mark.django_db
def test_update_removing_a_category_still_in_use_is_refused(course, course_file):
    """Assignments are never deleted by a load, so the category of one dropped from the file is protected."""
    midterm_2 = ('[[assignments]]\nkey = "midterm-2"\ntitle = "Midterm 2"\nkind = "exam"\ncategory = "midterm-2"\n'
                 "points = 100\nrelease = 2021-04-26T12:20:00\ndue = 2021-04-26T13:40:00\n")
    path = course_file(('[[categories]]\nkey = "midterm-2"\nname = "Midterm 2"\nweight = 15\n', ""),
                       ("weight = 25", "weight = 40"), (midterm_2, ""))
    before = snapshot()

    with pytest.raises(CommandError, match="nothing was changed: Cannot delete some instances of model 'GradingCategory'"):
        loadcourse(path)
    assert snapshot() == before
