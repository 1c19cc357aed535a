"""The case pages: who sees what, and that each form goes through its service."""
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coursesite.grades.models import Score
from coursesite.integrity.access import require_case_handler
from coursesite.integrity.models import Case
from coursesite.integrity.services import case_decide, case_open, case_tell_student
from tests.factories import CourseFactory, MembershipFactory
from tests.world import NOW


def url(name, w, case=None):
    kwargs = {"slug": w.course.slug}
    if case is not None:
        kwargs["case_id"] = case.id
    return reverse(f"integrity:{name}", kwargs=kwargs)


def login(client, w, username):
    client.force_login(w.member(username).user)


# Staff pages

def test_the_case_list_shows_open_cases_first(client, pair_case, graded):
    w = graded
    later = case_open(course=w.course, students=[w.member("carol")], by=w.member("risteski"), now=NOW)
    case_decide(case=later, decision="no_action", reason="Starter code only.", by=w.member("risteski"), now=NOW)
    login(client, w, "fjeffrey")
    page = client.get(url("case-list", w)).content.decode()
    assert page.index(f"Case {pair_case.id}<") < page.index(f"Case {later.id}<")
    assert "Alice Adams" in page and "No action" in page


def test_a_ta_gets_403_on_a_case(client, pair_case, graded):
    login(client, graded, "abasu")
    assert client.get(url("case-detail", graded, pair_case)).status_code == 403


def test_a_ta_is_told_who_handles_cases(graded):
    with pytest.raises(PermissionDenied, match="handled by the course's instructors and education associate only"):
        require_case_handler(graded.member("abasu"))


def test_a_student_of_the_case_gets_404_on_its_staff_page(client, pair_case, graded):
    login(client, graded, "alice")
    assert client.get(url("case-detail", graded, pair_case)).status_code == 404


def test_another_courses_instructor_gets_404(client, pair_case, graded):
    stranger = MembershipFactory(course=CourseFactory(), role="instructor")
    client.force_login(stranger.user)
    assert client.get(url("case-detail", graded, pair_case)).status_code == 404


def test_a_case_of_another_course_is_not_found_through_this_course(client, graded):
    other = CourseFactory()
    mine = MembershipFactory(course=other, role="instructor")
    student = MembershipFactory(course=other, role="student")
    case = case_open(course=other, students=[student], by=mine, now=NOW)
    login(client, graded, "risteski")
    assert client.get(url("case-detail", graded, case)).status_code == 404


def test_the_open_page_opens_a_case_by_andrew_ids(client, graded):
    w = graded
    login(client, w, "risteski")
    response = client.post(url("case-open", w), {"students": "alice, Bob", "assignment": w.coding.id,
                                                 "evidence": "similarity 0.93"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("case-detail", w, case)
    assert sorted(s.user.username for s in case.students.all()) == ["alice", "bob"]
    assert (case.assignment, case.evidence) == (w.coding, "similarity 0.93")


def test_the_open_page_names_an_unknown_andrew_id(client, graded):
    login(client, graded, "risteski")
    response = client.post(url("case-open", graded), {"students": "alice zed", "assignment": ""})
    assert response.status_code == 400
    assert "No student of this course has the Andrew ID zed." in response.content.decode()
    assert not Case.objects.exists()


def test_the_case_page_shows_evidence_notes_and_history(client, pair_case, graded):
    login(client, graded, "risteski")
    client.post(url("case-note", graded, pair_case), {"text": "Met both students."})
    page = client.get(url("case-detail", graded, pair_case)).content.decode()
    assert "similarity 0.93 between alice/hw1.py:12-30" in page
    assert "Met both students." in page
    assert "note added by Andrej Risteski" in page and "case opened by Andrej Risteski" in page


def test_the_decide_form_decides_a_penalty_that_telling_applies(client, pair_case, graded):
    login(client, graded, "risteski")
    response = client.post(url("case-decide", graded, pair_case),
                           {"decision": "penalty", "reason": "Copied.", "penalty_points": "20"})
    assert response.status_code == 302
    page = client.get(url("case-detail", graded, pair_case)).content.decode()
    assert "Score penalty: 20 points off each student's score" in page
    assert 'id="decide-form"' not in page and 'id="tell-form"' in page
    assert "The penalty of 20 points is taken off each student's score now." in page
    alice_score = Score.objects.get(member=graded.member("alice"), assignment=graded.coding)
    assert alice_score.points == D(60)        # not before the students are told

    client.post(url("case-tell", graded, pair_case))
    alice_score.refresh_from_db()
    assert alice_score.points == D(40)


def test_a_penalty_without_points_is_refused_by_the_form(client, pair_case, graded):
    login(client, graded, "risteski")
    response = client.post(url("case-decide", graded, pair_case), {"decision": "penalty", "reason": "Copied."})
    assert response.status_code == 400
    assert "A score penalty needs the number of points to take off." in response.content.decode()


def test_a_refused_decision_is_shown_on_the_case_page(client, pair_case, graded):
    login(client, graded, "risteski")
    response = client.post(url("case-decide", graded, pair_case),
                           {"decision": "penalty", "reason": "Copied.", "penalty_points": "500"})
    assert response.status_code == 400
    assert "is more than HW1 coding is worth (100 points)" in response.content.decode()


def test_the_tell_button_tells_the_students(client, pair_case, graded):
    w = graded
    case_decide(case=pair_case, decision="warning", reason="Be careful.", by=w.member("risteski"), now=NOW)
    login(client, w, "fjeffrey")
    assert client.post(url("case-tell", w, pair_case)).status_code == 302
    assert Case.objects.get(pk=pair_case.pk).told_student_at is not None


def test_the_staff_dashboard_links_the_case_list_for_admins_only(client, graded):
    dashboard = reverse("courses:dashboard", kwargs={"slug": graded.course.slug})
    login(client, graded, "fjeffrey")
    assert url("case-list", graded) in client.get(dashboard).content.decode()
    login(client, graded, "abasu")
    assert url("case-list", graded) not in client.get(dashboard).content.decode()


# The student's page

@pytest.mark.parametrize("username", ["alice", "bob"])
def test_a_student_sees_nothing_before_being_told(client, pair_case, graded, username):
    case_decide(case=pair_case, decision="warning", reason="Be careful.", by=graded.member("risteski"), now=NOW)
    login(client, graded, username)
    page = client.get(url("student", graded)).content.decode()
    assert "There are no decisions about your work." in page and "Be careful." not in page


def test_a_told_student_sees_the_decision_and_reason_but_not_the_other_student(client, told_case, graded):
    login(client, graded, "alice")
    page = client.get(url("student", graded)).content.decode()
    assert "Warning" in page and "Your code matches another student&#x27;s closely." in page
    assert "Bob" not in page and "bob" not in page and "similarity" not in page


def test_a_student_outside_the_case_sees_nothing_of_it(client, told_case, graded):
    login(client, graded, "carol")
    page = client.get(url("student", graded)).content.decode()
    assert "There are no decisions about your work." in page and "Warning" not in page


# The histories of a student and of an assignment

@pytest.mark.parametrize("page", ["audit:student", "audit:assignment"])
def test_a_ta_reading_a_history_does_not_learn_of_a_case(client, pair_case, graded, page):
    w = graded
    kwargs = ({"slug": w.course.slug, "member_id": w.member("alice").id} if page == "audit:student"
              else {"slug": w.course.slug, "key": w.coding.key})
    login(client, w, "abasu")
    assert "case opened" not in client.get(reverse(page, kwargs=kwargs)).content.decode()
    login(client, w, "fjeffrey")
    assert "case opened" in client.get(reverse(page, kwargs=kwargs)).content.decode()


def test_a_told_students_dashboard_links_their_integrity_page(client, told_case, graded):
    dashboard = reverse("courses:dashboard", kwargs={"slug": graded.course.slug})
    login(client, graded, "alice")
    assert "Academic integrity: 1 decision about your work" in client.get(dashboard).content.decode()


def test_an_untold_students_dashboard_says_nothing_of_a_case(client, pair_case, graded):
    case_decide(case=pair_case, decision="warning", reason="Be careful.", by=graded.member("risteski"), now=NOW)
    dashboard = reverse("courses:dashboard", kwargs={"slug": graded.course.slug})
    login(client, graded, "alice")
    assert url("student", graded) not in client.get(dashboard).content.decode()


def test_another_page_can_prefill_the_open_form(client, graded):
    login(client, graded, "risteski")
    page = client.get(url("case-open", graded), {"students": "alice bob", "assignment": graded.coding.id,
                                                 "evidence": "similarity 0.93"}).content.decode()
    assert 'value="alice bob"' in page and "similarity 0.93</textarea>" in page
    assert f'<option value="{graded.coding.id}" selected>' in page
    assert not Case.objects.exists()


def test_the_student_page_shows_a_penalty_in_points(client, pair_case, graded):
    w = graded
    case_decide(case=pair_case, decision="penalty", reason="Copied.", penalty_points=D("12.50"),
                by=w.member("risteski"), now=NOW)
    case_tell_student(case=pair_case, by=w.member("risteski"), now=NOW)
    login(client, w, "bob")
    assert "Score penalty: 12.5 points off your score on HW1 coding" in client.get(url("student", w)).content.decode()


def test_the_case_history_shows_each_step_of_a_pair_once(client, pair_case, graded):
    login(client, graded, "risteski")
    page = client.get(url("case-detail", graded, pair_case)).content.decode()
    assert page.count("case opened by Andrej Risteski") == 1
    assert "<td>alice, bob</td>" in page
