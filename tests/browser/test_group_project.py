"""The project in a real browser: two students form a group, one hands in the proposal, the other sees it; a TA
scores the group once and lowers one member's share with a reason; once released, each member reads their own
score on their dashboard."""
from __future__ import annotations

import re

import pytest
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Submission
from coursesite.coursefile.demo import demo_groups_form
from coursesite.grades.models import Score
from coursesite.people.models import Membership
from tests.browser.support import SLUG, TIMEOUT_MS, dashboard, demo_course_load, open_assignment, person_page, release_grades
from tests.browser.test_student_upload import DEMO_PASSWORD, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.factories import MembershipFactory, UserFactory
from tests.pdfs import minimal_pdf

pytestmark = pytest.mark.browser

PROPOSAL = "Project proposal"
KEY = "project-proposal"
REASON = "missed two of the three group meetings"


@pytest.fixture
def proposal_open(transactional_db):
    """The demo course five weeks in (the proposal released a week ago, due in about three weeks), and two students
    of it who have no group yet: the demo's own students are grouped already."""
    proposal = demo_course_load(35, KEY)
    demo_groups_form(proposal.course, now=timezone.now(), source="loaddemo")     # as loaddemo does: alice and bob
    for username, first, last in (("dave", "Dave", "Diaz"), ("erin", "Erin", "Evans")):
        user = UserFactory(username=username, first_name=first, last_name=last, email=f"{username}@andrew.cmu.edu")
        user.set_password(DEMO_PASSWORD)
        user.save()
        MembershipFactory(course=proposal.course, user=user, role=Membership.Role.STUDENT)
    return proposal


def test_two_students_form_a_group_one_hands_in_and_both_get_the_grade(
        chromium_executable, proposal_open, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url

    # Dave invites Erin: a classmate already in a group, and himself, are refused first.
    dave = person_page(browser, base, "dave")
    open_assignment(dave, base, PROPOSAL)
    expect(dave.locator("#handin-for")).to_contain_text(
        f"You are not in a group for {PROPOSAL} (groups of 2): uploading now hands in alone, for you only.")
    dave.locator("#group-link").get_by_role("link", name="Your group").click()
    expect(dave.get_by_role("heading", name=f"Your group for {PROPOSAL}")).to_be_visible()
    for classmate, refusal in (("alice", f"Alice Example is already in a group for {PROPOSAL}."),
                               ("dave", "You cannot invite yourself: invite a classmate.")):
        dave.get_by_label("Classmate").fill(classmate)
        dave.get_by_role("button", name="Invite").click()
        expect(dave.locator(".messages")).to_have_text(refusal)
    dave.get_by_label("Classmate").fill("erin@andrew.cmu.edu")
    dave.get_by_role("button", name="Invite").click()
    expect(dave.locator(".messages")).to_have_text(
        f"Erin Evans is invited: they accept or decline on their group page of {PROPOSAL}.")

    # Erin, told on her dashboard, accepts; the assignment page says whom her upload hands in for before she uploads.
    erin = person_page(browser, base, "erin")
    dashboard(erin, base)
    notice = erin.locator("#group-invitations")
    expect(notice).to_contain_text(f"Dave Diaz invites you into their group for {PROPOSAL}")
    notice.get_by_role("link", name="answer on your group page").click()
    invitation = erin.locator("#invitations-received li")
    expect(invitation).to_contain_text("Dave Diaz (dave) invites you into their group (now: Dave Diaz)")
    invitation.get_by_role("button", name="Accept").click()
    expect(erin.locator(".messages")).to_have_text("You joined the group.")
    expect(erin.locator("#group-members")).to_contain_text("Dave Diaz")
    open_assignment(erin, base, PROPOSAL)
    expect(erin.locator("#handin-for")).to_contain_text("You hand in for your group: Dave Diaz and Erin Evans.")
    pdf = tmp_path / "proposal.pdf"
    pdf.write_bytes(minimal_pdf("Our project proposal"))
    erin.get_by_label("PDF write-up").set_input_files(pdf)
    erin.get_by_role("button", name="Submit", exact=True).click()
    expect(erin.locator(".messages")).to_contain_text(f"Your submission to {PROPOSAL} was received")

    # Dave sees it as his group's, with who uploaded it, and opens it.
    open_assignment(dave, base, PROPOSAL)
    row = dave.locator("tr[id^=submission-]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("(uploaded by Erin Evans for the group)")
    row.get_by_role("link").first.click()
    expect(dave.locator("main")).to_contain_text("Dave Diaz and Erin Evans")
    expect(dave.locator("main")).to_contain_text("proposal.pdf")

    # A TA scores the group once, then lowers Erin's share with a reason she will see.
    abasu = person_page(browser, base, "abasu")
    abasu.goto(f"{base}/courses/{SLUG}/assignments/{KEY}/scores/")
    score_the_group(abasu, members="Dave Diaz and Erin Evans", points="18")
    abasu.get_by_label("Adjustment of Erin Evans's score, in points").fill("-2")
    abasu.get_by_label("Why Erin Evans's score differs").fill(REASON)
    erin_id = Membership.objects.get(course=proposal_open.course, user__username="erin").id
    abasu.locator(f"button[form=adjust-{erin_id}]").click()
    expect(abasu.locator(".messages")).to_have_text(
        f"Erin Evans: 18 → 16 (adjustment −2: {REASON}); the group's score stays 18.")

    # Released, each member reads their own score; Erin reads why hers differs.
    release_grades(person_page(browser, base, "risteski"), base, PROPOSAL)
    for page, shown in ((dave, r"18\s*/\s*20"), (erin, r"16\s*/\s*20")):
        dashboard(page, base)
        cell = page.locator(f"#item-{KEY} td.score")
        expect(cell).to_contain_text(re.compile(shown))
    expect(erin.locator(f"#item-{KEY} td.score")).to_contain_text(f"18 for the group, −2 for you: {REASON}")
    expect(dave.locator(f"#item-{KEY} td.score")).not_to_contain_text("for the group")
    for page in (dave, erin, abasu):
        page.context.close()

    submission = Submission.objects.get(assignment=proposal_open)
    assert submission.member.user.username == "erin" and submission.group is not None
    scores = {s.member.user.username: s.points for s in Score.objects.filter(assignment=proposal_open)
              .select_related("member__user")}
    assert scores == {"dave": 18, "erin": 16}
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own


def score_the_group(page, *, members: str, points: str) -> None:
    """On the scores page of group work: the group's one box, saved."""
    from playwright.sync_api import expect

    page.get_by_label(f"Group score for {members}").fill(points)
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator(".messages")).to_contain_text("Saved the scores of 1 group (2 students)")
