"""The automatic sources of a score, as the grades see them through grades.sources."""
from decimal import Decimal

import pytest

from coursesite.assignments.models import Assignment
from coursesite.grades.models import Score
from coursesite.grades.services.scores import automatic_source_of
from coursesite.grades.sources import registered
from coursesite.rubrics.models import Question
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_the_autograder_and_the_rubric_register_with_the_grades_when_the_site_starts():
    assert [s.source for s in registered()] == [Score.Source.AUTOGRADER, Score.Source.RUBRIC]


def test_a_coding_assignment_with_rubric_questions_is_scored_by_its_autograder():
    coding = AssignmentFactory(kind=Assignment.Kind.CODING, autograder_spec="hw1", required_files=["hw1.py"])
    Question.objects.create(assignment=coding, number=1, title="Derivation", points=Decimal(10))
    assert automatic_source_of(coding) == "the autograder"


def test_a_problem_set_with_questions_is_scored_by_its_rubric_and_one_without_by_hand():
    with_rubric, by_hand = AssignmentFactory(), AssignmentFactory()
    Question.objects.create(assignment=with_rubric, number=1, title="Backpropagation", points=Decimal(10))
    assert (automatic_source_of(with_rubric), automatic_source_of(by_hand)) == ("the rubric", "")
