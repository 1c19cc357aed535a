"""The handout of a coding assignment: linked from its page, served to the course, nothing else served."""

from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def handout_url(assignment, name):
    return reverse("assignments:handout-file", args=[assignment.course.slug, assignment.key, name])


def test_the_assignment_page_links_the_starter_and_the_readme(alice_client, coding):
    page = alice_client.get(reverse("assignments:detail", args=[coding.course.slug, coding.key])).content.decode()
    assert f'href="{handout_url(coding, "hw1.py")}"' in page
    assert f'href="{handout_url(coding, "README.md")}"' in page


def test_a_student_downloads_the_starter_as_it_is_in_the_repository(alice_client, coding):
    response = alice_client.get(handout_url(coding, "hw1.py"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (ROOT / "handouts" / "hw1" / "hw1.py").read_bytes()
    assert 'attachment; filename="hw1.py"' in response["Content-Disposition"]


def test_only_the_handouts_own_files_are_served(alice_client, coding):
    for name in ("manage.py", "..", ".hidden", "hw1"):
        assert alice_client.get(handout_url(coding, name)).status_code == 404, name


def test_work_without_an_autograder_has_no_handout(alice_client, pset):
    assert alice_client.get(handout_url(pset, "hw1.py")).status_code == 404
    page = alice_client.get(reverse("assignments:detail", args=[pset.course.slug, pset.key])).content.decode()
    assert 'id="handout"' not in page
