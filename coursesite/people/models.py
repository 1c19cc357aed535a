"""Who takes part in a course, and in which role."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person with a login. Course roles live on Membership, not here."""

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class MembershipQuerySet(models.QuerySet):
    def students(self, *, include_dropped: bool = False) -> MembershipQuerySet:
        """The course's current students; `include_dropped` adds those the registrar's roster dropped, whose
        records staff still reach (their history, ledger, scores)."""
        students = self.filter(role=Membership.Role.STUDENT)
        return students if include_dropped else students.filter(dropped_at__isnull=True)

    def current(self) -> MembershipQuerySet:
        """Members with access to the course: everyone but dropped students."""
        return self.filter(dropped_at__isnull=True)

    def dropped(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.STUDENT, dropped_at__isnull=False)

    def staff(self) -> MembershipQuerySet:
        return self.filter(role__in=Membership.STAFF_ROLES)


class Membership(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        TA = "ta", "Teaching assistant"
        EDUCATION_ASSOCIATE = "education_associate", "Education associate"
        INSTRUCTOR = "instructor", "Instructor"

    STAFF_ROLES = (Role.TA, Role.EDUCATION_ASSOCIATE, Role.INSTRUCTOR)
    # Course administration (extensions, configuration) is not a TA's job in the seed course.
    ADMIN_ROLES = (Role.EDUCATION_ASSOCIATE, Role.INSTRUCTOR)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    order = models.PositiveIntegerField(default=0, help_text="Position in the syllabus's staff list.")
    section = models.CharField(max_length=16, blank=True, help_text="The registrar's section, e.g. A.")
    dropped_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the registrar's roster stopped listing this student; their records stay, their access ends.")
    # Staff only: the hourly digest of requests waiting for them (coursesite/staffwork).
    digest_opt_out = models.BooleanField(
        default=False, help_text="This member of staff asked for no e-mail digest of the requests waiting for them.")
    digest_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last digest was claimed for sending; at most one an hour.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_membership_per_course"),
            models.CheckConstraint(
                condition=models.Q(role__in=["student", "ta", "education_associate", "instructor"]),
                name="membership_role_known",
            ),
            # A student roster never drops staff; only a student can be dropped.
            models.CheckConstraint(condition=models.Q(dropped_at__isnull=True) | models.Q(role="student"),
                                   name="membership_only_students_dropped"),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.get_role_display()}, {self.course})"

    @property
    def is_dropped(self) -> bool:
        return self.dropped_at is not None

    @property
    def is_staff_role(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def is_course_admin(self) -> bool:
        return self.role in self.ADMIN_ROLES


def viewer_scope(viewer: Membership | User) -> tuple[object, int | None]:
    """(user, course id) of a viewer given as a Membership (that course only) or a User (every course)."""
    if isinstance(viewer, Membership):
        return viewer.user, viewer.course_id
    return viewer, None


def seen_by(viewer: Membership | User, *, own: Q, prefix: str) -> Q | None:
    """Rows a viewer may see: `own` ones, plus every row of the courses the viewer is staff of (`prefix`:
    the lookup to the course's id); None for an anonymous viewer, who sees none."""
    user, course_id = viewer_scope(viewer)
    if not user.is_authenticated:
        return None
    staff_courses = Membership.objects.filter(user=user).staff().values("course_id")
    scope = Q(**{f"{prefix}__in": staff_courses}) | own
    return scope & Q(**{prefix: course_id}) if course_id is not None else scope


class Invitation(models.Model):
    """One invitation e-mail sent to a member: only the latest one's link works (people.invitations)."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    sent_at = models.DateTimeField(help_text="The server's clock when the invitation was queued.")
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                help_text="Empty when a command sent it.")

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["member", "-sent_at"], name="invitation_member_sent")]

    def __str__(self) -> str:
        return f"Invitation of {self.member} at {self.sent_at:%Y-%m-%d %H:%M}"
