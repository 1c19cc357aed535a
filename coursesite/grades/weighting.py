"""Grade weighting, as the syllabus states it.

The course has categories whose weights sum to exactly 100 (demo: assignments 45, midterm 1 15,
midterm 2 15, final exam 25). Within a category the percentage is points earned over points
possible. The total is the weight-averaged category percentage:

- current grade (`missing_as_zero=False`): only released scores count, and only categories with
  at least one counted score take part;
- final grade (`missing_as_zero=True`): a missing score counts as 0 of its points, and a category
  with no scores at all counts as 0%.

Grades are Decimals in and out, never floats. Sums and ratios are computed exactly (as fractions)
and turned into a Decimal once, at the end; rounding to 2 places happens only in
`display_percent`. Pure: no Django.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from coursesite.display import plain_number

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
RESULT_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)   # Decimal's default, fixed for every caller


@dataclass(frozen=True)
class Category:
    name: str
    weight: Decimal                 # the course's weights sum to exactly 100


@dataclass(frozen=True)
class Score:
    category: str
    earned: Decimal | None          # None: not graded or not released
    possible: Decimal


def check_weights(categories: Sequence[Category]) -> None:
    """Names are unique; weights are non-negative Decimals that sum to exactly 100."""
    names = [c.name for c in categories]
    if len(set(names)) != len(names):
        raise ValueError(f"Category names must be unique: {', '.join(map(str, names))}.")
    for c in categories:
        if _exact(c.weight, f"The weight of {c.name}") < 0:
            raise ValueError(f"The weight of {c.name} cannot be negative; got {c.weight}.")
    total = weights_off_total(c.weight for c in categories)
    if total is not None:
        raise ValueError(f"Category weights must sum to exactly 100, not {total}.")


def weights_off_total(weights: Iterable[Decimal]) -> Decimal | None:
    """The sum of the weights when it is not exactly 100, None when it is: the one "weights sum to 100" rule.

    check_weights, the course file's reader and the admin's category form all ask this, each
    saying the problem in its own words.
    """
    total = sum((Decimal(w) for w in weights), Decimal(0))
    return None if total == HUNDRED else total


def category_percentages(
    categories: Sequence[Category], scores: Iterable[Score], *, missing_as_zero: bool
) -> dict[str, Decimal | None]:
    """Each category's points earned over points possible, times 100; None where nothing counts."""
    return {name: _to_decimal(p) for name, p in _percentages(categories, scores, missing_as_zero).items()}


def weighted_total(
    categories: Sequence[Category], scores: Iterable[Score], *, missing_as_zero: bool
) -> Decimal | None:
    """The total percentage (0 to 100, more with extra credit), unrounded; None when nothing counts.

    A category that counts but has weight 0 adds nothing; if only such categories count, the
    total is None as well.
    """
    percents = _percentages(categories, scores, missing_as_zero)
    counted = [(Fraction(c.weight), percents[c.name]) for c in categories if percents[c.name] is not None]
    weight = sum(w for w, _ in counted)
    if not weight:
        return None
    return _to_decimal(sum(w * p for w, p in counted) / weight)


def display_percent(value: Decimal | None) -> str:
    """Round half up to 2 places, for display only; a dash when nothing counts yet."""
    return "—" if value is None else f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}%"


def explain_total(
    categories: Sequence[Category], scores: Iterable[Score], *, missing_as_zero: bool
) -> list[str]:
    """The arithmetic behind `weighted_total`, one line per category and one for the total."""
    scores = list(scores)
    percents = category_percentages(categories, scores, missing_as_zero=missing_as_zero)
    lines, weight = [], Decimal(0)
    for c in categories:
        mine = [s for s in scores if s.category == c.name and (missing_as_zero or s.earned is not None)]
        percent = percents[c.name]
        if percent is None:
            lines.append(f"{c.name}: nothing graded yet, not counted")
            continue
        earned = sum((s.earned or Decimal(0) for s in mine), Decimal(0))
        possible = sum((s.possible for s in mine), Decimal(0))
        points = f"{plain_number(earned)}/{plain_number(possible)} points" if mine else "no scores"
        share = percent * c.weight / HUNDRED
        lines.append(f"{c.name}: {points} = {display_percent(percent)} × {plain_number(c.weight)} = {_two(share)}")
        weight += c.weight
    total = weighted_total(categories, scores, missing_as_zero=missing_as_zero)
    if total is None:
        lines.append("Total: —, nothing counts yet")
    else:
        lines.append(f"Total: {_two(total * weight / HUNDRED)} of {plain_number(weight)} = {display_percent(total)}")
    return lines


def _percentages(
    categories: Sequence[Category], scores: Iterable[Score], missing_as_zero: bool
) -> dict[str, Fraction | None]:
    """Exact category percentages; checks the weights and every score on the way."""
    check_weights(categories)
    earned = {c.name: Fraction(0) for c in categories}
    possible = {c.name: Fraction(0) for c in categories}
    for s in scores:
        if s.category not in earned:
            raise ValueError(f"A score is in category {s.category!r}, which this course does not have.")
        out_of = _exact(s.possible, f"Points possible in {s.category}")
        if out_of <= 0:
            raise ValueError(f"Points possible in {s.category} must be more than 0; got {s.possible}.")
        if s.earned is None and not missing_as_zero:
            continue                                    # not graded or not released yet
        points = Fraction(0) if s.earned is None else _exact(s.earned, f"Points earned in {s.category}")
        if points < 0:
            raise ValueError(f"Points earned in {s.category} cannot be negative; got {s.earned}.")
        earned[s.category] += points
        possible[s.category] += out_of
    return {
        name: 100 * earned[name] / possible[name] if possible[name] else (Fraction(0) if missing_as_zero else None)
        for name in earned
    }


def _exact(value: Decimal, what: str) -> Fraction:
    """The exact value of a Decimal (or int); floats and non-numbers are refused."""
    if isinstance(value, float):
        raise ValueError(f"{what} is the float {value!r}; use Decimal({str(value)!r}) so grades stay exact.")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ValueError(f"{what} must be a Decimal, not {value!r}.")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}.")
    return Fraction(value)


def _to_decimal(value: Fraction | None) -> Decimal | None:
    """The one rounding: an exact fraction to a Decimal at 28 significant digits."""
    if value is None:
        return None
    return RESULT_CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _two(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"
