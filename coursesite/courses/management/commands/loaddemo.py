"""python manage.py loaddemo: the demo course, with its dates moved so the term is under way."""
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from coursesite.people.models import Membership

DEMO_FILE = "courses/10707-s21.toml"
DEMO_PASSWORD = "deeplearning"


class Command(BaseCommand):
    help = "Load the demo course with its term shifted to have started about three weeks ago, and print the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        starts = timezone.localdate() - timedelta(days=20)
        call_command("loadcourse", DEMO_FILE, shift_to=starts, demo_password=DEMO_PASSWORD, stdout=self.stdout)
        self.stdout.write(f"\nThe course site: {url}   (admin: {url}admin/)")
        self.stdout.write(f"Demo accounts, all with the password {DEMO_PASSWORD!r}:")
        members = Membership.objects.filter(course__slug="10707-s21").select_related("user").order_by("order")
        for m in members:
            self.stdout.write(f"  {m.user.username:<14} {m.get_role_display():<22} {m.user.email}")
