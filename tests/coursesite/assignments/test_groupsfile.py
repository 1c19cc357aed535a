"""Reading a CSV of groups (assignments.groupsfile): pure, no database."""
import pytest

from coursesite.assignments.groupsfile import GroupRow, GroupsFileError, grouped, parse_groups


def test_one_line_per_student_with_a_free_label():
    rows, problems = parse_groups(b"group,username\nTeam Rocket,Alice\nTeam Rocket,bob\n")

    assert rows == [GroupRow(2, "Team Rocket", "alice"), GroupRow(3, "Team Rocket", "bob")]
    assert problems == []


def test_excel_bom_and_crlf_are_read():
    rows, problems = parse_groups("\ufeffGroup,Username\r\ng1,alice\r\n\r\ng1,bob\r\n".encode())

    assert [(r.line, r.username) for r in rows] == [(2, "alice"), (4, "bob")]


def test_semicolons_are_read_like_commas():
    rows, _ = parse_groups(b"group;andrew id\ng1;alice\n")

    assert rows == [GroupRow(2, "g1", "alice")]


def test_a_student_listed_twice_is_a_problem_of_the_later_line():
    _, problems = parse_groups(b"group,username\ng1,carol\ng2,bob\ng3,Carol\n")

    assert problems == ["line 4: carol is listed twice (first on line 2)"]


def test_a_line_without_a_group_or_username_is_a_problem():
    _, problems = parse_groups(b"group,username\n,alice\ng1,\n")

    assert problems == ["line 2: alice has no group", "line 3: no username"]


def test_a_file_without_the_header_is_refused():
    with pytest.raises(GroupsFileError, match="The header has no group column \\(it reads: team_name, username\\)"):
        parse_groups(b"team_name,username\ng1,alice\n")


def test_an_empty_file_is_refused():
    with pytest.raises(GroupsFileError, match="The file is empty"):
        parse_groups(b"\n\n")


def test_rows_are_grouped_by_label_in_the_files_order():
    rows, _ = parse_groups(b"group,username\nb,x\na,y\nb,z\n")

    assert {label: [r.username for r in group] for label, group in grouped(rows).items()} == {
        "b": ["x", "z"], "a": ["y"]}
    assert list(grouped(rows)) == ["b", "a"]
