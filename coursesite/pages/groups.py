"""Group pages: a student's group of an assignment (invite, answer, leave, ask for another size), and the staff's
page of every group (form, change, dissolve, approve a size, import a CSV with a preview).

Each POST does one thing through one service and comes back to its page with a message saying what happened
or why not. Strangers get 404 (get_course_for_user, get_assignment_for_member); a member in the wrong role 403.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coursesite.assignments.access import get_assignment_for_member
from coursesite.assignments.groupforms import (
    ApproveSizeForm,
    GroupChangeForm,
    GroupFormForm,
    GroupsConfirmForm,
    GroupsUploadForm,
    InviteForm,
    ReasonForm,
    SizeRequestForm,
)
from coursesite.assignments.groups import (
    GroupRefused,
    check_students_may_change,
    group_invite,
    group_leave,
    group_size_request,
    handed_in_alone,
    invitation_accept,
    invitation_decline,
    invitation_withdraw,
    size_limit,
)
from coursesite.assignments.groups_staff import (
    group_approve_size,
    group_change,
    group_dissolve,
    group_form,
    groups_import,
    groups_preview,
    students_without_group,
)
from coursesite.assignments.groupsfile import GroupsFileError, parse_groups
from coursesite.assignments.models import Assignment, GroupInvitation, StudentGroup, Submission
from coursesite.assignments.selectors import group_of
from coursesite.people.access import get_course_for_user, require_staff, require_student
from coursesite.people.models import Membership

PENDING = GroupInvitation.Status.PENDING


def _assignment(request: HttpRequest, slug: str, key: str) -> tuple[Membership, Assignment]:
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    if not assignment.is_group_work:
        raise Http404(f"{assignment.title} is handed in alone: it has no groups.")
    return member, assignment


def _student(request: HttpRequest, slug: str, key: str) -> tuple[Membership, Assignment]:
    member, assignment = _assignment(request, slug, key)
    require_student(member, "Only students are in groups; the course staff manage them on the groups page.")
    return member, assignment


def _staff(request: HttpRequest, slug: str, key: str) -> tuple[Membership, Assignment]:
    member, assignment = _assignment(request, slug, key)
    require_staff(member)
    return member, assignment


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _done(request: HttpRequest, action, success: str | None = None) -> None:
    """Run `action` (a service call); show its message, or the refusal's."""
    try:
        result = action()
    except GroupRefused as refused:
        messages.error(request, str(refused))
        return
    messages.success(request, success if success is not None else result.message)


# --- the student's page -----------------------------------------------------------------------------------------

@login_required
def group_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _student(request, slug, key)
    now = timezone.now()
    try:
        check_students_may_change(assignment, now)
        closed_reason = ""
    except GroupRefused as refused:
        closed_reason = str(refused)
    group = group_of(member, assignment)
    context = {
        "course": member.course, "member": member, "assignment": assignment, "group": group,
        "closed_reason": closed_reason, "handed_in_alone": handed_in_alone(member, assignment),
        "received": GroupInvitation.objects.filter(invited=member, group__assignment=assignment, status=PENDING)
                    .select_related("invited_by__user").prefetch_related("group__members__member__user"),
        "invite_form": InviteForm(course=member.course), "size_form": SizeRequestForm(),
        "locks_at": assignment.groups_lock_at or assignment.due_at,
    }
    if group is not None:
        members = group.students()
        sent = list(group.invitations.filter(status=PENDING).select_related("invited__user", "invited_by__user"))
        context.update(
            members=members, sent=sent, limit=size_limit(group), size_allowed=group.size_allowed(len(members)),
            full=len(members) + len(sent) >= size_limit(group), handed_in=group.submissions.exists(),
        )
    return render(request, "groups/group.html", context)


@require_POST
@login_required
def group_invite_view(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _student(request, slug, key)
    form = InviteForm(request.POST, course=member.course)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        invited = form.cleaned_data["classmate"]
        _done(request, lambda: group_invite(inviter=member, invited=invited, assignment=assignment, now=timezone.now()),
              f"{invited.user.display_name} is invited: they accept or decline on their group page of "
              f"{assignment.title}.")
    return redirect("assignments:group", slug, key)


ANSWERS = {
    "accept": (invitation_accept, "You joined the group."),
    "decline": (invitation_decline, "You declined the invitation."),
    "withdraw": (invitation_withdraw, "The invitation is withdrawn."),
}


@require_POST
@login_required
def invitation_answer(request: HttpRequest, slug: str, key: str, invitation_id: int) -> HttpResponse:
    member, assignment = _student(request, slug, key)
    invitation = get_object_or_404(GroupInvitation.objects.select_related("group"), id=invitation_id,
                                   group__assignment=assignment)
    if invitation.invited_id != member.id and not invitation.group.members.filter(member=member).exists():
        raise Http404("No such invitation.")
    answer = ANSWERS.get(request.POST.get("action", ""))
    if answer is None:
        messages.error(request, "Choose accept, decline or withdraw.")
    else:
        service, success = answer
        _done(request, lambda: service(invitation=invitation, by=member, now=timezone.now()), success)
    return redirect("assignments:group", slug, key)


@require_POST
@login_required
def group_leave_view(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _student(request, slug, key)
    _done(request, lambda: group_leave(member=member, assignment=assignment, now=timezone.now()),
          f"You left your group of {assignment.title}.")
    return redirect("assignments:group", slug, key)


@require_POST
@login_required
def group_size_request_view(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _student(request, slug, key)
    group = group_of(member, assignment)
    form = SizeRequestForm(request.POST)
    if group is None:
        messages.error(request, "Invite a classmate first: the course staff approve sizes of groups.")
    elif not form.is_valid():
        messages.error(request, "Say why your group needs another size: the course staff decide from your note.")
    else:
        _done(request, lambda: group_size_request(member=member, group=group, note=form.cleaned_data["note"],
                                                  now=timezone.now()),
              "Your request is sent: the course staff see it on their groups page.")
    return redirect("assignments:group", slug, key)


# --- the staff's page -------------------------------------------------------------------------------------------

def _staff_page(request, member, assignment, status=200, **extra) -> HttpResponse:
    groups = (StudentGroup.objects.filter(assignment=assignment)
              .annotate(handed_in=Exists(Submission.objects.filter(group=OuterRef("pk"))))
              .prefetch_related("members__member__user", "invitations__invited__user"))
    rows = [{"group": g, "members": [p.member for p in g.members.all()],
             "pending": [i for i in g.invitations.all() if i.status == PENDING],
             "size_allowed": g.size_allowed(len(g.members.all()))} for g in groups]
    context = {"course": member.course, "member": member, "assignment": assignment, "rows": rows,
               "alone": students_without_group(assignment), "form_form": GroupFormForm(course=member.course),
               "upload_form": GroupsUploadForm(), "locks_at": assignment.groups_lock_at or assignment.due_at,
               "now": timezone.now(), **extra}
    return render(request, "groups/groups.html", context, status=status)


@login_required
def groups_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _staff(request, slug, key)
    return _staff_page(request, member, assignment)


@require_POST
@login_required
def groups_form_view(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    member, assignment = _staff(request, slug, key)
    form = GroupFormForm(request.POST, course=member.course)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        _done(request, lambda: group_form(assignment=assignment, members=form.cleaned_data["members"],
                                          by=request.user, now=timezone.now(),
                                          approved_size_note=form.cleaned_data["note"]))
    return redirect("assignments:groups", slug, key)


def _staff_group(request, slug, key, group_id) -> tuple[Membership, Assignment, StudentGroup]:
    member, assignment = _staff(request, slug, key)
    return member, assignment, get_object_or_404(StudentGroup, id=group_id, assignment=assignment)


@require_POST
@login_required
def groups_change_view(request: HttpRequest, slug: str, key: str, group_id: int) -> HttpResponse:
    member, _, group = _staff_group(request, slug, key, group_id)
    form = GroupChangeForm(request.POST, course=member.course)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        data = form.cleaned_data
        _done(request, lambda: group_change(group=group, add=data["add"], remove=data["remove"], by=request.user,
                                            now=timezone.now(), why=data["why"]))
    return redirect("assignments:groups", slug, key)


@require_POST
@login_required
def groups_dissolve_view(request: HttpRequest, slug: str, key: str, group_id: int) -> HttpResponse:
    _, _, group = _staff_group(request, slug, key, group_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the group is dissolved: it goes into the course's history.")
    else:
        _done(request, lambda: group_dissolve(group=group, by=request.user, now=timezone.now(),
                                              why=form.cleaned_data["why"]))
    return redirect("assignments:groups", slug, key)


@require_POST
@login_required
def groups_approve_view(request: HttpRequest, slug: str, key: str, group_id: int) -> HttpResponse:
    _, _, group = _staff_group(request, slug, key, group_id)
    form = ApproveSizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this size is allowed: the note goes into the course's history.")
    else:
        _done(request, lambda: group_approve_size(group=group, by=request.user, now=timezone.now(),
                                                  note=form.cleaned_data["note"], size=form.cleaned_data["size"]))
    return redirect("assignments:groups", slug, key)


@require_POST
@login_required
def groups_import_view(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The preview: what the file would form, or its problems; nothing is changed."""
    member, assignment = _staff(request, slug, key)
    form = GroupsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _staff_page(request, member, assignment, status=400, upload_form=form)
    data, filename = form.cleaned_data["file"], request.FILES["file"].name
    try:
        plan = groups_preview(assignment, *parse_groups(data))
    except (GroupsFileError, GroupRefused) as refused:
        form.add_error("file", str(refused))
        return _staff_page(request, member, assignment, status=400, upload_form=form)
    return _staff_page(request, member, assignment, status=400 if plan.problems else 200, upload_form=form,
                       plan=plan, filename=filename, confirm=GroupsConfirmForm.carry(data, filename))


@require_POST
@login_required
def groups_import_apply(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, assignment = _staff(request, slug, key)
    form = GroupsConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("assignments:groups", slug, key)
    filename = form.cleaned_data["filename"]
    try:
        rows, problems = parse_groups(form.cleaned_data["content"])
        done = groups_import(assignment=assignment, rows=rows, problems=problems, by=request.user,
                             now=timezone.now(), filename=filename)
    except GroupsFileError as error:
        messages.error(request, str(error))
    except GroupRefused as refused:
        messages.error(request, " ".join([str(refused), *refused.problems]))
    else:
        messages.success(request, f"{filename}: {len(done)} group(s) formed.")
    return redirect("assignments:groups", slug, key)
