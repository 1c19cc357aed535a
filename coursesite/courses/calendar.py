"""The course's dates as an iCalendar feed (RFC 5545) that calendar apps subscribe to."""
from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from coursesite.courses.models import Course


def course_calendar(course: Course, site_url: str, *, now: datetime, for_staff: bool = False) -> bytes:
    """The feed; work not yet released at `now` is left out unless `for_staff`. Exams stay: their
    dates are part of the published schedule, and an exam has nothing to hand out before it starts."""
    cal = Calendar()
    cal.add("prodid", "-//coursesite//course calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{course.number} {course.title} ({course.term})")
    cal.add("x-wr-timezone", course.time_zone)
    host = site_url.split("//", 1)[-1].strip("/") or "coursesite"
    for assignment in course.assignments.all():
        if not (for_staff or assignment.kind == assignment.Kind.EXAM or assignment.is_released(now)):
            continue
        url = f"{site_url.rstrip('/')}/courses/{course.slug}/assignments/{assignment.key}/"
        if assignment.kind == assignment.Kind.EXAM:
            cal.add_component(event(f"{assignment.title}", assignment.release_at, assignment.due_at,
                                    f"{course.slug}-{assignment.key}-exam@{host}", url))
            continue
        cal.add_component(event(f"{assignment.title} released", assignment.release_at, None,
                                f"{course.slug}-{assignment.key}-release@{host}", url))
        cal.add_component(event(f"{assignment.title} due", assignment.due_at, None,
                                f"{course.slug}-{assignment.key}-due@{host}", url))
    return cal.to_ical()


def event(summary: str, start, end, uid: str, url: str) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("summary", summary)
    ev.add("dtstart", start)
    ev.add("dtend", end or start + timedelta(minutes=30))
    ev.add("dtstamp", start)  # stable across fetches, so the feed is byte-identical while nothing changes
    ev.add("url", url)
    return ev
