"""Pages of a write-up as the instructor or a student writes them ("3-4", "2, 5"), and where the grading
page opens the PDF: pure, no database."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.rubrics.pages import format_pages, normalize_pages, parse_pages, question_place


@pytest.mark.parametrize(("text", "pages"), [
    ("3", [3]),
    ("3-4", [3, 4]),
    ("2, 5", [2, 5]),
    ("5,2 - 3", [2, 3, 5]),
    ("3–5", [3, 4, 5]),              # an en dash, as word processors write ranges
    ("2, 2-3, 3", [2, 3]),
    ("", []),
    (" , ", []),
    ("4,", [4]),
])
def test_pages_are_numbers_and_ranges_separated_by_commas(text, pages):
    assert parse_pages(text) == pages


@pytest.mark.parametrize("text", ["three", "p. 3", "3-", "-3", "3-4-5", "3 4", "3.5", "2;5"])
def test_anything_but_numbers_and_ranges_is_refused_with_an_example(text):
    with pytest.raises(ValueError, match=r"^Pages are numbers like 2, 3-5\.$"):
        parse_pages(text)


@pytest.mark.parametrize("text", ["0", "0-2", "2, 0"])
def test_page_zero_is_refused_because_pages_start_at_one(text):
    with pytest.raises(ValueError, match=r"^Page 0 does not exist: pages start at 1\.$"):
        parse_pages(text)


def test_a_reversed_range_is_refused_with_the_range_the_other_way_round():
    with pytest.raises(ValueError, match=r"^“5-3” runs backwards: write it 3-5\.$"):
        parse_pages("2, 5-3")


def test_a_page_past_the_end_of_the_pdf_is_refused_with_its_page_count():
    with pytest.raises(ValueError, match=r"^Page 5 is past the end: the PDF has 4 pages\.$"):
        parse_pages("3-5", page_count=4)


def test_a_one_page_pdf_is_said_to_have_one_page():
    with pytest.raises(ValueError, match=r"the PDF has 1 page\.$"):
        parse_pages("2", page_count=1)


def test_the_last_page_of_the_pdf_may_be_named():
    assert parse_pages("4", page_count=4) == [4]


def test_a_huge_range_is_refused_without_knowing_the_page_count():
    with pytest.raises(ValueError, match=r"^Page 999999999 is past the end of any write-up\.$"):
        parse_pages("1-999999999")


def test_more_separate_pages_than_can_be_stored_are_refused():
    with pytest.raises(ValueError, match=r"^That is too many separate pages: name the pages of the answer"):
        parse_pages(",".join(str(n) for n in range(1, 80, 2)))


def test_pages_are_written_back_as_runs():
    assert format_pages([7, 2, 3, 4, 9, 10]) == "2-4, 7, 9-10"


def test_text_is_normalized_to_the_form_that_is_stored():
    assert normalize_pages("5,2 - 3,4") == "2-5"


@given(st.sets(st.integers(1, 60), max_size=20))
def test_formatting_then_parsing_gives_back_the_same_pages(pages):
    assert parse_pages(format_pages(pages)) == sorted(pages)


def test_the_students_pages_win_over_the_rubrics():
    place = question_place("5-6", "3")
    assert (place.pages, place.chosen_by, place.first_page, place.text) == ((5, 6), "student", 5, "5-6")


def test_the_rubrics_pages_are_used_when_the_student_chose_none():
    place = question_place("", "3-4")
    assert (place.chosen_by, place.first_page) == ("rubric", 3)


def test_with_no_pages_named_the_pdf_opens_at_page_one():
    place = question_place("", "")
    assert (place.pages, place.chosen_by, place.first_page) == ((), "", 1)


def test_a_stored_value_that_no_longer_parses_counts_as_not_chosen():
    assert question_place("page three", "2").chosen_by == "rubric"
