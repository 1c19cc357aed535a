"""python manage.py loadroster COURSE FILE.csv [--apply]: the registrar's roster into a course.

Lists what the file changes (students added, updated, dropped, restored) and changes nothing unless told
to with --apply, like loadcourse. A file with bad rows is refused whole, each bad row listed by line.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coursesite.courses.models import Course
from coursesite.grades.services.roster import RosterRefused, roster_apply, roster_preview
from coursesite.people.roster import plan_lines


class Command(BaseCommand):
    help = "List what a registrar's roster CSV changes in a course's students; apply it with --apply."

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's slug, e.g. 10707-s21.")
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true", help="Make the changes listed.")

    def handle(self, *args, course, file, apply, **options):
        course_row = Course.objects.filter(slug=course).first()
        if course_row is None:
            raise CommandError(f"There is no course {course}.")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            if apply:
                applied = roster_apply(course_row, data, by=None, source=f"loadroster {file}",
                                       filename=Path(file).name, now=timezone.now())
                plan, invited = applied.plan, len(applied.new_account_ids)
            else:
                plan, invited = roster_preview(course_row, data).plan, 0
        except RosterRefused as refused:
            raise CommandError("\n".join([f"{file}: {refused}", *(f"  {p}" for p in refused.problems)])) from refused
        if plan.problems:
            raise CommandError("\n".join([f"{file}: {len(plan.problems)} bad row(s), nothing would be applied:",
                                          *(f"  {p}" for p in plan.problems)]))
        for line in plan_lines(plan):
            self.stdout.write(f"  {line}")
        if not plan.changes_anything:
            self.stdout.write(f"{course}: no changes.")
        elif apply:
            sent = f" {invited} new student(s) were sent an invitation to choose a password." if invited else ""
            self.stdout.write(self.style.SUCCESS(f"{course}: applied ({plan.summary()}).{sent}"))
        else:
            self.stdout.write(f"{course}: would apply {plan.summary()}; nothing was changed. "
                              "Run again with --apply to apply.")
