"""The course roster for staff (sign-in unlocking; invitations are sent by audit.views), the welcome page of an
invitation link, and the password reset pages' site-specific parts."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coursesite.people.access import get_course_for_user, require_role, require_staff
from coursesite.people.invitations import invitation_token
from coursesite.people.models import Membership
from coursesite.people.signin import locked_usernames, signin_unlock


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    everyone = (course.memberships.select_related("user").annotate(invited_at=Max("invitations__sent_at"))
                .order_by("role", "user__last_name", "user__first_name"))
    sections = sorted({m.section for m in everyone if m.section})
    section = request.GET.get("section", "")
    if section and section not in sections:
        section = ""        # an unknown section filters nothing rather than showing an empty roster
    members = [m for m in everyone if not section or m.section == section]
    locked = locked_usernames(m.user.username for m in members)
    return render(request, "people/roster.html", {"course": course, "member": member, "members": members,
                                                  "locked": locked, "sections": sections, "section": section})


@require_POST
@login_required
def signin_unlock_view(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """The course's instructors and education associates lift a sign-in lockout of one of its members."""
    course, member = get_course_for_user(request.user, slug)
    require_role(member, *Membership.ADMIN_ROLES)
    locked_out = get_object_or_404(course.memberships.select_related("user"), id=member_id)
    signin_unlock(username=locked_out.user.username, by=request.user)
    messages.success(request, f"{locked_out.user.display_name} can sign in again.")
    return redirect("people:roster", course.slug)


class PasswordResetView(auth_views.PasswordResetView):
    """Links in the email point at settings.SITE_URL, never at the Host header a request claimed."""

    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a sign-in lockout: the link proves
    the person holds the account's mailbox, which the lockout guards against guessing."""

    def form_valid(self, form):
        response = super().form_valid(form)
        signin_unlock(username=form.user.get_username(), by=form.user)
        return response


class InvitationAcceptView(PasswordResetConfirmView):
    """The link of an invitation e-mail: "Welcome to <course>: choose a password", then the course's dashboard,
    signed in. A link that expired, was used or was replaced by a newer invitation says to ask for a new one."""

    template_name = "people/invitation_accept.html"
    token_generator = invitation_token
    post_reset_login = True
    # Named because several backends are configured; the throttle backend only guards password guessing.
    post_reset_login_backend = "coursesite.people.university.PasswordBackend"

    course = None

    def get_user(self, uidb64):
        """The person the link is for, if they belong to the link's course (else the link does not work)."""
        user = super().get_user(uidb64)
        member = (Membership.objects.select_related("course").filter(user=user, course__slug=self.kwargs["slug"])
                  .first() if user is not None else None)
        self.course = member.course if member else None
        return user if member else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(course=self.course, **kwargs)

    def get_success_url(self):
        return reverse("courses:dashboard", args=[self.course.slug])
