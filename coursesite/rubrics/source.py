"""The rubric as an automatic source of a score (grades.sources): registered by the app's ready()."""
from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count

from coursesite.assignments.models import Assignment, Submission
from coursesite.grades.models import Score
from coursesite.grades.sources import AutomaticSource
from coursesite.rubrics.models import Question, QuestionGrade
from coursesite.rubrics.services import rubric_score


def unfinished(assignment: Assignment, active: Sequence[Submission]) -> dict[int, str]:
    """The active submissions of a PDF assignment with questions not graded yet, with how many are."""
    questions = assignment.questions.count() if assignment.takes_pdf else 0
    if not questions:
        return {}
    graded = dict(QuestionGrade.objects.filter(submission__in=active).values("submission_id")
                  .annotate(n=Count("id")).values_list("submission_id", "n"))
    return {s.id: f"rubric: {graded.get(s.id, 0)} of {questions} questions graded"
            for s in active if graded.get(s.id, 0) < questions}


RUBRIC = AutomaticSource(
    source=Score.Source.RUBRIC,
    label="the rubric",
    scores=lambda assignment: Question.objects.filter(assignment=assignment).exists(),
    score=rubric_score,
    unfinished=unfinished,
)
