"""Rubric questions in the course file: checked, created when missing, never changed once answers are graded."""
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from coursesite.assignments.models import Submission
from coursesite.people.models import Membership, User
from coursesite.rubrics.models import Question, QuestionGrade, RubricItem

from .conftest import SEED, loadcourse, refuse, snapshot

PS1_Q1 = 'number = 1\ntitle = "The neuron and its activations"\npoints = 20\n'
PS1_Q2 = 'number = 2\ntitle = "Softmax and cross-entropy"\npoints = 25\n'
CODING = '[[assignments]]\nkey = "hw1-coding"'


def questions_of(key: str) -> list[tuple]:
    return [(q.number, q.title, q.points) for q in Question.objects.filter(assignment__key=key).order_by("number")]


@pytest.mark.django_db
def test_every_problem_set_gets_questions_worth_its_points(course):
    for ps in course.assignments.filter(kind="problem_set"):
        questions = list(ps.questions.all())
        assert questions and sum(q.points for q in questions) == ps.points, ps.key
        assert all(q.items.count() >= 3 for q in questions), ps.key


@pytest.mark.django_db
def test_the_rubric_items_are_read_with_their_signed_points(course):
    question = Question.objects.get(assignment__key="ps1", number=2)

    assert [(i.description, i.points) for i in question.items.order_by("id")] == [
        ("Correct and justified", 25),
        ("Right approach, a mistake in the derivation", 12),
        ("Numerically stable form (the row max subtracted)", 5),
        ("Answer without the reasoning asked for", -6),
    ]


@pytest.mark.django_db
def test_questions_worth_more_than_the_assignment_are_refused(course_file):
    refuse(course_file((PS1_Q1, PS1_Q1.replace("points = 20", "points = 25"))),
           "assignments[0].questions: the points sum to 105, more than the assignment's 100")


@pytest.mark.django_db
def test_a_duplicate_question_number_is_refused(course_file):
    refuse(course_file((PS1_Q2, PS1_Q2.replace("number = 2", "number = 1"))),
           "assignments[0].questions[1].number: duplicate 1 (already used by assignments[0].questions[0])")


@pytest.mark.django_db
def test_questions_on_coding_work_are_refused(course_file):
    path = course_file((CODING, '[[assignments]]\nkey = "hw1-coding"\nquestions = [{ number = 1, title = "Q", points = 5 }]'))

    refuse(path, "assignments[1].questions: only problem sets and project milestones are graded with rubric questions")


@pytest.mark.django_db
def test_a_rubric_item_worth_more_than_its_question_is_refused(course_file):
    path = course_file(('{ description = "Correct and justified", points = 35 }',
                        '{ description = "Correct and justified", points = 36 }'))

    refuse(path, "assignments[0].questions[2].rubric[0].points: an item gives or takes at most the question's 35 points")


@pytest.mark.django_db
def test_an_unknown_question_key_is_refused(course_file):
    refuse(course_file((PS1_Q1, PS1_Q1 + "weight = 2\n")), "assignments[0].questions[0].weight: is not a known key (a typo?)")


@pytest.mark.django_db
def test_missing_questions_are_listed_for_an_existing_course_and_created_with_apply(course):
    Question.objects.filter(assignment__key="ps1").delete()

    listed = loadcourse(SEED)
    assert questions_of("ps1") == []
    applied = loadcourse(SEED, "--apply")

    created = [
        "  question 1 of ps1: created with 3 rubric item(s)",
        "  question 2 of ps1: created with 4 rubric item(s)",
        "  question 3 of ps1: created with 4 rubric item(s)",
        "  question 4 of ps1: created with 3 rubric item(s)",
    ]
    assert listed.splitlines()[1:-1] == created
    assert applied.splitlines() == [*created, "10707-s21: 4 change(s) applied."]
    assert [n for n, _, _ in questions_of("ps1")] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_question_edited_on_the_rubric_page_is_listed_and_kept_without_apply(course):
    Question.objects.filter(assignment__key="ps1", number=1).update(title="Neurons")
    before = snapshot()

    out = loadcourse(SEED)

    assert "  question 1 of ps1: title is 'Neurons', the file says 'The neuron and its activations'\n" in out
    assert snapshot() == before


@pytest.mark.django_db
def test_a_question_answers_are_graded_with_is_never_changed_by_a_load(course, course_file):
    question = Question.objects.get(assignment__key="ps1", number=1)
    student = Membership.objects.get(user__username="alice")
    submission = Submission.objects.create(member=student, assignment=question.assignment, submitted_at=timezone.now(),
                                           is_active=True, sha256="0" * 64)
    QuestionGrade.objects.create(submission=submission, question=question, graded_by=User.objects.get(username="abasu"),
                                 graded_at=timezone.now())
    path = course_file((PS1_Q1, PS1_Q1.replace("The neuron", "One neuron")))

    out = loadcourse(path, "--apply")

    assert out.splitlines()[-2:] == [
        "  question 1 of ps1: kept as it is, answers are graded with it (edit it on the rubric page)",
        "10707-s21: no changes.",
    ]
    assert questions_of("ps1")[0] == (1, "The neuron and its activations", Decimal(20))


@pytest.mark.django_db
def test_rubric_items_edited_on_the_rubric_page_are_kept(course):
    item = RubricItem.objects.get(question__assignment__key="ps1", question__number=1, points=-5)
    item.points = Decimal(-4)
    item.save()

    out = loadcourse(SEED, "--apply")

    assert "  question 1 of ps1: rubric items kept as edited on the rubric page\n" in out
    assert out.endswith("10707-s21: no changes.\n")
    item.refresh_from_db()
    assert item.points == -4


@pytest.mark.django_db
def test_a_load_that_would_make_the_questions_worth_too_much_is_refused_whole(course):
    """Staff moved 10 points from question 1 to a new question 5; the file's question 1 would take them back."""
    Question.objects.filter(assignment__key="ps1", number=1).update(points=10)
    Question.objects.create(assignment=course.assignments.get(key="ps1"), number=5, title="Extra", points=10)
    before = snapshot()

    with pytest.raises(CommandError, match="the questions of ps1 would be worth 110 points in all, more than its 100"):
        loadcourse(SEED, "--apply")
    assert snapshot() == before
