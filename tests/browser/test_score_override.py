"""A TA overrides a rubric score in a real browser: the page asks why, says who overrode it, when and why,
the rubric no longer moves it, the student sees the reason beside her score, and clearing the override
hands the score back to the rubric."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.coursefile.management.commands.loaddemo import DEMO_FILE
from coursesite.display import plain_number
from coursesite.grades.models import Score
from coursesite.grades.services.release import grades_release
from coursesite.people.models import Membership
from coursesite.rubrics.models import Question, RubricItem
from coursesite.rubrics.services import question_grade_save
from tests.browser.support import REPO, SLUG, TIMEOUT_MS, dashboard, person_page
from tests.browser.test_student_upload import DEMO_PASSWORD, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.pdfs import minimal_pdf

pytestmark = pytest.mark.browser

PS1 = "Problem set 1"
REASON = "Question 1's second page was cut off in the scan"


@pytest.fixture
def ps1_graded_by_rubric(transactional_db):
    """The demo course six weeks in: Alice's Problem set 1 graded with full credit on every question, released."""
    call_command("loadcourse", str(REPO / DEMO_FILE), shift_to=timezone.localdate() - timedelta(days=42),
                 demo_password=DEMO_PASSWORD, stdout=io.StringIO())
    ps1 = Assignment.objects.get(course__slug=SLUG, key="ps1")
    alice = Membership.objects.get(course=ps1.course, user__username="alice")
    ta = Membership.objects.get(course=ps1.course, user__username="abasu")
    if not ps1.questions.exists():
        Question.objects.create(assignment=ps1, number=1, title="Perceptron", points=ps1.points)
    submission = Submission.objects.create(assignment=ps1, member=alice, submitted_at=ps1.due_at - timedelta(hours=2),
                                           is_active=True, sha256="0" * 64)
    stored = SubmissionFile(submission=submission, name="writeup.pdf", size=1, sha256="1" * 64)
    stored.file.save("writeup.pdf", ContentFile(minimal_pdf("Problem set 1")), save=True)
    for question in ps1.questions.all():
        full = RubricItem.objects.create(question=question, description="Full credit (test)", points=question.points)
        question_grade_save(submission=submission, question=question, items=[full], adjustment=Decimal(0),
                            comment="", by=ta.user, now=timezone.now())
    grades_release(assignment=ps1, by=ta.user, now=timezone.now())
    return ps1


def test_a_ta_overrides_a_rubric_score_with_a_reason_and_clears_it_again(
        chromium_executable, ps1_graded_by_rubric, live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    rubric_total = sum(q.points for q in ps1_graded_by_rubric.questions.all())
    override = rubric_total - 5
    scores_url = f"{base}/courses/{SLUG}/assignments/ps1/scores/"

    abasu = person_page(browser, base, "abasu")
    abasu.goto(scores_url)
    row = abasu.locator("#scores tr").filter(has_text="Alice Example")
    expect(row).to_contain_text(f"{plain_number(rubric_total)} from the rubric, graded by Amartya Basu")

    # Without a reason the override is refused and nothing is saved.
    abasu.get_by_label("Alice Example").fill(f"{plain_number(override)}")
    abasu.get_by_role("button", name="Save scores").click()
    expect(abasu.locator("#entry-errors")).to_contain_text(
        f"These scores would override the rubric: alice (the rubric gave {plain_number(rubric_total)}, "
        f"you entered {plain_number(override)}). Say why in “Reason”")
    # With one, the row says who overrode it, when and why.
    abasu.get_by_label("Alice Example").fill(f"{plain_number(override)}")
    abasu.locator("#score-entry").get_by_label("Reason").fill(REASON)
    abasu.get_by_role("button", name="Save scores").click()
    expect(abasu.locator(".messages")).to_have_text("Saved 1 score.")
    expect(row).to_contain_text(re.compile(
        rf"{plain_number(override)}\s+Overridden by Amartya Basu on "
        rf"\w{{3}} \w{{3}} \d{{1,2}}( \d{{4}})?, \d{{1,2}}:\d\d [AP]M [A-Z]{{3}} \({re.escape(REASON)}\); "
        r"the rubric no longer changes it"))

    # Alice sees the reason beside her score.
    alice = person_page(browser, base, "alice")
    dashboard(alice, base)
    score = alice.locator("#item-ps1 td.score")
    expect(score).to_contain_text(re.compile(rf"{plain_number(override)}\s*/\s*100"))
    expect(score).to_contain_text(f"Set by the course staff: {REASON}")

    # Clearing the override hands the score back to the rubric.
    row.get_by_role("button", name="Clear override").click()
    expect(abasu.locator(".messages")).to_have_text(f"Alice Example's override is cleared: the rubric gives "
                                                   f"{plain_number(rubric_total)} points.")
    expect(row).to_contain_text(f"{plain_number(rubric_total)} from the rubric")
    for page in (abasu, alice):
        page.context.close()

    score = Score.objects.get(assignment=ps1_graded_by_rubric, member__user__username="alice")
    assert (score.points, score.source) == (rubric_total, "rubric")
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
