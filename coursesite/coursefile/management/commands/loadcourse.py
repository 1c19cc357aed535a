"""python manage.py loadcourse FILE.toml: create a course from its file, or list how the file differs from it.

A course that is not in the database yet is created at once. For one that is, the command lists every
field the file would overwrite (the database's value, the file's value) and changes nothing unless told
to: --apply, or a yes typed at the prompt when it runs in a terminal.
"""
import sys
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from coursesite.coursefile.spec import CourseFileError, read_course_file
from coursesite.courses.selectors import course_exists
from coursesite.coursefile.services import Changes, CourseChangedMeanwhile, course_load


class Command(BaseCommand):
    help = ("Create a course from a TOML file, or list how the file differs from the course in the database "
            "(changed only with --apply or a yes). A file with problems is refused whole.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--shift-to", type=date.fromisoformat, metavar="YYYY-MM-DD",
                            help="Move every date by whole weeks so that the term starts in that week (demos).")
        parser.add_argument("--demo-password", help="Set this password on the example.org accounts the load creates.")
        parser.add_argument("--apply", action="store_true",
                            help="Overwrite what differs in a course that already exists, without asking.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Never ask: without --apply, only list the differences.")

    def handle(self, *args, file, shift_to, demo_password, apply, interactive=True, **options):
        def run(apply_now: bool, expected: list[str] | None = None):
            return course_load(spec=spec, apply=apply_now, demo_password=demo_password,
                               source=f"loadcourse {file}", expected=expected)

        spec = refused_whole(file, lambda: read_course_file(file, shift_to=shift_to))
        slug = spec.course["slug"]
        if apply or not course_exists(slug):
            _, changes = refused_whole(file, lambda: run(True))
            self.write_changes(changes, file)
            self.stdout.write(self.style.SUCCESS(f"{slug}: {len(changes)} change(s) applied.") if changes
                              else f"{slug}: no changes.")
            return
        _, changes = refused_whole(file, lambda: run(False))
        if not changes:
            self.write_changes(changes, file)
            self.stdout.write(f"{slug}: no changes.")
            return
        self.stdout.write(self.style.WARNING(
            f"{slug} is already in the database and {file} differs from it; loading the file would make "
            f"these {len(changes)} change(s):"))
        self.write_changes(changes, file)
        if interactive and sys.stdin.isatty() and self.agreed(f"Make these {len(changes)} change(s) to {slug}? [y/N] "):
            refused_whole(file, lambda: run(True, expected=list(changes)))
            self.stdout.write(self.style.SUCCESS(f"{slug}: {len(changes)} change(s) applied."))
            return
        self.stdout.write(f"{slug}: nothing was changed. To make these changes, run again with --apply.")

    def write_changes(self, changes: Changes, file: str) -> None:
        for line in changes:
            self.stdout.write(f"  {line}")
        if changes.kept:
            self.stdout.write(self.style.WARNING(
                f"Left as they are (dropped from {file}, or graded or edited by staff); "
                "change them in the admin or on the rubric page:"))
            for line in changes.kept:
                self.stdout.write(self.style.WARNING(f"  {line}"))

    def agreed(self, question: str) -> bool:
        self.stdout.write(question, ending="")
        self.stdout.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")


def refused_whole(file: str, step):
    """Run one step of the load; any problem becomes the command's error, with nothing changed."""
    try:
        return step()
    except CourseFileError as exc:
        raise CommandError(str(exc)) from None
    except ValidationError as exc:
        problems = ("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()) if hasattr(exc, "error_dict")
                    else " ".join(exc.messages))
        raise CommandError(f"{file} was not loaded; nothing was changed: {problems}") from None
    except (ProtectedError, RestrictedError) as exc:
        raise CommandError(f"{file} was not loaded; nothing was changed: {exc.args[0]}") from None
    except CourseChangedMeanwhile as exc:
        raise CommandError(f"{file} was not loaded: {exc}") from None
