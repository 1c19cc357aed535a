"""Rubric grading from the keyboard, with the PDF opened where the answer is, in a real browser: a student
says on her submission page which page of her PDF answers question 1, the instructor says where question 2
usually is, and the TA grades with the keys 1, 2 and "s", each answer's PDF opening at its page.

Screenshots go to $RUBRIC_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from coursesite.people.models import Membership
from coursesite.rubrics.models import Question, QuestionGrade
from tests.browser.support import PDF_VIEWER, SLUG, TIMEOUT_MS, open_assignment, pdf_viewer_title, person_page
from tests.browser.test_student_upload import browser, chromium_executable, demo_course  # noqa: F401 (fixtures)
from tests.coursesite.rubrics.conftest import hand_in_pages
from tests.pdfs import pdf_of_pages

pytestmark = pytest.mark.browser

PS2 = "Problem set 2"
Q1 = "Universal approximation"      # the demo course's rubric of Problem set 2
Q2 = "Depth separation"


def viewer_page_box(page):
    """The page number box of Chromium's PDF viewer in the write-up's frame: its value is the page shown."""
    pdf_viewer_title(page, "iframe#write-up")           # waits until the viewer has read the PDF
    frame = page.locator("iframe#write-up").element_handle().content_frame()
    viewer = next(child for child in frame.child_frames if child.url.startswith(PDF_VIEWER))
    return viewer.locator("viewer-page-selector input")


def test_a_ta_grades_with_the_keys_and_each_pdf_opens_at_its_page(
        chromium_executable, demo_course, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    shots = Path(os.environ.get("RUBRIC_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    q1, q2 = (Question.objects.get(assignment=demo_course, title=title) for title in (Q1, Q2))

    # Alice hands in four pages and says that page 3 answers question 1.
    pdf = tmp_path / "alice-ps2.pdf"
    pdf.write_bytes(pdf_of_pages(4, "Alice"))
    alice = person_page(browser, base, "alice")
    open_assignment(alice, base, PS2)
    alice.get_by_label("PDF write-up").set_input_files(pdf)
    alice.get_by_role("button", name="Submit", exact=True).click()
    expect(alice.locator("#question-pages")).to_contain_text("Your PDF has 4 pages.")
    alice.get_by_label("Which pages answer question 1?").fill("5")
    alice.get_by_role("button", name="Save the pages").click()
    expect(alice.locator("#pages-errors")).to_have_text("Which pages answer question 1? Page 5 is past the end: "
                                                        "the PDF has 4 pages.")
    alice.get_by_label("Which pages answer question 1?").fill("3")
    alice.get_by_role("button", name="Save the pages").click()
    expect(alice.locator(".messages")).to_have_text("Saved which pages answer each question.")
    expect(alice.get_by_label("Which pages answer question 1?")).to_have_value("3")
    alice.screenshot(path=str(shots / "rubric-student-pages.png"), full_page=True)
    alice.context.close()
    bob = Membership.objects.get(course=demo_course.course, user__username="bob")
    hand_in_pages(bob, demo_course, 2)

    # The instructor says that question 2 is usually on pages 2 and 4.
    risteski = person_page(browser, base, "risteski")
    risteski.goto(f"{base}/courses/{SLUG}/assignments/ps2/rubric/")
    section = risteski.locator(f"#question-{q2.id}")
    section.get_by_label("Pages").fill("2, 4")
    section.get_by_role("button", name="Save question").click()
    expect(risteski.locator(".messages")).to_have_text(f"Saved Question 2. {Q2}.")
    expect(risteski.locator(f"#question-{q2.id}").get_by_label("Pages")).to_have_value("2, 4")
    risteski.screenshot(path=str(shots / "rubric-edit.png"), full_page=True)
    risteski.context.close()

    # The TA grades question 1: Alice's PDF opens at her page 3; keys 1 and 2 tick the first two items.
    abasu = person_page(browser, base, "abasu")
    open_assignment(abasu, base, PS2)
    abasu.get_by_role("link", name="Grade with the rubric").click()
    abasu.locator("#progress tbody tr").nth(0).get_by_role("link", name="Grade next").click()
    expect(abasu.locator("main p.muted").first).to_contain_text("Alice Example (alice)")
    frame = abasu.locator("iframe#write-up")
    assert frame.get_attribute("src").endswith("?inline=1#page=3")
    expect(abasu.locator("#question-place")).to_contain_text("Question 1 is on page 3 (the student's choice)")
    expect(abasu.locator("#grading-keys")).to_have_text(re.compile(r"Keys: 1-3 rubric items · s or Ctrl\+Enter "
                                                                   r"save and next"))
    assert pdf_viewer_title(abasu, "iframe#write-up") == "alice-ps2.pdf"
    expect(viewer_page_box(abasu)).to_have_value("3")
    abasu.keyboard.press("1")
    abasu.keyboard.press("2")
    expect(abasu.get_by_label("+30 Correct and justified", exact=True)).to_be_checked()
    expect(abasu.get_by_label("+15 Right approach, a mistake in the derivation", exact=True)).to_be_checked()
    expect(abasu.get_by_label("-7 Answer without the reasoning asked for", exact=True)).not_to_be_checked()
    abasu.screenshot(path=str(shots / "rubric-grade.png"), full_page=True)
    abasu.keyboard.press("s")

    # Bob's answer is next; he chose no pages and question 1 has none on the rubric: page 1.
    expect(abasu.locator(".messages")).to_have_text("Saved question 1 for Alice Example.")
    expect(abasu.locator("main p.muted").first).to_contain_text("Bob Example (bob)")
    assert frame.get_attribute("src").endswith("?inline=1#page=1")
    # Keys typed into the comment are the comment's; Ctrl+Enter saves from there.
    abasu.get_by_label("Comment for the student").click()
    abasu.keyboard.type("1 s")
    expect(abasu.get_by_label("Comment for the student")).to_have_value("1 s")
    expect(abasu.get_by_label("+30 Correct and justified", exact=True)).not_to_be_checked()
    abasu.keyboard.press("Control+Enter")
    expect(abasu.locator(".messages li")).to_have_text(["Saved question 1 for Bob Example.",
                                                       "All graded for question 1."])

    # Question 2 of Alice's: the rubric's pages 2 and 4, opened at 2, with a link to jump to 4.
    abasu.locator("#progress tbody tr").nth(1).get_by_role("link", name="Grade next").click()
    expect(abasu.locator("#question-place")).to_contain_text("Question 2 is on pages 2, 4 (the rubric's)")
    assert frame.get_attribute("src").endswith("?inline=1#page=2")
    expect(viewer_page_box(abasu)).to_have_value("2")
    abasu.screenshot(path=str(shots / "rubric-grade-q2.png"), full_page=True)
    abasu.locator("#question-place").get_by_role("link", name="4", exact=True).click()
    frame.element_handle().content_frame().wait_for_url(re.compile(r"&page=4#page=4$"))
    expect(viewer_page_box(abasu)).to_have_value("4")
    abasu.screenshot(path=str(shots / "rubric-grade-q2-page-4.png"), full_page=True)
    abasu.context.close()

    graded = QuestionGrade.objects.select_related("submission__member__user").filter(question=q1)
    ticked = {g.submission.member.user.username: sorted(i.description for i in g.items.all()) for g in graded}
    assert ticked == {"alice": ["Correct and justified", "Right approach, a mistake in the derivation"],
                      "bob": []}
    assert graded.get(submission__member__user__username="bob").comment == "1 s"
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
