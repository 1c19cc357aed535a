"""The similarity pages: who sees them, the pairs of the latest comparison, a pair side by side with its
README declarations and the link that opens a case on it, and the archive of earlier terms."""
import io
import re
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils.html import escape

from coursesite.integrity.services import case_open
from coursesite.similarity.access import SEEN_BY
from coursesite.similarity.models import ArchivedSubmission, SimilarityRun
from coursesite.similarity.services import similarity_run_fail, similarity_run_request
from tests.factories import CourseFactory, MembershipFactory
from tests.world import DAY, NOW

from .conftest import hand_in, run_now, solution

pytestmark = pytest.mark.django_db


def url(name, w, **kwargs):
    return reverse(f"similarity:{name}", kwargs={"slug": w.course.slug, "key": w.coding.key, **kwargs})


def as_admin(client, w, username="risteski"):
    client.force_login(w.member(username).user)
    return client


def compared(w):
    run = run_now(w.coding, w.member("risteski"))
    return run, run.pairs.get()


def zipped(files: dict[str, str], compression=zipfile.ZIP_STORED) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return data.getvalue()


def upload(client, w, term, data, name="spring2020.zip"):
    archive = io.BytesIO(data)
    archive.name = name
    return client.post(url("archive-upload", w), {"term": term, "archive": archive}, follow=True)


# Who sees the pages

def test_a_student_gets_404(client, copied):
    client.force_login(copied.member("alice").user)
    assert client.get(url("assignment", copied)).status_code == 404


def test_a_ta_gets_403_saying_who_sees_it(client, copied):
    client.force_login(copied.member("abasu").user)
    response = client.get(url("assignment", copied))
    assert response.status_code == 403
    assert escape(SEEN_BY) in response.content.decode()


@pytest.mark.parametrize("username", ["risteski", "fjeffrey"])
def test_the_instructor_and_education_associate_see_it(client, copied, username):
    assert as_admin(client, copied, username).get(url("assignment", copied)).status_code == 200


def test_another_courses_instructor_gets_404(client, copied):
    other = MembershipFactory(course=CourseFactory(slug="other"), role="instructor")
    client.force_login(other.user)
    assert client.get(url("assignment", copied)).status_code == 404


def test_a_pair_of_another_assignment_is_not_found_through_this_one(client, copied):
    _, pair = compared(copied)
    other = reverse("similarity:pair", kwargs={"slug": copied.course.slug, "key": copied.pset.key, "pair_id": pair.id})
    assert as_admin(client, copied).get(other).status_code == 404


def test_a_written_assignment_has_no_similarity_page(client, copied):
    response = as_admin(client, copied).get(reverse("similarity:assignment", kwargs={
        "slug": copied.course.slug, "key": copied.pset.key}))
    assert response.status_code == 404
    assert "not a coding assignment" in response.content.decode()


# The assignment's page

def test_before_any_comparison_the_page_says_when_one_starts(client, copied):
    page = as_admin(client, copied).get(url("assignment", copied)).content.decode()
    assert "Not compared yet. Comparisons start by themselves once the assignment closes (" in page


def test_the_list_shows_the_copied_pair_with_its_percent_and_names_only(client, copied):
    _, pair = compared(copied)
    page = as_admin(client, copied).get(url("assignment", copied)).content.decode()
    row = re.search(rf'<tr id="pair-{pair.id}">.*?</tr>', page, re.S).group()
    assert f"{pair.percent} %" in row and "Alice Adams" in row and "Bob Brown" in row
    assert url("pair", copied, pair_id=pair.id) in row
    assert "Carol Chen" not in page.split('id="pairs"')[1]
    assert "Pairs under 30 % are not listed." in page


def test_the_done_comparison_says_who_asked_and_what_it_compared(client, copied):
    compared(copied)
    status = re.search(r'<p id="run-status">(.*?)</p>', as_admin(client, copied).get(url("assignment", copied))
                       .content.decode(), re.S).group(1)
    assert "asked by Andrej Risteski" in status
    assert "3 submissions and 0 archived ones compared, 3 fingerprints computed" in " ".join(status.split())


def test_the_pairs_of_the_done_comparison_stay_while_a_newer_one_is_queued(client, copied):
    _, pair = compared(copied)
    client = as_admin(client, copied)
    client.post(url("compare", copied))
    page = client.get(url("assignment", copied)).content.decode()
    assert "<strong>Queued</strong>" in page and f'id="pair-{pair.id}"' in page


def test_a_failed_comparison_says_why_and_the_done_ones_pairs_stay(client, copied):
    _, pair = compared(copied)
    later = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW + DAY)
    similarity_run_fail(run_id=later.id, problem="The worker running this comparison stopped.", now=NOW + DAY)
    page = as_admin(client, copied).get(url("assignment", copied)).content.decode()
    assert re.search(r'<p id="run-status" class="warn">The comparison asked for at .* failed: The worker running '
                     r'this comparison stopped.</p>', page)
    assert f'id="pair-{pair.id}"' in page and 'id="done-shown"' in page


def test_compare_now_queues_a_comparison(client, copied, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = as_admin(client, copied).post(url("compare", copied), follow=True)
    run = SimilarityRun.objects.get()
    assert (run.status, run.requested_by) == ("queued", copied.member("risteski").user)
    assert len(sent) == 1
    assert "is queued" in response.content.decode()


def test_compare_now_while_one_is_queued_is_refused_with_a_message(client, copied):
    client = as_admin(client, copied)
    client.post(url("compare", copied))
    response = client.post(url("compare", copied), follow=True)
    assert SimilarityRun.objects.count() == 1
    assert re.search(r'<li class="error">A comparison of HW1 coding is already queued', response.content.decode())


def test_submissions_handed_in_after_the_comparison_are_counted(client, copied):
    compared(copied)
    hand_in(copied.member("carol"), copied.coding, solution("alice", seed=1), at=NOW + timedelta(minutes=5))
    page = as_admin(client, copied).get(url("assignment", copied)).content.decode()
    assert "1 submission was handed in after this comparison: compare again." in page


# The pair's page

def test_the_pair_page_marks_each_match_on_both_sides(client, copied):
    _, pair = compared(copied)
    page = as_admin(client, copied).get(url("pair", copied, pair_id=pair.id)).content.decode()
    first = pair.matches[0]
    for side in ("a", "b"):
        line = re.search(rf'<span class="line matched match-0" id="{side}-f0-L{first[side + "_lines"][0]}" '
                         rf'data-matches="1(?: \d+)*"><span class="anchor" id="{side}-match-1"></span>', page)
        assert line, f"side {side}: match 1 not marked at line {first[side + '_lines'][0]}"
        assert f'href="#{side}-match-1"' in page
    code = solution("carol") if pair.a.member.user.username == "alice" else solution("carol", seed=3)
    assert page.count('id="a-f0-L') == len(code.splitlines())      # every line of hw1.py, numbered
    assert f"{first['a_file']} {first['a_lines'][0]}–{first['a_lines'][1]}" in page


def test_the_pair_page_shows_each_sides_declarations(client, copied):
    _, pair = compared(copied)
    page = as_admin(client, copied).get(url("pair", copied, pair_id=pair.id)).content.decode()
    bob = "a" if pair.a.member.user.username == "bob" else "b"
    declared = re.search(rf'<dl class="declarations" id="{bob}-declarations">(.*?)</dl>', page, re.S).group(1)
    assert "alice, on backprop" in declared


def test_a_declaration_left_empty_is_said(client, copied):
    hand_in(copied.member("carol"), copied.coding, solution("carol", seed=1), collaborators="", at=NOW - DAY)
    run = run_now(copied.coding, copied.member("risteski"))
    pair = run.pairs.filter(a__member__user__username="carol").first() or run.pairs.filter(
        b__member__user__username="carol").first()
    page = as_admin(client, copied).get(url("pair", copied, pair_id=pair.id)).content.decode()
    carol = "a" if pair.a.member.user.username == "carol" else "b"
    declared = re.search(rf'<dl class="declarations" id="{carol}-declarations">(.*?)</dl>', page, re.S).group(1)
    assert re.search(r"Collaborators</strong></dt><dd><span class=\"warn\">not filled in</span>", declared)


def test_the_case_link_carries_the_pair_as_prefill(client, copied):
    _, pair = compared(copied)
    page = as_admin(client, copied).get(url("pair", copied, pair_id=pair.id)).content.decode()
    href = re.search(r'<a href="([^"]+)" id="open-case"', page).group(1).replace("&amp;", "&")
    assert href.startswith(reverse("integrity:case-open", kwargs={"slug": copied.course.slug}))
    query = {name: values[0] for name, values in parse_qs(urlsplit(href).query).items()}
    a, b = pair.a.member.user.username, pair.b.member.user.username
    assert query["students"] == f"{a} {b}" and query["assignment"] == str(copied.coding.id)
    longest = max(pair.matches, key=lambda m: m["a_lines"][1] - m["a_lines"][0])
    assert query["evidence"].startswith(f"Code similarity {pair.percent} % (comparison of Wed Mar 10, 12:00 PM EST, pair "
                                        f"http://testserver{url('pair', copied, pair_id=pair.id)}): ")
    assert (f"{a}'s {longest['a_file']} lines {longest['a_lines'][0]}–{longest['a_lines'][1]} match {b}'s "
            f"{longest['b_file']} lines {longest['b_lines'][0]}–{longest['b_lines'][1]}") in query["evidence"]
    assert query["evidence"].count(" match ") == min(len(pair.matches), 10)


def test_a_case_already_open_on_the_pair_is_linked(client, copied):
    _, pair = compared(copied)
    case = case_open(course=copied.course, students=[pair.a.member, pair.b.member], by=copied.member("risteski"),
                     assignment=copied.coding, evidence="", now=NOW)
    page = as_admin(client, copied).get(url("pair", copied, pair_id=pair.id)).content.decode()
    assert f'href="{reverse("integrity:case-detail", args=[copied.course.slug, case.id])}" class="case-link">' \
           f'Case {case.id}</a> (open)' in page


# The archive of earlier terms

def test_an_archive_is_added_and_its_left_out_files_are_named(client, copied):
    data = zipped({"s20_anna/hw1.py": solution("alice"), "s20_anna/README.md": "**Collaborators:** none",
                   "s20_ben/hw1.py": solution("dave"), "s20_empty/README.md": "nothing here"})
    page = upload(as_admin(client, copied), copied, "Spring 2020", data).content.decode()
    assert "Added 2 submissions of Spring 2020; the next comparison includes them." in page
    assert "Left out: s20_empty/: no .py file." in page
    assert set(ArchivedSubmission.objects.values_list("name", flat=True)) == {"s20_anna", "s20_ben"}
    assert re.search(r"<td>Spring 2020</td><td>2</td>", page)


def test_a_term_already_in_the_archive_is_refused_and_nothing_stored(client, copied):
    client = as_admin(client, copied)
    upload(client, copied, "Spring 2020", zipped({"s20_anna/hw1.py": solution("alice")}))
    response = upload(client, copied, "spring 2020", zipped({"s20_zoe/hw1.py": solution("dave")}))
    assert response.status_code == 400
    assert "Spring 2020 is already in the archive" in response.content.decode()
    assert list(ArchivedSubmission.objects.values_list("name", flat=True)) == ["s20_anna"]


def test_a_file_that_is_not_a_zip_is_refused(client, copied):
    response = upload(as_admin(client, copied), copied, "Spring 2020", b"just text")
    assert response.status_code == 400
    assert "This is not a zip file" in response.content.decode()
    assert not ArchivedSubmission.objects.exists()


def test_an_upload_without_a_file_asks_for_one(client, copied):
    response = as_admin(client, copied).post(url("archive-upload", copied), {"term": "Spring 2020"})
    assert response.status_code == 400
    assert "Choose the zip of that term&#x27;s submissions." in response.content.decode()


def test_an_archive_over_the_limit_is_refused_before_it_is_read(client, copied, settings):
    settings.SIMILARITY_ARCHIVE_MAX_BYTES = 1024
    data = zipped({f"s20_{i}/hw1.py": solution("alice") for i in range(3)})
    response = upload(as_admin(client, copied), copied, "Spring 2020", data)
    assert response.status_code == 400
    assert "the limit is 1 KB" in response.content.decode() or "larger than the limit of 1 KB" in \
        response.content.decode()
    assert not ArchivedSubmission.objects.exists()


def test_an_archive_larger_than_other_requests_may_be_is_taken(client, copied, settings):
    """500 HW1 submissions zip to about 5 MB, twice the body limit of the pages that take no files."""
    code = solution("alice")
    data = zipped({f"s20_{i:03}/hw1.py": code for i in range(2 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(code))})
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    page = upload(as_admin(client, copied), copied, "Spring 2020", data).content.decode()
    assert re.search(r"Added \d+ submissions of Spring 2020", page)


def test_removing_a_term_removes_its_submissions(client, copied):
    client = as_admin(client, copied)
    upload(client, copied, "Spring 2020", zipped({"s20_anna/hw1.py": solution("alice")}))
    page = client.post(url("archive-remove", copied), {"term": "Spring 2020"}, follow=True).content.decode()
    assert "Removed Spring 2020 from the archive: 1 submission" in page
    assert not ArchivedSubmission.objects.exists()


def test_an_archived_pair_names_the_term_prefills_only_this_terms_student_and_says_no_readme(client, copied):
    client = as_admin(client, copied)
    upload(client, copied, "Spring 2020", zipped({"s20_zed/hw1.py": solution("dave", seed=5)}))
    run = run_now(copied.coding, copied.member("risteski"))
    pair = run.pairs.get(b_archived__isnull=False)
    page = client.get(url("assignment", copied)).content.decode()
    assert "Spring 2020 archive: s20_zed" in page
    page = client.get(url("pair", copied, pair_id=pair.id)).content.decode()
    href = re.search(r'<a href="([^"]+)" id="open-case"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["students"] == ["carol"]
    assert '<dd class="warn">no README</dd>' in page.split('id="side-b"')[1]


# Links to the pages

def test_the_case_list_lists_the_coding_assignments_pairs(client, copied):
    compared(copied)
    page = as_admin(client, copied).get(reverse("integrity:case-list", args=[copied.course.slug])).content.decode()
    section = page.split('id="code-similarity"')[1]
    assert url("assignment", copied) in section and "1 pair" in section


@pytest.mark.parametrize(("username", "linked"), [("risteski", True), ("fjeffrey", True), ("abasu", False)])
def test_the_staff_assignment_page_links_similarity_for_admins_only(client, copied, username, linked):
    client.force_login(copied.member(username).user)
    page = client.get(reverse("assignments:detail", args=[copied.course.slug, copied.coding.key])).content.decode()
    assert (url("assignment", copied) in page) == linked
