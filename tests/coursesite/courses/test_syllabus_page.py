"""The public syllabus page shows everything the course file describes, to anonymous visitors."""
import re

import pytest
from django.utils.html import escape

from coursesite.courses.models import Course, SyllabusSection


@pytest.fixture
def page(client, course) -> str:
    response = client.get(f"/courses/{course.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The page's text with tags dropped and white space collapsed, for phrases that span elements."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_syllabus_is_public_and_fits_phones(page):
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>10707 Deep Learning: syllabus</title>" in page


@pytest.mark.django_db
def test_syllabus_shows_the_logistics(page):
    assert "<h1>10707 Deep Learning</h1>" in page
    assert "Spring 2021" in page
    assert "MW 12:20-1:40 pm, Zoom (link on Canvas)" in page
    assert '<a href="https://andrejristeski.github.io/10707-S21">' in page
    assert '<a href="https://andrejristeski.github.io/10707-S20">' in page
    assert "Piazza Contact" not in text(page)
    assert '<strong>Piazza</strong></dt><dd><a href="http://piazza.com/cmu/spring2021/10707/home">' in page
    assert "contact course Education Associate Fatima Jeffrey (fjeffrey@example.org)." in page


@pytest.mark.django_db
def test_syllabus_links_to_the_calendar(page):
    assert '<a href="/courses/10707-s21/calendar.ics">' in page


@pytest.mark.django_db
def test_syllabus_lists_the_staff_by_role_and_no_students(page):
    words = text(page)

    assert "Instructor: Andrej Risteski" in words
    assert "Education associate: Fatima Jeffrey" in words
    assert "Teaching assistants: Amartya Basu, Bingbin Liu, Dapeng Zhao, Tanya Marwah, George Cazenavette" in words
    assert "Alice Example" not in page


@pytest.mark.django_db
def test_syllabus_shows_prerequisites_and_materials(page):
    assert '<h2 id="prerequisites">Prerequisites</h2>' in page
    assert "Course prerequisites: 10315 or 10401 or 10715 or 10701 or 10601." in page
    assert '<h2 id="materials">Course materials</h2>' in page
    assert "We will not follow a textbook" in page
    assert '<h2 id="goals">Goals of this course</h2>' in page


@pytest.mark.django_db
def test_syllabus_shows_the_grading_weights(page):
    for name, weight in (("Assignments", 45), ("Midterm 1", 15), ("Midterm 2", 15), ("Final exam", 25)):
        assert f"<tr><td>{name}</td><td>{weight}%</td></tr>" in page


@pytest.mark.django_db
def test_syllabus_shows_round_weights_without_exponent(client, course):
    """The template prints weight.normalize, which is Decimal('4E+1') for 40.00: it must still read 40%."""
    course.categories.filter(key="assignments").update(weight=40)
    course.categories.filter(key="final-exam").update(weight=30)

    page = client.get(f"/courses/{course.slug}/").content.decode()

    assert "<tr><td>Assignments</td><td>40%</td></tr>" in page
    assert "<tr><td>Final exam</td><td>30%</td></tr>" in page


@pytest.mark.django_db
def test_syllabus_shows_every_policy_heading(page, course):
    policies = course.sections.filter(kind=SyllabusSection.Kind.POLICY)

    assert len(policies) == 6
    for policy in policies:
        assert f'<h3 id="{policy.key}">{escape(policy.heading)}</h3>' in page
    assert "Grace days: 7 in total, at most 3 on one assignment." in page


@pytest.mark.django_db
def test_syllabus_shows_the_project(page):
    assert "it can be an applied project" in page
    assert "Groups of 2 (the staff may grant exceptions)." in page


@pytest.mark.django_db
def test_syllabus_shows_the_four_parts_with_topics(page, course):
    for number, part in enumerate(course.parts.all(), start=1):
        assert f"<h3>Part {number}: {escape(part.title)}</h3>" in page
        for topic in part.topic_list:
            assert f"<li>{escape(topic)}</li>" in page
    assert "<h3>Part 4: Other topics</h3>" in page


@pytest.mark.django_db
def test_syllabus_schedule_lists_every_assignment(page, course):
    schedule = page.split('<h2 id="schedule">', 1)[1]

    titles = re.findall(r"<tr><td>([^<]+)</td>", schedule)
    assert titles == [escape(a.title) for a in course.assignments.all()]
    assert len(titles) == 13


@pytest.mark.django_db
def test_syllabus_schedule_shows_local_due_times(settings, client, course):
    settings.TIME_ZONE = "America/New_York"  # the display zone (README); the same as the course's here
    page = client.get(f"/courses/{course.slug}/").content.decode()
    schedule = page.split('<h2 id="schedule">', 1)[1]

    assert "<td>Problem set 1</td><td>Problem set (PDF write-up)</td>" in schedule
    assert "<td>Wed Feb 3, 12:00 PM EST</td><td>Wed Feb 17, 11:59 PM EST</td>" in schedule


@pytest.mark.django_db
def test_times_are_shown_in_the_courses_time_zone_not_the_servers(settings, client, course):
    settings.TIME_ZONE = "UTC"
    course.time_zone = "Asia/Tokyo"
    course.save(update_fields=["time_zone"])
    schedule = client.get(f"/courses/{course.slug}/").content.decode().split('<h2 id="schedule">', 1)[1]
    # Problem set 1: released Wed Feb 3 12:00 and due Wed Feb 17 23:59 in New York, 14 hours behind Tokyo
    assert "<td>Thu Feb 4, 2:00 AM JST</td><td>Thu Feb 18, 1:59 PM JST</td>" in schedule


@pytest.mark.django_db
def test_syllabus_of_an_unknown_course_is_404(client, course):
    assert client.get("/courses/10707-s99/").status_code == 404
    assert Course.objects.count() == 1
