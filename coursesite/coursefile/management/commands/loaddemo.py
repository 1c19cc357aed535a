"""python manage.py loaddemo: the demo course, with its dates moved so the term is under way.

Only into a database that does not have it yet: serve.sh runs this on every start, and a restart is
not a decision to move due dates, reset passwords or undo what staff edited. --reset reloads it
through loadcourse, which lists what would change and waits for --apply or a yes.
"""
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coursesite.coursefile.demo import demo_groups_form
from coursesite.coursefile.spec import CourseFileError, read_course_file
from coursesite.courses.models import Course
from coursesite.courses.selectors import course_exists
from coursesite.people.models import Membership

DEMO_FILE = "courses/10707-s21.toml"
DEMO_PASSWORD = "deeplearning"


class Command(BaseCommand):
    help = ("Load the demo course, its term shifted to have started about three weeks ago, into a database "
            "that does not have it yet; print the accounts.")

    def add_arguments(self, parser):
        parser.add_argument("--url", help="The site's address to print (default: the SITE_URL setting).")
        parser.add_argument("--reset", action="store_true",
                            help="Reload the demo course that is already there (lists what would change first).")
        parser.add_argument("--apply", action="store_true", help="With --reset: make the changes without asking.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Never ask: without --apply, --reset only lists the differences.")

    def handle(self, *args, url, reset, apply, interactive=True, **options):
        try:
            slug = read_course_file(DEMO_FILE).course["slug"]
        except CourseFileError as exc:
            raise CommandError(str(exc)) from None
        already = course_exists(slug)
        if already and not reset:
            self.stdout.write(f"The demo course {slug} is already in the database: nothing was changed (its dates, "
                              f"scores, grading and passwords stay as they are). To reload it from {DEMO_FILE}, "
                              "run `manage.py loaddemo --reset`, which lists what it would change first.")
        else:
            starts = timezone.localdate() - timedelta(days=20)
            call_command("loadcourse", DEMO_FILE, shift_to=starts, demo_password=DEMO_PASSWORD, apply=apply,
                         interactive=interactive, stdout=self.stdout)
            course = Course.objects.filter(slug=slug).first()
            if course is not None and (apply or not already):
                # The demo students' project groups; milestones that have groups already keep theirs.
                for line in demo_groups_form(course, now=timezone.now(), source="loaddemo"):
                    self.stdout.write(f"  {line}")
        url = (url or settings.SITE_URL).rstrip("/") + "/"
        self.stdout.write(f"\nThe course site: {url}   (admin: {url}admin/)")
        if already:
            self.stdout.write(f"Demo accounts (the password {DEMO_PASSWORD!r} unless it was changed since):")
        else:
            self.stdout.write(f"Demo accounts, all with the password {DEMO_PASSWORD!r}:")
        members = Membership.objects.filter(course__slug=slug).select_related("user").order_by("order")
        for m in members:
            self.stdout.write(f"  {m.user.username:<14} {m.get_role_display():<22} {m.user.email}")
