"""The registrar's CSV as read by coursesite/people/roster.py: no database."""
import pytest

from coursesite.people.roster import Current, RosterError, parse_roster, plan_lines, plan_roster

HEADER = "Andrew ID,First Name,Last Name,Email,Section\r\n"


def rows_of(text: str, encoding: str = "utf-8"):
    rows, problems = parse_roster(text.encode(encoding))
    assert problems == []
    return rows


def test_excel_csv_with_bom_crlf_and_quoted_fields_is_read():
    text = "\ufeff" + HEADER + 'dave,"Dave, Jr.",Doe,Dave@Andrew.cmu.edu,a\r\n'
    [row] = rows_of(text)
    assert (row.username, row.first_name, row.email, row.section, row.line) == \
        ("dave", "Dave, Jr.", "dave@andrew.cmu.edu", "A", 2)


@pytest.mark.parametrize("header", [
    "andrewid;first;last;E-mail;Sect", "USERNAME;First_Name;Surname;email address;section", "user;first;last;mail;sec",
])
def test_column_aliases_and_semicolons_are_accepted(header):
    [row] = rows_of(f"{header}\ndave;Dave;Doe;dave@andrew.cmu.edu;B\n")
    assert (row.username, row.last_name, row.section) == ("dave", "Doe", "B")


def test_windows_1252_names_are_read():
    [row] = rows_of(HEADER + "jose,José,Núñez,jose@andrew.cmu.edu,A\r\n", encoding="cp1252")
    assert row.first_name == "José"


def test_bad_rows_are_listed_with_their_line_numbers():
    text = (HEADER + "dave,Dave,Doe,,A\r\n" + "erin,Erin,E,erin@andrew.cmu.edu,A\r\n"
            + "erin,Erin,E,erin2@andrew.cmu.edu,A\r\n" + "fay,Fay,F,fay@andrew.cmu.edu,Section 4!\r\n"
            + "gus,Gus,G,not-an-email,A\r\n")
    _, problems = parse_roster(text.encode())
    assert problems == [
        "line 2: no e-mail",
        "line 4: erin is listed twice (also on line 3)",
        "line 5: the section “SECTION 4!” is not a section name (up to 8 letters and digits, e.g. A)",
        "line 6: “not-an-email” is not an e-mail address",
    ]


def test_a_header_without_the_id_column_is_refused_whole():
    with pytest.raises(RosterError, match="The header has no username column"):
        parse_roster(b"Name,Email\nDave,dave@andrew.cmu.edu\n")


def student(username, section="A", dropped=False, role="student"):
    return Current(username, username.title(), "X", f"{username}@andrew.cmu.edu", role=role, section=section,
                   dropped=dropped)


def test_plan_adds_updates_drops_and_restores():
    rows = rows_of(HEADER + "new,New,X,new@andrew.cmu.edu,A\r\n" + "moved,Moved,X,moved@andrew.cmu.edu,B\r\n"
                   + "back,Back,X,back@andrew.cmu.edu,A\r\n" + "same,Same,X,same@andrew.cmu.edu,A\r\n")
    students = [student("moved"), student("back", dropped=True), student("same"), student("gone")]
    plan = plan_roster(rows, {s.username: s for s in students}, {}, students)
    assert plan_lines(plan) == [
        "add new (New X, new@andrew.cmu.edu, section A)",
        "update moved: section A → B",
        "restore back",
        "drop gone (Gone X): records kept, access ends",
    ]


def test_staff_listed_on_a_student_roster_is_reported_and_left_alone():
    rows = rows_of(HEADER + "abasu,Anirban,Basu,abasu@andrew.cmu.edu,A\r\n")
    ta = student("abasu", section="", role="ta")
    plan = plan_roster(rows, {"abasu": ta}, {}, [])
    assert not plan.changes_anything
    assert plan_lines(plan) == ["line 2: abasu is on the course's staff: left as is"]


def test_an_email_of_another_account_is_a_bad_row():
    rows = rows_of(HEADER + "new,New,X,bob@andrew.cmu.edu,A\r\n")
    plan = plan_roster(rows, {}, {"bob@andrew.cmu.edu": "bob"}, [])
    assert plan.problems == ("line 2: the e-mail bob@andrew.cmu.edu belongs to another account (bob)",)
    assert not plan.changes_anything
