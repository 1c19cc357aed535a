"""What the submission page shows of "which pages answer which question": a student's form while the
assignment is open to them, the pages chosen otherwise (and always to staff).

Optional for the student: nothing is required to hand in; the grading page falls back to the rubric's pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Submission
from coursesite.assignments.selectors import handin_closes_at
from coursesite.people.models import Membership
from coursesite.rubrics import selectors
from coursesite.rubrics.forms import QuestionPagesForm
from coursesite.rubrics.models import Question
from coursesite.rubrics.services import RubricRefused, question_pages_check_open


@dataclass
class PagesChoice:
    questions: list[Question]
    chosen: dict[int, str]              # question id -> pages a student chose ("3-4")
    form: QuestionPagesForm | None      # None: the viewer can't change them (staff, or the assignment closed)
    refusal: str                        # why a student can't change them any more; "" otherwise
    page_count: int | None = None
    closes_at: datetime | None = None   # until when the student can change them

    def rows(self) -> list[tuple[Question, str]]:
        return [(q, self.chosen.get(q.id, "")) for q in self.questions]


def pages_choice_for(submission: Submission, viewer: Membership, now: datetime, data=None) -> PagesChoice | None:
    """The page choice of the submission as `viewer` sees it; `data` binds the form (a post).

    None when there is nothing to choose: the assignment has no rubric questions or the submission no PDF,
    or the viewer is a student it does not count for.
    """
    questions = list(submission.assignment.questions.order_by("number"))
    if not questions or selectors.pdf_of(submission) is None:
        return None
    chosen = selectors.question_pages_chosen(submission)
    if viewer.is_staff_role:
        return PagesChoice(questions, chosen, form=None, refusal="")
    if not submission.counts_for(viewer):
        return None
    try:
        question_pages_check_open(member=viewer, submission=submission, now=now)
    except RubricRefused as refusal:
        return PagesChoice(questions, chosen, form=None, refusal=str(refusal))
    page_count = selectors.pdf_page_count(submission)
    form = QuestionPagesForm(data, questions=questions, page_count=page_count, chosen=chosen)
    return PagesChoice(questions, chosen, form=form, refusal="", page_count=page_count,
                       closes_at=handin_closes_at(viewer, submission.assignment))
