"""Assignment pages, uploads, a student's submissions, and staff's view of all of them."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coursesite.assignments.handouts import handout_files, handout_path
from coursesite.assignments.forms import GradedSubmissionForm, SubmissionUploadForm
from coursesite.assignments.models import Assignment, Submission
from coursesite.pages.submission_scores import submission_scores_shown
from coursesite.assignments.uploads import UploadLimits
from coursesite.bodylimits import takes_files, upload_refusal
from coursesite.display import in_course_time_to_the_second
from coursesite.autograding.views import feedback_context
from coursesite.assignments.services import (
    LateNotice,
    SubmissionRefused,
    graded_submission_check_choosable,
    graded_submission_choose,
    submission_check_open,
    submission_create,
    submission_rate_refusal,
    upload_refused_record,
)
from coursesite.assignments.selectors import effective_due, group_of, handin_closes_at
from coursesite.grades.selectors import grace_day_ledger_for, handin_late_preview, late_outcomes_for
from coursesite.assignments.access import get_assignment_for_member, get_submission_for_user
from coursesite.people.access import get_course_for_user, require_staff, require_student
from coursesite.people.models import Membership
from coursesite.regrades.selectors import regrade_link_for_submission
from coursesite.rubrics.selectors import feedback_for_submission
from coursesite.rubrics.services import RubricRefused, question_pages_save
from coursesite.rubrics.studentpages import PagesChoice, pages_choice_for


def with_scores(submissions: list[Submission], viewer: Membership, now) -> list[tuple[Submission, str]]:
    """Each submission with its score as the viewer may see it, so a student can pick the better one."""
    scores = submission_scores_shown(submissions, viewer, now=now)
    return [(s, scores.get(s.id, "")) for s in submissions]


def names_in_words(names: list[str]) -> str:
    """`Alice Adams`, `Alice Adams and Bob Brown`, `Alice Adams, Bob Brown and Carol Chen`."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def handin_sentence(member: Membership, assignment: Assignment) -> str:
    """Whom an upload by the student hands in for, said before the upload form: on group work, nobody
    should hand in alone by accident. "" when the assignment is not group work and the student has no group."""
    group = group_of(member, assignment)
    if group is None:
        if not assignment.is_group_work:
            return ""
        return (f"You are not in a group for {assignment.title} (groups of {assignment.group_size}): "
                f"uploading now hands in alone, for you only.")
    students = group.students()
    if len(students) == 1:
        return f"You hand in alone: your group for {assignment.title} is only you."
    return f"You hand in for your group: {names_in_words([m.user.display_name for m in students])}."


def assignment_page(request: HttpRequest, member: Membership, assignment: Assignment, form=None, status=200):
    now = timezone.now()
    context = {"course": member.course, "member": member, "assignment": assignment, "now": now,
               "handout_files": handout_files(assignment)}
    if member.is_staff_role:
        context["submission_count"] = assignment.submissions.count()
        context["student_count"] = member.course.memberships.students().count()
        return render(request, "assignments/detail.html", context, status=status)
    # What an upload now costs everyone it counts for: the student, or each member of their group.
    preview = handin_late_preview(member, assignment, now) if assignment.accepts_uploads else None
    ledger = grace_day_ledger_for(member)
    try:
        submission_check_open(member=member, assignment=assignment, now=now)
        closed_reason = ""
    except SubmissionRefused as refusal:
        closed_reason = str(refusal)
    try:
        graded_submission_check_choosable(member=member, assignment=assignment, now=now)
        choose_refusal = ""
    except SubmissionRefused as refusal:
        choose_refusal = str(refusal)
    if form is None and not closed_reason and assignment.accepts_uploads:
        form = SubmissionUploadForm(assignment=assignment, initial={"acknowledged_days_late": preview.days_late})
    elif form is not None and preview is not None:
        form.data = form.data.copy()
        form.data["acknowledged_days_late"] = preview.days_late
    # Their own and their group's (visible_to), each with who uploaded it.
    submissions = list(Submission.objects.visible_to(member).filter(assignment=assignment)
                       .select_related("assignment__course", "member__user").prefetch_related("files"))
    context.update(
        submissions=submissions,
        submission_rows=with_scores(submissions, member, now),
        choose_refusal=choose_refusal,
        due=effective_due(member, assignment),
        closes=handin_closes_at(member, assignment),
        handin=handin_sentence(member, assignment),
        in_group=len(preview.lines) > 1 if preview is not None else False,
        preview=preview,
        closed_reason=closed_reason,
        form=form,
        ledger=ledger,
        outcome=ledger.outcome(assignment),
    )
    return render(request, "assignments/detail.html", context, status=status)


@login_required
def assignment_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    return assignment_page(request, member, assignment)


@login_required
def handout_file(request: HttpRequest, slug: str, key: str, name: str) -> FileResponse:
    """A file of the assignment's handout, for anyone in the course once students can see the assignment."""
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    path = handout_path(assignment, name)
    if path is None:
        raise Http404("This assignment's handout has no such file.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type="text/markdown" if name.endswith(".md") else "text/x-python")


def upload_max_bytes(slug: str, key: str) -> int:
    """The body limit of an upload to this assignment, read before the body is (coursesite.bodylimits)."""
    kind = Assignment.objects.filter(course__slug=slug, key=key).values_list("kind", flat=True).first()
    limits = UploadLimits.from_settings()
    if kind is None:                                   # the view answers 404; read no more than any upload
        return max(limits.pdf_max_bytes, limits.code_total_max_bytes)
    return limits.code_total_max_bytes if kind == Assignment.Kind.CODING else limits.pdf_max_bytes


@takes_files(upload_max_bytes, shows_refusal=True)
@require_POST
@login_required
def submission_upload(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    require_student(member, "Only students hand in work.")
    now = timezone.now()
    too_often = submission_rate_refusal(member=member, assignment=assignment, now=now)
    form = SubmissionUploadForm(request.POST, request.FILES, assignment=assignment,
                                refused=too_often or upload_refusal(request))
    if not form.is_valid():
        if not too_often:
            upload_refused_record(member=member, assignment=assignment, reason=form.errors.as_text(), now=now)
    else:
        notice = None
        if assignment.accepts_uploads:  # an exam has no late-work notice (the service refuses the upload)
            notice = LateNotice(acknowledged=form.cleaned_data["acknowledged_days_late"] or 0,
                                outcome=handin_late_preview(member, assignment, now))
        try:
            submission = submission_create(member=member, assignment=assignment, upload=form.cleaned_data["files"],
                                           now=now, late_notice=notice)
        except SubmissionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            received = in_course_time_to_the_second(submission.submitted_at, assignment.course)
            messages.success(request, f"Your submission to {assignment.title} was received at {received}.")
            return redirect("assignments:submission-detail", submission.id)
    return assignment_page(request, member, assignment, form=form, status=400)


def submission_page(request: HttpRequest, submission: Submission, viewer: Membership,
                    choose_form: GradedSubmissionForm | None = None, status: int = 200,
                    pages_choice: PagesChoice | None = None) -> HttpResponse:
    # "Own work": the student's, or their group's (whoever of it uploaded); then the late policy is the viewer's.
    is_owner = submission.counts_for(viewer)
    student = viewer if is_owner else submission.member
    outcome = late_outcomes_for(student).get(submission.assignment.key) if submission.is_active else None
    try:
        graded_submission_check_choosable(member=student, assignment=submission.assignment, now=timezone.now())
        choose_refusal = ""
    except SubmissionRefused as refusal:
        choose_refusal = str(refusal)
    context = {
        "course": submission.assignment.course, "submission": submission, "viewer": viewer,
        "files": submission.files.all(), "outcome": outcome,
        "is_owner": is_owner,
        "group_names": names_in_words([m.user.display_name for m in submission.students()])
        if submission.group_id else "",
        "choose_form": choose_form or GradedSubmissionForm(staff=viewer.is_staff_role),
        "choose_refusal": choose_refusal,
    }
    if submission.assignment.autograder_spec:
        context.update(feedback_context(submission, viewer))
    now = timezone.now()
    context["rubric_feedback"] = feedback_for_submission(submission, viewer, now)
    context["regrade_link"] = regrade_link_for_submission(submission, viewer, now)
    context["pages_choice"] = pages_choice or pages_choice_for(submission, viewer, now)
    return render(request, "assignments/submission_detail.html", context, status=status)


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission, viewer = get_submission_for_user(request.user, submission_id)
    return submission_page(request, submission, viewer)


@require_POST
@login_required
def submission_activate(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission, viewer = get_submission_for_user(request.user, submission_id)
    form = GradedSubmissionForm(request.POST, staff=viewer.is_staff_role)
    if form.is_valid():
        try:
            graded_submission_choose(submission=submission, by=viewer, reason=form.cleaned_data["reason"],
                                     now=timezone.now())
        except SubmissionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "This submission is now the one that will be graded.")
            return redirect("assignments:submission-detail", submission.id)
    return submission_page(request, submission, viewer, choose_form=form, status=400)


@require_POST
@login_required
def question_pages(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A student says which pages of the submission's PDF answer each question (optional, until it closes)."""
    submission, viewer = get_submission_for_user(request.user, submission_id)
    require_student(viewer, "Only the students who handed in a submission say which pages answer which question.")
    now = timezone.now()
    choice = pages_choice_for(submission, viewer, now, data=request.POST)
    if choice is None:
        raise Http404("This submission has no questions to choose pages for.")
    if choice.form is not None and choice.form.is_valid():
        try:
            question_pages_save(submission=submission, member=viewer, pages=choice.form.pages(), now=now)
        except RubricRefused as refusal:
            choice.form.add_error(None, str(refusal))
        else:
            messages.success(request, "Saved which pages answer each question.")
            return redirect("assignments:submission-detail", submission.id)
    return submission_page(request, submission, viewer, pages_choice=choice, status=400)


@login_required
def file_download(request: HttpRequest, submission_id: int, file_id: int) -> FileResponse:
    submission, _ = get_submission_for_user(request.user, submission_id)
    stored = get_object_or_404(submission.files, id=file_id)
    content_type = "application/pdf" if stored.name.endswith(".pdf") else "application/octet-stream"
    # `?inline=1` shows a PDF in the page (the rubric grading page frames it, from this site only);
    # anything else, and every file by default, downloads as an attachment.
    inline = request.GET.get("inline") == "1" and content_type == "application/pdf"
    response = FileResponse(stored.file.open("rb"), as_attachment=not inline, filename=stored.name,
                            content_type=content_type)
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        # The same for the CSP's frame-ancestors (set as csp_replace does, for this response only).
        response._csp_replace = {"frame-ancestors": ["'self'"]}
    return response


@login_required
def submission_list(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_assignment_for_member(member, key)
    submissions = (
        Submission.objects.visible_to(member).filter(assignment=assignment)
        .select_related("member__user").prefetch_related("files", "group__members__member__user")
        .order_by("member__user__last_name", "member__user__first_name", "-submitted_at")
    )
    students = member.course.memberships.students().select_related("user")
    submissions = list(submissions.select_related("assignment__course"))
    return render(request, "assignments/submission_list.html", {
        "course": member.course, "member": member, "assignment": assignment,
        "submissions": submissions, "students": students,
        "submission_rows": with_scores(submissions, member, timezone.now()),
    })
