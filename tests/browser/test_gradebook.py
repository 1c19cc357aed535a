"""The gradebook in a real browser (Playwright driving Debian's Chromium): a course of 12 items and 40 students
is wider and taller than the window, so the table scrolls inside its box; the student's name, the current
total with its letter and the header row stay in view, on top of the cells scrolling under them. At a phone's
width the name still stays. The "missing work" filter and a cell's link are followed as a TA would.

Screenshots go to $GRADEBOOK_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.grades.models import LetterCutoff, Score
from coursesite.people.models import Membership
from tests.browser.test_student_upload import TIMEOUT_MS, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CategoryFactory,
    CourseFactory,
    MembershipFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

DAY = timedelta(days=1)
STUDENTS = 40
HOMEWORKS = 9
EXAMS = (("midterm-1", "Midterm 1", 15), ("midterm-2", "Midterm 2", 15), ("final-exam", "Final exam", 25))
SURNAMES = ("Montgomery-Washington", "Nakamura", "O'Sullivan", "Abernathy", "Villanueva-Castillo")


@pytest.fixture
def big_course(transactional_db):
    """9 homeworks and 3 exams, all due and graded; 40 students, every 7th with no Homework 9 (missing work)."""
    now = timezone.now()
    course = CourseFactory(slug="gradebook-wide")
    CategoryFactory(course=course, key="assignments", name="Assignments", weight=Decimal(45), order=0)
    for order, (key, name, weight) in enumerate(EXAMS, start=1):
        CategoryFactory(course=course, key=key, name=name, weight=Decimal(weight), order=order)
    for letter, minimum in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        LetterCutoff.objects.create(course=course, letter=letter, minimum=Decimal(minimum))
    items = [
        AssignmentFactory(course=course, key=f"hw{n}", title=f"Homework {n}", category=course.categories.get(key="assignments"),
                          release_at=now - (40 - 3 * n) * DAY, due_at=now - (30 - 3 * n) * DAY,
                          grades_released_at=now - (28 - 3 * n) * DAY)
        for n in range(1, HOMEWORKS + 1)
    ]
    items += [
        AssignmentFactory(course=course, key=key, title=name, kind=Assignment.Kind.EXAM,
                          category=course.categories.get(key=key), release_at=now - (20 - 5 * i) * DAY,
                          due_at=now - (19 - 5 * i) * DAY, grades_released_at=now - (18 - 5 * i) * DAY)
        for i, (key, name, _) in enumerate(EXAMS)
    ]
    ta = MembershipFactory(course=course, user=UserFactory(username="abasu", first_name="Amartya", last_name="Basu"),
                           role=Membership.Role.TA)
    for s in range(STUDENTS):
        user = UserFactory(username=f"s{s:02d}", first_name=f"Student{s:02d}", last_name=SURNAMES[s % len(SURNAMES)])
        member = MembershipFactory(course=course, user=user, section="AB"[s % 2])
        for i, item in enumerate(items):
            if s % 7 == 0 and item.key == f"hw{HOMEWORKS}":
                continue                                                # handed in nothing: missing work
            if item.accepts_uploads:
                SubmissionFactory(member=member, assignment=item, submitted_at=item.due_at - DAY)
            Score.objects.create(member=member, assignment=item, points=Decimal(55 + (s * 7 + i * 3) % 46),
                                 entered_by=ta.user, entered_at=item.due_at + DAY)
    return course


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def on_top(page, locator) -> bool:
    """The element is what the window shows at its own centre: nothing scrolling under it shows through."""
    b = box(locator)
    return locator.evaluate(
        "(el, [x, y]) => { const top = document.elementFromPoint(x, y); return top === el || el.contains(top); }",
        [b["x"] + b["width"] / 2, b["y"] + b["height"] / 2])


def scroll(wrap, *, left: int | None = None, top: int | None = None) -> None:
    wrap.evaluate("(el, [left, top]) => { if (left !== null) el.scrollLeft = left; if (top !== null) el.scrollTop = top; }",
                  [left, top])


def log_in(context, base: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "abasu")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_names_and_the_current_total_stay_in_view_while_the_gradebook_scrolls(
        chromium_executable, big_course, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    shots = Path(os.environ.get("GRADEBOOK_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = log_in(context, base)
    page.goto(f"{base}/courses/{big_course.slug}/gradebook/")
    expect(page.locator("#gradebook-count")).to_have_text(f"{STUDENTS} students")
    wrap = page.locator("#gradebook-wrap")
    first_row = page.locator("#gradebook tbody tr").first
    name, total, letter = first_row.locator("th"), first_row.locator("td.pin-current"), first_row.locator("td.pin-letter")
    first_item = first_row.locator("td").first
    page.screenshot(path=str(shots / "gradebook-start.png"))
    wrap.evaluate("el => el.scrollIntoView()")

    width = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert width[0] > width[1] + 1000, f"the table must be much wider than its box to test this: {width}"
    for left in (700, width[0]):                                    # the middle, then the far end
        scroll(wrap, left=left)
        edge = box(wrap)
        assert abs(box(name)["x"] - edge["x"]) <= 2                 # the name is at the box's left edge
        assert box(first_item)["x"] < box(name)["x"]                # Homework 1 went under it
        for pinned in (name, total, letter):
            b = box(pinned)
            assert edge["x"] <= b["x"] and b["x"] + b["width"] <= edge["x"] + edge["width"] + 1
            assert on_top(page, pinned), pinned
        page.screenshot(path=str(shots / ("gradebook-scrolled-sideways.png" if left == 700 else "gradebook-scrolled-to-the-end.png")))

    scroll(wrap, left=700, top=600)
    corner, header_total = page.locator("#gradebook thead th.pin-start"), page.locator("#gradebook thead th.pin-current")
    assert abs(box(corner)["y"] - box(wrap)["y"]) <= 2                  # the header row stays at the box's top
    assert on_top(page, corner) and on_top(page, header_total)
    just_right_of_the_names = [box(corner)["x"] + box(corner)["width"] + 20, box(corner)["y"] + box(corner)["height"] / 2]
    assert page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('#gradebook thead')",
                         just_right_of_the_names)                       # an item's header, not a row under it
    page.screenshot(path=str(shots / "gradebook-scrolled-down.png"))

    # Only the students with missing work, then one of their cells: the submission it grades.
    page.get_by_label("Only missing work").check()
    page.get_by_role("button", name="Show").click()
    missing = len(range(0, STUDENTS, 7))
    expect(page.locator("#gradebook-count")).to_have_text(f"{missing} of {STUDENTS} students: missing work")
    expect(page.locator("#gradebook tbody td.missing")).to_have_count(missing)
    page.screenshot(path=str(shots / "gradebook-missing.png"))
    page.locator("#gradebook tbody tr").first.locator("td").first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/submissions/\d+/$"))
    context.close()
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own


def test_at_a_phones_width_the_name_stays_while_the_gradebook_scrolls(
        chromium_executable, big_course, live_server, browser, tmp_path):
    shots = Path(os.environ.get("GRADEBOOK_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    page = log_in(context, base)
    page.goto(f"{base}/courses/{big_course.slug}/gradebook/")
    wrap = page.locator("#gradebook-wrap")
    name = page.locator("#gradebook tbody tr").first.locator("th")
    page.screenshot(path=str(shots / "gradebook-390.png"), full_page=True)

    wrap.evaluate("el => el.scrollIntoView()")                          # the page scrolls down to the table
    scroll(wrap, left=500)

    assert abs(box(name)["x"] - box(wrap)["x"]) <= 2
    assert box(name)["width"] < 390 / 2                                 # room is left for the scores
    assert on_top(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # only the table's box scrolls sideways
    page.screenshot(path=str(shots / "gradebook-390-scrolled.png"))
    context.close()
    connections.close_all()
