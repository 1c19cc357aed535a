"""The roster import reads and writes in bulk: its query count does not grow with the roster's length."""
from benchmarks.roster import measure, roster_csv


def queries_of_three_imports(course, students: int) -> list[int]:
    first = roster_csv(course.slug, range(students))
    shifted = roster_csv(course.slug, range(20, students + 20))           # 20 dropped, 20 added
    return [measure(course, data)[1] for data in (first, first, shifted)]


def test_an_import_takes_as_many_queries_for_400_students_as_for_40(course):
    other = type(course).objects.create(slug="other", number="2", title="Other", term=course.term,
                                        starts_on=course.starts_on, ends_on=course.ends_on, meeting_times="-",
                                        location="-")
    small = queries_of_three_imports(course, 40)
    large = queries_of_three_imports(other, 400)

    assert large[1:] == small[1:]
    # A first import creates every account, and an invitation and its history entry for each: SQLite caps a
    # statement's parameters, so Django splits each bulk insert into batches (PostgreSQL takes one statement
    # each); a few more for 360 more students, never one a row.
    assert large[0] - small[0] <= 20
