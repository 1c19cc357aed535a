"""Forms of rubric grading: a question, a rubric item, and the grading of one answer.

The rubric page holds many small forms that post to one address; a hidden `edit` field says
whether a question or an item is saved, and hidden ids say which one (empty: a new one).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count

from coursesite.assignments.models import Assignment
from coursesite.display import plain_number
from coursesite.rubrics.models import Question, QuestionGrade, RubricItem
from coursesite.rubrics.pages import parse_pages

POINTS = {"max_digits": 6, "decimal_places": 2}
NUMBER_MESSAGES = {
    "invalid": "Enter the points as a number, e.g. 2 or -0.5.",
    "max_decimal_places": "Use at most 2 decimal places.",
    "max_digits": "That is too many points.",
    "max_whole_digits": "That is too many points.",
}


class QuestionForm(forms.Form):
    edit = forms.CharField(widget=forms.HiddenInput, initial="question")
    question = forms.ModelChoiceField(queryset=Question.objects.none(), required=False, widget=forms.HiddenInput)
    number = forms.IntegerField(label="Question", min_value=1, max_value=999, widget=forms.NumberInput(attrs={"size": 3}))
    title = forms.CharField(max_length=200, error_messages={"required": "Give the question a title."})
    points = forms.DecimalField(min_value=Decimal("0.01"), error_messages=NUMBER_MESSAGES, **POINTS,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
    pages = forms.CharField(label="Pages", max_length=100, required=False,
                            widget=forms.TextInput(attrs={"size": 8, "placeholder": "e.g. 3-4"}),
                            help_text="Where the answer usually is in the write-up; graders' PDF opens there.")

    def __init__(self, *args, assignment: Assignment, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", {"question": question.id, "number": question.number,
                                          "title": question.title, "points": question.points,
                                          "pages": question.pages})
        kwargs.setdefault("auto_id", f"id_q{question.id if question else 'new'}_%s")
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = assignment.questions.all()
        self.fields["question"].error_messages["invalid_choice"] = "That question is not part of this assignment."
        self.key = ("question", str(question.id) if question else "")

    def clean_pages(self) -> list[int]:
        try:
            return parse_pages(self.cleaned_data["pages"])
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem


class RubricItemForm(forms.Form):
    edit = forms.CharField(widget=forms.HiddenInput, initial="item")
    question = forms.ModelChoiceField(queryset=Question.objects.none(), widget=forms.HiddenInput)
    item = forms.ModelChoiceField(queryset=RubricItem.objects.none(), required=False, widget=forms.HiddenInput)
    description = forms.CharField(label="Item", max_length=300, error_messages={"required": "Describe what the item is for."},
                                  widget=forms.TextInput(attrs={"size": 40}))
    points = forms.DecimalField(error_messages=NUMBER_MESSAGES, **POINTS,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))

    def __init__(self, *args, assignment: Assignment, question: Question | None = None,
                 item: RubricItem | None = None, **kwargs):
        if question is not None:
            initial = {"question": question.id}
            if item is not None:
                initial.update(item=item.id, description=item.description, points=item.points)
            kwargs.setdefault("initial", initial)
        kwargs.setdefault("auto_id", f"id_i{item.id if item else 'new' + str(question.id if question else '')}_%s")
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = assignment.questions.all()
        self.fields["question"].error_messages["invalid_choice"] = "That question is not part of this assignment."
        self.fields["item"].queryset = RubricItem.objects.filter(question__assignment=assignment)
        self.fields["item"].error_messages["invalid_choice"] = "That rubric item is not part of this assignment."
        self.key = ("item", str(item.id) if item else "new" + str(question.id if question else ""))

    def clean(self):
        cleaned = super().clean()
        question, item = cleaned.get("question"), cleaned.get("item")
        if question and item and item.question_id != question.id:
            raise ValidationError(f"That rubric item belongs to another question than question {question.number}.")
        return cleaned


def rubric_edit_form(data, *, assignment: Assignment) -> QuestionForm | RubricItemForm:
    """The bound form a post of the rubric page is for, keyed like the page's unbound form it replaces."""
    if data.get("edit") == "item":
        form = RubricItemForm(data, assignment=assignment)
        item, question = data.get("item", ""), data.get("question", "")
        form.key = ("item", item if item else "new" + question)
    else:
        form = QuestionForm(data, assignment=assignment)
        form.key = ("question", data.get("question", ""))
    return form


@dataclass
class QuestionBlock:
    """One question on the rubric page: its form, its items' forms (with how many answers use each), a new item."""

    question: Question
    form: QuestionForm
    items: list[tuple[RubricItem, RubricItemForm, int]]
    new_item: RubricItemForm


def rubric_page_forms(assignment: Assignment, answers: dict[int, int], failed=None):
    """Every form of the rubric page; `failed` (a bound form with errors) stands in for the one it was."""
    def pick(form):
        return failed if failed is not None and failed.key == form.key else form

    blocks = []
    for question in assignment.questions.prefetch_related("items").annotate(graded=Count("grades")).order_by("number"):
        items = [(item, pick(RubricItemForm(assignment=assignment, question=question, item=item)),
                  answers.get(item.id, 0)) for item in question.items.all()]
        blocks.append(QuestionBlock(
            question, pick(QuestionForm(assignment=assignment, question=question)), items,
            pick(RubricItemForm(assignment=assignment, question=question)),
        ))
    next_number = max((b.question.number for b in blocks), default=0) + 1
    new_question = pick(QuestionForm(assignment=assignment, initial={"number": next_number}))
    return blocks, new_question


class QuestionGradeForm(forms.Form):
    """Tick the rubric items that apply, and optionally adjust the points and leave a comment."""

    items = forms.ModelMultipleChoiceField(
        queryset=RubricItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Only this question's rubric items can be ticked.",
                        "invalid_pk_value": "Only this question's rubric items can be ticked."},
    )
    adjustment = forms.DecimalField(required=False, error_messages=NUMBER_MESSAGES, **POINTS,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
                                    help_text="Points added (or, negative, taken) for this answer alone.")
    comment = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, question: Question, grade: QuestionGrade | None = None, **kwargs):
        if grade is not None:
            kwargs.setdefault("initial", {"items": [i.id for i in grade.items.all()],
                                          "adjustment": grade.adjustment, "comment": grade.comment})
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["items"].queryset = question.items.all()
        self.fields["items"].label_from_instance = lambda item: f"{item.signed_points} {item.description}"

    def clean_adjustment(self):
        adjustment = self.cleaned_data["adjustment"] or Decimal(0)
        if abs(adjustment) > self.question.points:
            raise ValidationError(f"The adjustment can be at most {plain_number(self.question.points)} points either way.")
        return adjustment


class QuestionPagesForm(forms.Form):
    """A student says which pages of their PDF answer each question ("Which pages answer question 2?").

    One optional field per question of the assignment, named by its id; each is checked against the
    PDF's page count (None: not known, so only the shape is checked). `pages()` is what to save.
    """

    def __init__(self, *args, questions: list[Question], page_count: int | None,
                 chosen: dict[int, str] | None = None, **kwargs):
        kwargs.setdefault("initial", {f"question_{q}": text for q, text in (chosen or {}).items()})
        kwargs.setdefault("auto_id", "id_pages_%s")
        super().__init__(*args, **kwargs)
        self.questions, self.page_count = questions, page_count
        for question in questions:
            self.fields[f"question_{question.id}"] = forms.CharField(
                label=f"Which pages answer question {question.number}?", required=False, max_length=100,
                help_text=question.title, widget=forms.TextInput(attrs={"size": 8, "placeholder": "e.g. 3-4"}),
            )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = f"question_{question.id}"
            if name in cleaned:
                try:
                    cleaned[name] = parse_pages(cleaned[name], self.page_count)
                except ValueError as problem:
                    self.add_error(name, str(problem))
        return cleaned

    def pages(self) -> dict[Question, list[int]]:
        return {q: self.cleaned_data[f"question_{q.id}"] for q in self.questions}

    def rows(self):
        """(question, its bound field) in question order, for the template."""
        return [(q, self[f"question_{q.id}"]) for q in self.questions]
