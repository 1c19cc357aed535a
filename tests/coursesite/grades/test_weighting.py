"""Grade weighting: pure, no database, Decimal throughout, Hypothesis for the invariants."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coursesite.grades.weighting import (
    Category,
    Score,
    category_percentages,
    check_weights,
    display_percent,
    explain_total,
    weighted_total,
)

# The demo course: assignments 45, midterm 1 15, midterm 2 15, final exam 25.
DEMO = [
    Category("Assignments", D(45)),
    Category("Midterm 1", D(15)),
    Category("Midterm 2", D(15)),
    Category("Final exam", D(25)),
]
THIRDS = [Category("A", D("33.33")), Category("B", D("33.33")), Category("C", D("33.34"))]


# --- Examples, one behaviour each ---------------------------------------------------------------


def test_category_percentage_is_points_earned_over_points_possible():
    scores = [Score("Assignments", D(20), D(25)), Score("Assignments", D(20), D(20))]
    assert category_percentages(DEMO, scores, missing_as_zero=False)["Assignments"] == D(4000) / D(45)


def test_current_grade_averages_only_over_categories_with_released_scores():
    scores = [Score("Assignments", D(90), D(100)), Score("Midterm 1", D(60), D(100)), Score("Midterm 2", None, D(100))]
    assert weighted_total(DEMO, scores, missing_as_zero=False) == D("82.5")     # (45·90 + 15·60) / 60


def test_final_grade_counts_missing_work_as_zero():
    scores = [Score("Assignments", D(90), D(100)), Score("Midterm 1", D(60), D(100)), Score("Midterm 2", None, D(100))]
    assert weighted_total(DEMO, scores, missing_as_zero=True) == D("49.5")     # (45·90 + 15·60) / 100
    percents = category_percentages(DEMO, scores, missing_as_zero=True)
    assert percents["Midterm 2"] == 0 and percents["Final exam"] == 0


def test_unreleased_score_does_not_count_in_the_current_grade():
    scores = [Score("Assignments", D(10), D(10)), Score("Assignments", None, D(10))]
    assert category_percentages(DEMO, scores, missing_as_zero=False)["Assignments"] == 100
    assert category_percentages(DEMO, scores, missing_as_zero=True)["Assignments"] == 50


def test_nothing_released_yet_gives_no_current_grade():
    assert weighted_total(DEMO, [], missing_as_zero=False) is None
    assert weighted_total(DEMO, [Score("Midterm 1", None, D(100))], missing_as_zero=False) is None
    assert display_percent(weighted_total(DEMO, [], missing_as_zero=False)) == "—"


def test_final_grade_with_no_scores_at_all_is_zero():
    assert weighted_total(DEMO, [], missing_as_zero=True) == 0


def test_extra_credit_can_go_above_100():
    assert weighted_total(DEMO, [Score("Final exam", D(110), D(100))], missing_as_zero=False) == D(110)


def test_categories_that_count_but_weigh_nothing_give_no_total():
    categories = [Category("Participation", D(0)), Category("Exams", D(100))]
    assert weighted_total(categories, [Score("Participation", D(1), D(1))], missing_as_zero=False) is None


def test_thirds_do_not_drift():
    full_marks = [Score(c.name, D(3), D(3)) for c in THIRDS]
    assert weighted_total(THIRDS, full_marks, missing_as_zero=False) == D(100)
    one_third = [Score(c.name, D(1), D(3)) for c in THIRDS]
    total = weighted_total(THIRDS, one_third, missing_as_zero=False)
    assert total == D(100) / D(3)                                              # the one rounding, at 28 digits
    assert display_percent(total) == "33.33%"


def test_many_small_scores_add_up_exactly():
    tenths = [Score("Assignments", D("0.1"), D("0.3")) for _ in range(30)]
    assert weighted_total(DEMO, tenths, missing_as_zero=False) == D(100) / D(3)


def test_display_rounds_half_up_to_two_places():
    assert display_percent(D("88.885")) == "88.89%"
    assert display_percent(D("2.675")) == "2.68%"                              # a float would show 2.67
    assert display_percent(D("88.88888888888888888888888889")) == "88.89%"
    assert display_percent(D(100)) == "100.00%"


def test_totals_are_not_rounded():
    total = weighted_total(DEMO, [Score("Assignments", D(40), D(45))], missing_as_zero=False)
    assert total == D("88.88888888888888888888888889")


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        ([Category("A", D(50)), Category("B", D("49.99"))], "must sum to exactly 100, not 99.99"),
        ([Category("A", D(50)), Category("A", D(50))], "Category names must be unique: A, A."),
        ([Category("A", D(110)), Category("B", D(-10))], "The weight of B cannot be negative; got -10."),
        ([Category("A", 100.0)], r"The weight of A is the float 100.0; use Decimal\('100.0'\)"),
        ([Category("A", D("NaN"))], "The weight of A must be a finite number"),
        ([], "must sum to exactly 100, not 0"),
    ],
)
def test_bad_weights_refused(categories, message):
    with pytest.raises(ValueError, match=message):
        check_weights(categories)
    with pytest.raises(ValueError, match=message):
        weighted_total(categories, [], missing_as_zero=True)


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (Score("Homework", D(1), D(1)), "A score is in category 'Homework', which this course does not have."),
        (Score("Midterm 1", D(0), D(0)), "Points possible in Midterm 1 must be more than 0; got 0."),
        (Score("Midterm 1", D(-1), D(10)), "Points earned in Midterm 1 cannot be negative; got -1."),
        (Score("Midterm 1", 0.5, D(1)), r"Points earned in Midterm 1 is the float 0.5; use Decimal\('0.5'\)"),
        (Score("Midterm 1", D(1), 2.0), "Points possible in Midterm 1 is the float 2.0"),
        (Score("Midterm 1", "7", D(10)), "Points earned in Midterm 1 must be a Decimal, not '7'."),
    ],
)
def test_bad_scores_refused(score, message):
    with pytest.raises(ValueError, match=message):
        weighted_total(DEMO, [score], missing_as_zero=False)


def test_a_hidden_score_is_still_checked():
    with pytest.raises(ValueError, match="Points possible in Midterm 1 must be more than 0"):
        weighted_total(DEMO, [Score("Midterm 1", None, D(0))], missing_as_zero=False)


def test_explain_total_shows_the_arithmetic_of_the_current_grade():
    scores = [
        Score("Assignments", D(20), D(25)),
        Score("Assignments", D("20.0"), D(20)),
        Score("Midterm 1", None, D(50)),                                       # not released yet
    ]
    assert explain_total(DEMO, scores, missing_as_zero=False) == [
        "Assignments: 40/45 points = 88.89% × 45 = 40.00",
        "Midterm 1: nothing graded yet, not counted",
        "Midterm 2: nothing graded yet, not counted",
        "Final exam: nothing graded yet, not counted",
        "Total: 40.00 of 45 = 88.89%",
    ]


def test_explain_total_shows_the_arithmetic_of_the_final_grade():
    scores = [Score("Assignments", D(40), D(45)), Score("Midterm 1", None, D(50))]
    assert explain_total(DEMO, scores, missing_as_zero=True) == [
        "Assignments: 40/45 points = 88.89% × 45 = 40.00",
        "Midterm 1: 0/50 points = 0.00% × 15 = 0.00",
        "Midterm 2: no scores = 0.00% × 15 = 0.00",
        "Final exam: no scores = 0.00% × 25 = 0.00",
        "Total: 40.00 of 100 = 40.00%",
    ]


def test_explain_total_when_nothing_counts():
    assert explain_total(DEMO, [], missing_as_zero=False)[-1] == "Total: —, nothing counts yet"


# --- Properties ---------------------------------------------------------------------------------


def cents(n: int) -> D:
    return D(n).scaleb(-2)                                                     # exact: 1234 -> 12.34


@st.composite
def course_categories(draw) -> list[Category]:
    """1 to 5 categories whose weights (in hundredths) sum to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), max_size=4)))
    bounds = [0, *cuts, 10_000]
    return [Category(f"C{i}", cents(hi - lo)) for i, (lo, hi) in enumerate(zip(bounds, bounds[1:]))]


def scores_for(categories: list[Category], *, released: bool = False):
    possible = st.integers(1, 20_000).map(cents)
    earned = st.integers(0, 25_000).map(cents)
    return st.lists(
        st.builds(
            Score,
            category=st.sampled_from([c.name for c in categories]),
            earned=earned if released else st.none() | earned,
            possible=possible,
        ),
        max_size=12,
    )


@st.composite
def courses(draw, *, released: bool = False):
    categories = draw(course_categories())
    return categories, draw(scores_for(categories, released=released))


missing_as_zero = st.booleans()


def exact_total(categories, scores, missing_as_zero):
    """The syllabus arithmetic in fractions, written out independently."""
    parts = []
    for c in categories:
        mine = [s for s in scores if s.category == c.name and (missing_as_zero or s.earned is not None)]
        if mine:
            earned = sum(Fraction(s.earned or 0) for s in mine)
            parts.append((Fraction(c.weight), 100 * earned / sum(Fraction(s.possible) for s in mine)))
        elif missing_as_zero:
            parts.append((Fraction(c.weight), Fraction(0)))
    weight = sum(w for w, _ in parts)
    return sum(w * p for w, p in parts) / weight if weight else None


@given(course=courses(), missing_as_zero=missing_as_zero)
def test_total_lies_between_the_counted_category_percentages(course, missing_as_zero):
    categories, scores = course
    total = weighted_total(categories, scores, missing_as_zero=missing_as_zero)
    percents = category_percentages(categories, scores, missing_as_zero=missing_as_zero)
    weighed = [percents[c.name] for c in categories if percents[c.name] is not None and c.weight > 0]
    if not weighed:
        assert total is None
    else:
        assert 0 <= min(weighed) <= total <= max(weighed)


@given(course=courses(), missing_as_zero=missing_as_zero, data=st.data())
def test_total_does_not_depend_on_score_order(course, missing_as_zero, data):
    categories, scores = course
    shuffled = data.draw(st.permutations(scores))
    assert weighted_total(categories, shuffled, missing_as_zero=missing_as_zero) == weighted_total(
        categories, scores, missing_as_zero=missing_as_zero
    )


@given(scores=scores_for([Category("Everything", D(100))]), missing_as_zero=missing_as_zero)
def test_total_equals_the_category_percentage_when_there_is_one_category(scores, missing_as_zero):
    categories = [Category("Everything", D(100))]
    percent = category_percentages(categories, scores, missing_as_zero=missing_as_zero)["Everything"]
    assert weighted_total(categories, scores, missing_as_zero=missing_as_zero) == percent


@given(course=courses(released=True))
def test_current_equals_final_when_nothing_is_missing(course):
    categories, scores = course
    assume({s.category for s in scores} == {c.name for c in categories})
    assert weighted_total(categories, scores, missing_as_zero=False) == weighted_total(
        categories, scores, missing_as_zero=True
    )


@given(course=courses())
def test_final_is_never_above_current_and_always_exists(course):
    categories, scores = course
    current = weighted_total(categories, scores, missing_as_zero=False)
    final = weighted_total(categories, scores, missing_as_zero=True)
    assert final is not None
    assert current is None or final <= current


@given(course=courses(), missing_as_zero=missing_as_zero)
def test_total_is_the_exact_value_rounded_once(course, missing_as_zero):
    categories, scores = course
    total = weighted_total(categories, scores, missing_as_zero=missing_as_zero)
    exact = exact_total(categories, scores, missing_as_zero)
    if exact is None:
        assert total is None
    else:
        assert isinstance(total, D)
        assert total == D(exact.numerator) / D(exact.denominator)               # 28 significant digits
        assert abs(Fraction(total) - exact) <= exact * Fraction(1, 10**27)
