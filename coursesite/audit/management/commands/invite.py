"""manage.py invite COURSE [--all-without-password | USERNAME...]: e-mail invitations to choose a password."""
from django.core.management.base import BaseCommand, CommandError

from coursesite.audit.invitations import InvitationRefused, invitation_refusal, invite_after_commit
from coursesite.people.models import Membership


class Command(BaseCommand):
    help = ("Send students of COURSE (its slug) the e-mail that lets them choose a password: the USERNAMEs given, "
            "or every student with an e-mail address and no password yet. A resent invitation replaces the old link.")

    def add_arguments(self, parser):
        parser.add_argument("course", help="the course's slug, e.g. 10707-s21")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("usernames", nargs="*", default=[], metavar="USERNAME")
        who.add_argument("--all-without-password", action="store_true",
                         help="every student with an e-mail address who has not chosen a password yet")

    def handle(self, *args, course: str, usernames: list[str], all_without_password: bool, **options):
        students = Membership.objects.filter(course__slug=course).students().select_related("user", "course")
        if not Membership.objects.filter(course__slug=course).exists():
            raise CommandError(f"No course {course!r} with members.")
        if all_without_password:
            chosen = [m for m in students.order_by("user__username") if not invitation_refusal(m)]
            skipped = students.filter(user__email="").order_by("user__username")
            for member in skipped:
                self.stderr.write(f"Skipped {member.user.username}: no e-mail address.")
        else:
            found = {m.user.username: m for m in students.filter(user__username__in=usernames)}
            unknown = [name for name in usernames if name not in found]
            if unknown:
                raise CommandError(f"Not students of {course}: {', '.join(unknown)}.")
            chosen = [found[name] for name in usernames]
        if not chosen:
            self.stdout.write("Nobody to invite.")
            return
        try:
            invite_after_commit([m.id for m in chosen], by=None, source=f"manage.py invite {course}")
        except InvitationRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Invited {len(chosen)}: {', '.join(m.user.username for m in chosen)}.")
