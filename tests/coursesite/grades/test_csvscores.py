"""Reading a CSV file of scores: pure, no database; Hypothesis for the round trip."""
import csv
import io
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.display import plain_number
from coursesite.grades.csvscores import (
    ScoreFileRefused,
    ScoreLine,
    parse_points,
    parse_score_csv,
)

# Usernames as they are, e-mail addresses in lower case (as the site builds the mapping).
STUDENTS = {"alice": 1, "alice@example.org": 1, "bob": 2, "bob@example.org": 2, "carol": 3, "carol@example.org": 3}
MAXIMUM = D(100)


def parsed(text: str, **options) -> dict[int, D]:
    return {line.member_id: line.points for line in parse_score_csv(text, STUDENTS, MAXIMUM, **options)}


def problems_of(text: str, **options) -> list[str]:
    with pytest.raises(ScoreFileRefused) as refused:
        parse_score_csv(text, STUDENTS, MAXIMUM, **options)
    return refused.value.problems


# --- Good files ---------------------------------------------------------------------------------


def test_rows_without_a_header_give_each_students_score():
    assert parsed("alice,92.5\nbob,80\n") == {1: D("92.50"), 2: D("80.00")}


def test_a_header_row_is_recognised_and_skipped():
    assert parsed("student,score\nalice,92.5\n") == {1: D("92.5")}


def test_a_header_row_is_recognised_whatever_its_case():
    assert parsed("Andrew ID,Points\nalice,92.5\n") == {1: D("92.5")}


def test_excels_byte_order_mark_is_ignored():
    assert parsed("\ufeffstudent,score\r\nalice,92.5\r\n") == {1: D("92.5")}


def test_students_can_be_named_by_email_in_any_case():
    assert parsed("Alice@Example.ORG,70\nbob@example.org,71\n") == {1: D(70), 2: D(71)}


def test_spaces_around_cells_and_padding_empty_cells_are_ignored():
    assert parsed(" alice , 92 ,,\n") == {1: D(92)}


def test_blank_lines_are_skipped_but_still_counted_for_line_numbers():
    assert problems_of("alice,90\n\n\nzed,10\n") == ["line 4: no student 'zed' in this course"]


def test_a_blank_score_leaves_that_student_out():
    assert parsed("alice,90\nbob,\n") == {1: D(90)}


def test_each_line_keeps_its_line_number_and_identifier():
    assert parse_score_csv("student,score\nalice,90\n", STUDENTS, MAXIMUM) == [ScoreLine(2, "alice", 1, D(90))]


def test_a_score_above_the_maximum_is_accepted_once_confirmed():
    assert parsed("alice,105\n", above_maximum_confirmed=True) == {1: D(105)}


# --- Bad files: refused whole, every bad line named ---------------------------------------------


def test_every_bad_line_of_a_file_is_named_in_line_order():
    text = "\n".join([
        "student,score",       # 1 header
        "alice,90",            # 2
        "bob,-3",              # 3
        "zed,50",              # 4
        "carol,92.125",        # 5
        "abasu,70",            # 6: a TA, not a student
        "bob@example.org,abc", # 7
        "alice;80",            # 8
        "alice,91",            # 9
    ])
    assert problems_of(text) == [
        "line 3: -3 is negative",
        "line 4: no student 'zed' in this course",
        "line 5: 92.125 has more than 2 decimal places",
        "line 6: no student 'abasu' in this course",
        "line 7: 'abc' is not a number",
        "line 7: bob@example.org appears twice (lines 3 and 7)",
        "line 8: expected 2 columns (student, score) separated by a comma, found 1",
        "line 9: alice appears twice (lines 2 and 9)",
    ]


def test_a_student_named_three_times_is_reported_on_each_repeat():
    assert problems_of("bob,1\nbob,2\nbob@example.org,3\n") == [
        "line 2: bob appears 3 times (lines 1, 2 and 3)",
        "line 3: bob@example.org appears 3 times (lines 1, 2 and 3)",
    ]


def test_a_score_above_the_maximum_is_refused_without_confirmation():
    assert problems_of("alice,90\nbob,105\n") == ["line 2: bob's score 105 is above the maximum of 100 points"]


def test_a_refusal_says_whether_confirming_would_help():
    with pytest.raises(ScoreFileRefused) as refused:
        parse_score_csv("bob,105\n", STUDENTS, MAXIMUM)
    assert refused.value.above_maximum
    with pytest.raises(ScoreFileRefused) as refused:
        parse_score_csv("bob,-1\n", STUDENTS, MAXIMUM)
    assert not refused.value.above_maximum


def test_the_header_word_is_only_a_header_on_the_first_line():
    assert problems_of("alice,90\nstudent,score\n") == [
        "line 2: no student 'student' in this course",
        "line 2: 'score' is not a number",
    ]


def test_a_line_with_broken_quoting_is_named():
    assert problems_of('alice,90\n"bob"x,80\ncarol,70\n') == [
        "line 2: the line can't be read as CSV (',' expected after '\"')"
    ]


def test_an_empty_file_is_refused_with_a_clear_message():
    assert problems_of("\ufeff \n\n") == ["The file is empty."]


def test_a_file_with_only_a_header_has_no_scores():
    assert problems_of("student,score\n") == ["The file has no scores in it."]


# --- Points as people type them ------------------------------------------------------------------


@pytest.mark.parametrize("text, points", [("92", "92.00"), ("92.5", "92.50"), (" .5 ", "0.50"), ("+7.", "7.00"),
                                          ("92.100", "92.10"), ("-0", "0.00")])
def test_points_accept_plain_decimals(text, points):
    assert str(parse_points(text)) == points


@pytest.mark.parametrize("text, message", [
    ("92.125", "92.125 has more than 2 decimal places"),
    ("-3", "-3 is negative"),
    ("1e2", "'1e2' is not a number"),
    ("NaN", "'NaN' is not a number"),
    ("92,5", "'92,5' is not a number"),
    ("", "'' is not a number"),
    ("100000", "100000 is too large (at most 99999.99)"),
])
def test_points_refuse_what_is_not_a_score(text, message):
    with pytest.raises(ValueError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        parse_points(text)


def test_points_are_shown_without_an_exponent_or_trailing_zeros():
    assert [plain_number(D(p)) for p in ("100.00", "92.50", "0.00")] == ["100", "92.5", "0"]


# --- Properties ----------------------------------------------------------------------------------

ROSTER = {f"student{i}": i for i in range(1, 30)}
EMAILS = {f"student{i}@andrew.cmu.edu": i for i in range(1, 30)}
points_2dp = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(
    chosen=st.lists(st.sampled_from(sorted(ROSTER.values())), unique=True, min_size=1, max_size=29).flatmap(
        lambda ids: st.tuples(st.just(ids), st.lists(points_2dp, min_size=len(ids), max_size=len(ids)),
                              st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))),
    header=st.booleans(), bom=st.booleans(), crlf=st.booleans(),
)
def test_any_file_of_valid_rows_round_trips(chosen, header, bom, crlf):
    ids, points, by_email = chosen
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    if header:
        writer.writerow(["student", "score"])
    for member_id, p, email in zip(ids, points, by_email):
        writer.writerow([f"Student{member_id}@Andrew.CMU.edu" if email else f"student{member_id}", str(p)])
    text = ("\ufeff" if bom else "") + out.getvalue()
    lines = parse_score_csv(text, ROSTER | EMAILS, MAXIMUM)
    assert [(s.member_id, s.points) for s in lines] == list(zip(ids, points))
    assert [s.line for s in lines] == list(range(1 + header, len(ids) + 1 + header))


@given(st.decimals(min_value=0, max_value=99999, places=3, allow_nan=False, allow_infinity=False))
def test_points_with_a_third_decimal_place_are_refused_and_others_kept_exactly(points):
    if points == points.quantize(D("0.01")):
        assert parse_points(str(points)) == points
    else:
        with pytest.raises(ValueError, match="more than 2 decimal places"):
            parse_points(str(points))
