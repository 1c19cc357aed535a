"""How numbers are written for people: the one owner (pure: no Django, no ORM).

Stored and computed values stay unrounded Decimals; pages, e-mails, CSV files, the history and
the messages of services write them with these functions. Percentages with their rounding are
`grades.weighting.display_percent`.
"""
from __future__ import annotations

from decimal import Decimal


def plain_number(value: Decimal | int | float | str) -> str:
    """A number as a person (and a spreadsheet) writes it: ``100.00`` -> ``100``, ``92.50`` -> ``92.5``.

    No exponent, unlike Decimal.normalize (``1E+2`` -> ``100``). Decimals, ints and the floats of
    an autograder's JSON result alike; a float as it prints (``0.1`` -> ``0.1``).
    """
    return f"{Decimal(str(value)).normalize():f}"


def signed_number(value: Decimal | int) -> str:
    """A change of points with its sign: ``+7.5``, ``-2``, ``0``."""
    text = plain_number(value)
    return "+" + text if value > 0 else text


def signed_points(value: Decimal | int) -> str:
    """A change of points as a page or a message writes it for people: ``+5``, ``−10`` (a true minus sign)."""
    return signed_number(value).replace("-", "−")


def names_in_words(names: list[str]) -> str:
    """People as a sentence names them: ``Alice Adams``, ``Alice Adams and Bob Brown``, ``A, B and C``."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """"1 submission", "3 submissions": the count with its noun in the right number."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
