"""How numbers and times are written for people: the one owner (pure: no Django, no ORM).

Stored and computed values stay unrounded Decimals; pages, e-mails, CSV files, the history and
the messages of services write them with these functions. Percentages with their rounding are
`grades.weighting.display_percent`.

Times are written one way everywhere, in the course's time zone with the zone named, whoever reads
them and wherever they are: "Mon Mar 15, 12:00 PM EDT". Machines' files (CSV exports, the audit's
stored values) keep ISO 8601 and don't come here.
"""
from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Protocol


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


class HasTimeZone(Protocol):
    """A course as the time functions need it (coursesite.courses.models.Course): its zone and its term's start."""

    @property
    def tz(self) -> tzinfo: ...

    starts_on: date


def course_time(moment: datetime, zone: tzinfo, *, term_year: int | None = None) -> str:
    """``Mon Mar 15, 12:00 PM EDT``: `moment` on the wall clock of `zone`, 12-hour, the zone named.

    The year is written only when `term_year` is given and the moment falls in another year
    (``Mon Jan 10 2022, 9:00 AM EST`` for a fall course's January exam): within its term a course's
    readers know the year, and the rule depends on the course, never on today's date, so a page
    reads the same whenever it is rendered (and tested).
    """
    local = _local(moment, zone)
    return f"{_day(local, term_year)}, {_clock(local)} {_noon_side(local)} {local:%Z}"


def course_time_to_the_second(moment: datetime, zone: tzinfo, *, term_year: int | None = None) -> str:
    """``Mon Mar 15, 11:59:58 PM EDT``: course_time with seconds, for the one time where they matter,
    when a submission was received (two seconds before a due time at 11:59 PM is on time)."""
    local = _local(moment, zone)
    return f"{_day(local, term_year)}, {_clock(local)}:{local:%S} {_noon_side(local)} {local:%Z}"


def course_date(moment: datetime | date, zone: tzinfo, *, term_year: int | None = None) -> str:
    """``Mon Mar 15``: the day of `moment` in `zone` (a date is taken as it is); the year as course_time says."""
    local = moment if not isinstance(moment, datetime) else _local(moment, zone)
    return _day(local, term_year)


def in_course_time(moment: datetime, course: HasTimeZone) -> str:
    """course_time in the course's zone, the year written outside the year its term starts in."""
    return course_time(moment, course.tz, term_year=course.starts_on.year)


def in_course_time_to_the_second(moment: datetime, course: HasTimeZone) -> str:
    return course_time_to_the_second(moment, course.tz, term_year=course.starts_on.year)


def in_course_date(moment: datetime | date, course: HasTimeZone) -> str:
    return course_date(moment, course.tz, term_year=course.starts_on.year)


def _local(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"The time {moment:%Y-%m-%d %H:%M} has no time zone; times must be timezone-aware.")
    return moment.astimezone(zone)


def _day(local: date, term_year: int | None) -> str:
    year = f" {local.year}" if term_year is not None and local.year != term_year else ""
    return f"{local:%a %b} {local.day}{year}"


def _clock(local: datetime) -> str:
    """``12:00`` at noon and at midnight, ``9:05`` in the morning: the hour of a 12-hour clock, unpadded."""
    return f"{local.hour % 12 or 12}:{local:%M}"


def _noon_side(local: datetime) -> str:
    """``AM`` up to 11:59 and ``PM`` from noon, so noon is 12:00 PM and midnight 12:00 AM."""
    return "AM" if local.hour < 12 else "PM"
