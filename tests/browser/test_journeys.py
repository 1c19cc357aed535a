"""The three journeys of the course, each in a real browser (Playwright driving Debian's Chromium).

- A student hands in code, watches a real grading worker's feedback arrive without reloading,
  and, once the instructor released the grades, asks for a regrade of a failed test.
- A TA grades PDF write-ups with the rubric the instructor wrote, question by question beside the
  PDF; after the release the student asks about a question, and the TA takes and answers it.
- The instructor changes the category weights in the admin, grants a student's medical extension,
  and downloads the grade sheet with the new weights.

Everything is done through the pages, as the people would; what the pages showed is then checked
against what was stored.
"""
from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from pypdf import PdfReader

from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.courses.models import GradingCategory
from coursesite.grades.models import Extension, ExtensionRequest, Score
from coursesite.regrades.models import RegradeRequest
from grader.specs.hw1 import SPEC as HW1_SPEC
from tests.browser.support import (
    GRADING_TIMEOUT_MS,
    SLUG,
    TIMEOUT_MS,
    dashboard,
    demo_course_load,
    open_assignment,
    pdf_viewer_title,
    person_page,
    release_grades,
    shown,
)
from tests.browser.test_student_upload import browser, chromium_executable, demo_course  # noqa: F401 (fixtures)
from tests.coursesite.autograding.conftest import HANDOUT_README, bubblewrap, worker_factory  # noqa: F401 (fixtures)
from tests.grader.solutions.buggy import BUGS, CORRECT
from tests.pdfs import minimal_pdf

pytestmark = pytest.mark.browser

HW1 = "Coding assignment 1: multilayer perceptron"
PS2 = "Problem set 2"
FAILED_TEST = "relu_grad: value at 0 is 0"      # the one test the buggy hw1.py below fails (2 points)
PASSED_TEST = "relu_grad: random inputs of shape (3, 4)"


def buggy_hw1() -> bytes:
    """The correct solution with relu_grad 1 at 0: it fails exactly FAILED_TEST."""
    code = next(appended for name, _, appended in BUGS if name == "relu_grad is 1 at 0")
    return CORRECT.read_bytes() + code.encode()


@pytest.fixture
def demo_course_hw1_open(transactional_db):
    """The demo course with the term starting in the week of today - 14 days (a Monday in [today - 20,
    today - 14]): hw1-coding, released 9 days 12 h and due 23 days 23:59 after the start, was
    released 4.5 to 10.5 days ago and is due in 3 to 9 days. (With loaddemo's shift of 20 days it
    would be past due from Thursday to Sunday.)"""
    return demo_course_load(14, "hw1-coding")


def test_student_hands_in_code_sees_the_autograder_feedback_and_asks_for_a_regrade(
        chromium_executable, demo_course_hw1_open, worker_factory, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    hw1_py, readme = tmp_path / "hw1.py", tmp_path / "README.md"
    hw1_py.write_bytes(buggy_hw1())
    readme.write_bytes(HANDOUT_README)
    visible = [case for case in HW1_SPEC.cases if case.visibility == "visible"]
    visible_points = sum(case.points for case in visible)
    hidden = len(HW1_SPEC.cases) - len(visible)

    # The student hands in her code on the assignment's page.
    alice = person_page(browser, base, "alice")
    open_assignment(alice, base, HW1)
    expect(alice.locator("#closed")).to_have_count(0)
    expect(alice.locator("#late-notice")).to_have_count(0)
    alice.get_by_label("Files").set_input_files([hw1_py, readme])
    alice.get_by_role("button", name="Submit", exact=True).click()
    expect(alice).to_have_url(re.compile(rf"{re.escape(base)}/submissions/\d+/$"))
    expect(alice.locator(".messages")).to_contain_text(f"Your submission to {HW1} was received at")
    expect(alice.locator("#grading")).to_contain_text("Waiting for a grader… (this page updates by itself)")

    # A grader comes up; the page shows the grade when it is in, without being reloaded.
    alice.evaluate("window.stillTheSamePage = true")
    worker_factory()
    grading = alice.locator("#grading")
    expect(grading).to_contain_text(f"Autograder score: {visible_points - 2:g} / {visible_points:g}",
                                    timeout=GRADING_TIMEOUT_MS)
    expect(grading).to_contain_text(f"{hidden} more tests will be shown after the due date")
    tests = alice.locator("#tests tbody tr")
    expect(tests).to_have_count(len(visible))
    expect(tests.filter(has_text=FAILED_TEST)).to_contain_text("0 / 2")
    expect(tests.filter(has_text=PASSED_TEST)).to_contain_text("2 / 2")
    assert alice.evaluate("window.stillTheSamePage") is True, "the submission page was reloaded"
    expect(alice.locator("#regrades")).to_have_count(0)     # nothing to ask about before the release

    # The instructor releases the grades.
    risteski = person_page(browser, base, "risteski")
    release_grades(risteski, base, HW1)

    # The student sees her score and asks for a regrade of the failed test. Before the due date the
    # dashboard shows what the submission page shows, the visible tests' points scaled to the assignment's
    # 100, never the hidden tests' (the stored score is 98 of 100 in all, 2 lost).
    dashboard(alice, base)
    before_due = (Decimal(str(visible_points - 2)) / Decimal(str(visible_points)) * 100).quantize(Decimal("0.01"))
    expect(alice.locator("#item-hw1-coding td.score")).to_contain_text(
        re.compile(rf"{re.escape(f'{before_due.normalize():f}')}\s*/\s*100"))
    alice.locator("#item-hw1-coding td").nth(2).get_by_role("link").click()     # "Your submission"
    alice.locator("#regrades").get_by_role("link", name="Ask for a regrade").click()
    expect(alice.get_by_role("heading", name=f"Ask for a regrade of {HW1}")).to_be_visible()
    alice.get_by_label(f"Test “{FAILED_TEST}”").check()
    alice.get_by_label("Why the grade is wrong").fill(
        "relu_grad(0) is a subgradient choice; the handout does not say which value to use at 0.")
    alice.get_by_role("button", name="Send the request").click()
    expect(alice.locator(".messages")).to_have_text(
        f"Your regrade request on test “{FAILED_TEST}” of {HW1} was sent to the course staff.")
    expect(alice.locator("#part")).to_have_text(f"Test “{FAILED_TEST}”")
    expect(alice.locator("#status")).to_have_text("Waiting for a member of staff")

    # Her submission page lists it as open.
    alice.get_by_role("heading", level=1).get_by_role("link", name=HW1).click()
    requests = alice.locator("#regrades table.regrade-requests tbody tr")
    expect(requests).to_have_count(1)
    expect(requests.first).to_contain_text(f"Test “{FAILED_TEST}”")
    expect(requests.first).to_contain_text("Waiting for a member of staff")
    alice.context.close()
    risteski.context.close()

    job = GradingJob.objects.select_related("submission__member__user").get()
    assert (job.status, job.attempt, job.submission.member.user.username) == (GradingJob.Status.DONE, 1, "alice")
    assert Score.objects.get(member=job.submission.member, assignment__key="hw1-coding").points == Decimal(98)
    asked = RegradeRequest.objects.get()
    assert (asked.test_name, asked.status, asked.submission_id) == (FAILED_TEST, "open", job.submission_id)
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own


def upload_pdf(page, base_url: str, title: str, pdf: Path) -> None:
    from playwright.sync_api import expect

    open_assignment(page, base_url, title)
    page.get_by_label("PDF write-up").set_input_files(pdf)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"Your submission to {title} was received at")


def add_question(page, number: int, title: str, points: str, items: list[tuple[str, str]]) -> None:
    """On the rubric page: a question, then its items (points, description), one form at a time."""
    from playwright.sync_api import expect

    new = page.locator("#new-question")
    expect(new.get_by_label("Question")).to_have_value(str(number))
    new.get_by_label("Title").fill(title)
    new.get_by_label("Points").fill(points)
    new.get_by_role("button", name="Add question").click()
    expect(page.locator(".messages")).to_have_text(f"Saved Question {number}. {title}.")
    section = page.locator("section.card").filter(has=page.locator(f'input[value="{title}"]'))
    for item_points, description in items:
        form = section.locator("form").filter(has=page.get_by_role("button", name="Add item"))
        form.get_by_label("Points").fill(item_points)
        form.get_by_label("Item").fill(description)
        form.get_by_role("button", name="Add item").click()
        signed = item_points if item_points.startswith("-") else f"+{item_points}"
        expect(page.locator(".messages")).to_have_text(f"Saved the rubric item “{signed} {description}”.")


def grade_answer(page, base_url: str, student: str, ticks: list[str]) -> None:
    """On a grading page: check it shows `student`'s write-up, tick the items and go on to the next."""
    from playwright.sync_api import expect

    expect(page.locator("main p.muted").first).to_contain_text(student)
    frame = page.locator("iframe#write-up")
    expect(frame).to_be_visible()
    pdf = page.context.request.get(base_url + frame.get_attribute("src"))     # what the frame shows, as the TA
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf"), pdf.headers
    assert pdf.body().startswith(b"%PDF-")
    username = student.rsplit("(", 1)[1].rstrip(")")
    assert pdf_viewer_title(page, "iframe#write-up") == f"{username}-ps2.pdf"     # shown, under the CSP
    for tick in ticks:
        page.get_by_label(tick, exact=True).check()
    page.get_by_role("button", name="Save and grade the next").click()


def test_ta_grades_write_ups_with_the_rubric_and_answers_a_regrade_request(
        chromium_executable, demo_course, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    q1, q2 = "Backpropagation through a ReLU network", "Universal approximation with one hidden layer"

    # Two students hand in their write-ups.
    pdfs = {}
    for username in ("alice", "bob"):
        pdfs[username] = tmp_path / f"{username}-ps2.pdf"
        pdfs[username].write_bytes(minimal_pdf(f"{username}'s problem set 2"))
    alice = person_page(browser, base, "alice")
    upload_pdf(alice, base, PS2, pdfs["alice"])
    bob = person_page(browser, base, "bob")
    upload_pdf(bob, base, PS2, pdfs["bob"])
    bob.context.close()

    # The instructor writes the rubric.
    risteski = person_page(browser, base, "risteski")
    open_assignment(risteski, base, PS2)
    risteski.get_by_role("link", name="Edit the rubric").click()
    expect(risteski.get_by_role("heading", name=f"Rubric of {PS2}")).to_be_visible()
    # The demo course ships a rubric; no answer is graded with it yet, so she replaces it with her own.
    for number, shipped in ((1, "Universal approximation"), (2, "Depth separation"),
                            (3, "Convolutions and residual connections")):
        risteski.get_by_role("button", name=f"Delete question {number}").click()
        expect(risteski.locator(".messages")).to_have_text(f"Deleted Question {number}. {shipped}.")
    add_question(risteski, 1, q1, "60", [("60", "Correct and complete"), ("-10", "Bias gradient missing")])
    add_question(risteski, 2, q2, "40", [("40", "Correct proof"), ("20", "Right idea, gaps in the proof")])
    expect(risteski.locator("main > p.muted").first).to_contain_text("100 of 100 points in questions")

    # The TA grades question by question, each answer beside its PDF, moving on to the next ungraded.
    abasu = person_page(browser, base, "abasu")
    open_assignment(abasu, base, PS2)
    abasu.get_by_role("link", name="Grade with the rubric").click()
    progress = abasu.locator("#progress tbody tr")
    expect(progress).to_have_text([re.compile(rf"1\. {q1}\s*60\s*0 of 2\s*2\s*Grade next"),
                                   re.compile(rf"2\. {q2}\s*40\s*0 of 2\s*2\s*Grade next")])
    progress.nth(0).get_by_role("link", name="Grade next").click()
    expect(abasu.get_by_role("heading", level=1)).to_have_text(f"{PS2}: question 1. {q1}")
    grade_answer(abasu, base, "Alice Example (alice)", ["+60 Correct and complete", "-10 Bias gradient missing"])
    expect(abasu.locator(".messages")).to_have_text("Saved question 1 for Alice Example.")
    grade_answer(abasu, base, "Bob Example (bob)", ["+60 Correct and complete"])
    expect(abasu.locator(".messages li")).to_have_text(
        ["Saved question 1 for Bob Example.", "All graded for question 1."])
    expect(progress.nth(0)).to_contain_text("All graded")
    progress.nth(1).get_by_role("link", name="Grade next").click()
    expect(abasu.get_by_role("heading", level=1)).to_have_text(f"{PS2}: question 2. {q2}")
    grade_answer(abasu, base, "Alice Example (alice)", ["+20 Right idea, gaps in the proof"])
    grade_answer(abasu, base, "Bob Example (bob)", ["+40 Correct proof"])
    expect(abasu.locator(".messages li")).to_have_text(
        ["Saved question 2 for Bob Example.", "All graded for question 2."])
    expect(progress).to_have_text([re.compile(r"2 of 2\s*0\s*All graded")] * 2)

    # The instructor releases the grades; the student reads her feedback and asks about question 1.
    release_grades(risteski, base, PS2)
    dashboard(alice, base)
    expect(alice.locator("#item-ps2 td.score")).to_have_text(re.compile(r"70(\.00)?\s*/\s*100"))
    alice.locator("#item-ps2 td").nth(2).get_by_role("link").click()     # "Your submission"
    feedback = alice.locator("#rubric-feedback")
    expect(feedback).to_contain_text(f"Question 1. {q1} — 50 of 60 points")
    expect(feedback).to_contain_text(f"Question 2. {q2} — 20 of 40 points")
    expect(feedback).to_contain_text("Total: 70 of 100 points")
    alice.locator("#regrades").get_by_role("link", name="Ask for a regrade").click()
    alice.get_by_label(f"Question 1. {q1}").check()
    alice.get_by_label("Why the grade is wrong").fill("The bias gradient is on page 2, line 4: db = mean of delta.")
    alice.get_by_role("button", name="Send the request").click()
    expect(alice.locator("#status")).to_have_text("Waiting for a member of staff")

    # The TA takes it from the queue and answers it with a note and one more point.
    dashboard(abasu, base)
    abasu.get_by_role("link", name="Regrade requests").click()
    queue = abasu.locator("#regrade-queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text(f"Alice Example (alice) {PS2} Question 1. {q1} Waiting for a member of staff")
    queue.first.get_by_role("link").click()
    expect(abasu.locator("#justification")).to_have_text("The bias gradient is on page 2, line 4: db = mean of delta.")
    expect(abasu.locator("#current")).to_have_text("Question 1: 50 of 60 points")
    abasu.get_by_role("button", name="Take this request").click()
    expect(abasu.locator(".messages")).to_have_text("You took Alice Example's regrade request; answer it below.")
    abasu.get_by_label("Answer: change the score (or keep it, with 0)").check()
    abasu.get_by_label("Change of score").fill("1")
    abasu.get_by_label("Note to the student").fill("Right: the bias gradient is there, but not averaged. +1.")
    abasu.get_by_role("button", name="Send the answer").click()
    expect(abasu.locator(".messages")).to_have_text("Answered Alice Example's regrade request. Question 1: 50 → 51.")
    expect(queue).to_have_text(["No regrade requests match these filters."])

    # The student sees the answer and her new score.
    alice.reload()
    expect(alice.locator("#status")).to_contain_text("Answered by Amartya Basu")
    expect(alice.locator("#score-change")).to_have_text("Question 1: 50 → 51 of 60 points (+1)")
    expect(alice.locator("#answer")).to_have_text("Right: the bias gradient is there, but not averaged. +1.")
    alice.get_by_role("heading", level=1).get_by_role("link", name=PS2).click()
    expect(feedback).to_contain_text(f"Question 1. {q1} — 51 of 60 points")
    expect(feedback).to_contain_text("Total: 71 of 100 points")
    expect(alice.locator("#regrades table.regrade-requests tbody tr")).to_contain_text(
        [re.compile(r"Answered\s*Question 1: 50 → 51")])
    dashboard(alice, base)
    expect(alice.locator("#item-ps2 td.score")).to_have_text(re.compile(r"71(\.00)?\s*/\s*100"))
    for page in (alice, risteski, abasu):
        page.context.close()

    scores = {s.member.user.username: s.points for s in Score.objects.filter(assignment__key="ps2")
              .select_related("member__user")}
    assert scores == {"alice": Decimal(71), "bob": Decimal(100)}
    assert RegradeRequest.objects.get().status == "answered"
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own


def test_instructor_changes_weights_grants_an_extension_and_downloads_the_grade_sheet(
        chromium_executable, demo_course, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    course = demo_course.course
    reason = "Midterm 1 moved after the spring break; the final covers less."

    # The instructor changes the weights in the admin, with a reason.
    risteski = person_page(browser, base, "risteski")
    dashboard(risteski, base)
    risteski.get_by_role("link", name="Course configuration (admin)").click()
    risteski.get_by_role("link", name="Courses", exact=True).click()
    risteski.get_by_role("link", name="10707", exact=True).click()
    categories = risteski.locator("#categories-group tr.form-row")

    def weight(name: str):
        return categories.filter(has=risteski.locator(f'input[name$="-name"][value="{name}"]')).locator(
            'input[name$="-weight"]')

    expect(weight("Midterm 1")).to_have_value("15.00")
    weight("Midterm 1").fill("20")
    weight("Final exam").fill("20")
    risteski.get_by_label("Reason for this change").fill(reason)
    risteski.get_by_role("button", name="Save", exact=True).click()
    expect(risteski.locator(".messagelist")).to_contain_text("was changed successfully")

    # The syllabus and the gradebook show the new weights.
    risteski.goto(f"{base}/courses/{SLUG}/")
    expect(risteski.locator("h2#grading + .table-wrap tbody tr")).to_have_text([
        re.compile(r"Assignments\s*45%"), re.compile(r"Midterm 1\s*20%"),
        re.compile(r"Midterm 2\s*15%"), re.compile(r"Final exam\s*20%"),
    ])

    # A student asks for an extension for a medical emergency, with a doctor's note.
    note = tmp_path / "doctor.pdf"
    note.write_bytes(minimal_pdf("Bob was ill from Monday to Thursday."))
    bob = person_page(browser, base, "bob")
    open_assignment(bob, base, PS2)
    bob.get_by_role("link", name="Request an extension").click()
    bob.get_by_label("Medical emergency").check()
    bob.get_by_label("Note").fill("I had the flu for four days; the note from the health center is attached.")
    bob.get_by_label("Document (optional)").set_input_files(note)
    bob.get_by_role("button", name="Send the request").click()
    expect(bob.locator(".messages")).to_have_text(f"Your extension request for {PS2} was sent to the course staff.")
    expect(bob.locator("#status")).to_have_text("Waiting for a decision")

    # The instructor grants it with a new due time.
    new_due = timezone.localtime(demo_course.due_at, course.tz).replace(hour=17, minute=0) + timedelta(days=4)
    dashboard(risteski, base)
    risteski.get_by_role("link", name="Extension requests").click()
    row = risteski.locator("#extension-requests tbody tr").filter(has_text="Bob Example")
    expect(row).to_contain_text(f"{PS2} Medical emergency (document) ")
    row.get_by_role("link").click()
    risteski.get_by_label("Grant").check()
    risteski.get_by_label(re.compile(r"^New due time")).fill(f"{new_due:%Y-%m-%dT%H:%M}")
    risteski.get_by_label("Note to the student").fill("Get well soon.")
    risteski.get_by_role("button", name="Record the decision").click()
    expect(risteski.locator(".messages")).to_have_text(
        f"Extension granted: Bob Example now has until {shown(new_due, course)}.")
    expect(row).to_contain_text(f"Granted: until {shown(new_due, course)}")

    # The student's assignment page shows his new due time.
    bob.goto(f"{base}/courses/{SLUG}/assignments/ps2/")
    expect(bob.locator("dl")).to_contain_text(
        f"{shown(new_due, course)} (your extension; the class's due time is {shown(demo_course.due_at, course)})")

    # The instructor downloads the grade sheet from the gradebook: the students, the new weights.
    dashboard(risteski, base)
    risteski.get_by_role("link", name="Gradebook").click()
    expect(risteski.locator("#gradebook thead")).to_contain_text("Midterm 1 (20%)")
    with risteski.expect_download() as download_info:
        risteski.get_by_role("link", name="Grade sheet (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{SLUG}-grade-sheet.pdf"
    pdf = Path(download.path()).read_bytes()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in ("Grade sheet", "Alice Example", "Bob Example", "Carol Example", "Assignments (45%)",
                     "Midterm 1 (20%)", "Midterm 2 (15%)", "Final exam (20%)"):
        assert expected in text, f"{expected!r} is not in the grade sheet: {text[:1500]}"
    for page in (risteski, bob):
        page.context.close()

    weights = dict(GradingCategory.objects.filter(course=course).values_list("name", "weight"))
    assert weights == {"Assignments": 45, "Midterm 1": 20, "Midterm 2": 15, "Final exam": 20}
    assert set(AuditEntry.objects.filter(kind=AuditEntry.Kind.WEIGHT, why=reason)
               .values_list("old_value", "new_value")) == {("15", "20"), ("25", "20")}
    granted = ExtensionRequest.objects.get()
    assert (granted.status, granted.reason, Extension.objects.get().due_at) == ("granted", "medical", new_due)
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
