"""python manage.py loadcourse FILE.toml: create or update a course from its file."""
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from coursesite.courses.coursefile import CourseFileError, read_course_file
from coursesite.courses.services import course_load


class Command(BaseCommand):
    help = "Create or update a course from a TOML file. A file with problems is refused whole."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--shift-to", type=date.fromisoformat, metavar="YYYY-MM-DD",
                            help="Move every date by whole weeks so that the term starts in that week (demos).")
        parser.add_argument("--demo-password", help="Set this password on the file's example.org accounts.")

    def handle(self, *args, file, shift_to, demo_password, **options):
        try:
            spec = read_course_file(file, shift_to=shift_to)
            course, changes = course_load(spec=spec, demo_password=demo_password, source=f"loadcourse {file}")
        except CourseFileError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()) if hasattr(exc, "error_dict") else " ".join(exc.messages)
            raise CommandError(f"{file} was not loaded; nothing was changed: {problems}") from None
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(f"{file} was not loaded; nothing was changed: {exc.args[0]}") from None
        for line in changes:
            self.stdout.write(f"  {line}")
        if changes.kept:
            self.stdout.write(self.style.WARNING(f"Not in {file} but kept; change or delete them in the admin:"))
            for line in changes.kept:
                self.stdout.write(self.style.WARNING(f"  {line}"))
        if changes:
            self.stdout.write(self.style.SUCCESS(f"{course.slug}: {len(changes)} change(s) applied."))
        else:
            self.stdout.write(f"{course.slug}: no changes.")
