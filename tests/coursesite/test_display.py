"""Times as people read them (coursesite.display): the course's wall clock, 12-hour, the zone named, and
the year only outside the course's term year. Pure: no database."""
from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from coursesite.display import (
    course_date,
    course_time,
    course_time_to_the_second,
    in_course_date,
    in_course_time,
)

NEW_YORK = ZoneInfo("America/New_York")
SPRING_2021 = SimpleNamespace(tz=NEW_YORK, starts_on=date(2021, 2, 1))


def test_a_march_day_before_the_clocks_change_is_in_eastern_standard_time():
    assert course_time(datetime(2021, 3, 12, 12, 0, tzinfo=NEW_YORK), NEW_YORK) == "Fri Mar 12, 12:00 PM EST"


def test_a_march_day_after_the_clocks_change_is_in_eastern_daylight_time():
    assert course_time(datetime(2021, 3, 15, 12, 0, tzinfo=NEW_YORK), NEW_YORK) == "Mon Mar 15, 12:00 PM EDT"


def test_midnight_is_twelve_am():
    assert course_time(datetime(2021, 3, 15, 0, 0, tzinfo=NEW_YORK), NEW_YORK) == "Mon Mar 15, 12:00 AM EDT"


def test_the_hour_is_not_padded_and_the_minutes_are():
    assert course_time(datetime(2021, 3, 5, 9, 5, tzinfo=NEW_YORK), NEW_YORK) == "Fri Mar 5, 9:05 AM EST"


def test_a_utc_moment_is_shown_on_the_course_clock_on_its_own_day():
    # 03:59 UTC on the 16th is still the evening of the 15th in New York
    assert course_time(datetime(2021, 3, 16, 3, 59, tzinfo=UTC), NEW_YORK) == "Mon Mar 15, 11:59 PM EDT"


def test_the_year_is_written_only_outside_the_year_of_the_term():
    january = datetime(2022, 1, 10, 9, 0, tzinfo=NEW_YORK)
    assert course_time(january, NEW_YORK, term_year=2022) == "Mon Jan 10, 9:00 AM EST"
    assert course_time(january, NEW_YORK, term_year=2021) == "Mon Jan 10 2022, 9:00 AM EST"


def test_the_year_of_the_term_is_the_year_the_course_starts_in():
    assert in_course_time(datetime(2021, 3, 15, 12, 0, tzinfo=NEW_YORK), SPRING_2021) == "Mon Mar 15, 12:00 PM EDT"
    assert in_course_time(datetime(2020, 12, 1, 12, 0, tzinfo=NEW_YORK), SPRING_2021) == "Tue Dec 1 2020, 12:00 PM EST"


def test_a_submission_time_stamp_keeps_its_seconds():
    received = datetime(2021, 3, 16, 3, 59, 58, tzinfo=UTC)
    assert course_time_to_the_second(received, NEW_YORK) == "Mon Mar 15, 11:59:58 PM EDT"


def test_a_date_is_the_day_on_the_course_clock():
    assert course_date(datetime(2021, 3, 16, 2, 0, tzinfo=UTC), NEW_YORK) == "Mon Mar 15"


def test_a_calendar_date_is_shown_as_it_is():
    assert in_course_date(date(2021, 5, 14), SPRING_2021) == "Fri May 14"


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="has no time zone"):
        course_time(datetime(2021, 3, 15, 12, 0), NEW_YORK)


def test_the_page_filter_shows_the_course_time_whatever_zone_the_reader_is_in():
    page = Template("{% load coursetime %}{{ t|coursetime:course }} / {{ t|coursedate:course }} / "
                    "{{ t|coursesecond:course }} / [{{ nothing|coursetime:course }}]")
    moment = datetime(2021, 3, 15, 16, 0, 7, tzinfo=UTC)
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        shown = page.render(Context({"t": moment, "course": SPRING_2021, "nothing": None}))
    assert shown == "Mon Mar 15, 12:00 PM EDT / Mon Mar 15 / Mon Mar 15, 12:00:07 PM EDT / []"
