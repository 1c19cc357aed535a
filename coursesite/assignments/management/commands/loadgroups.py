"""python manage.py loadgroups COURSE ASSIGNMENT FILE.csv [--apply]: groups from a CSV (group,username).

Lists the groups the file would form and changes nothing unless told to with --apply, like loadroster. A file
with a problem is refused whole, each problem listed by line. The groups go through the same service as the
staff's import page, and into the course's history made by "loadgroups FILE".
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coursesite.assignments.groups import GroupRefused
from coursesite.assignments.groups_staff import groups_import, groups_preview
from coursesite.assignments.groupsfile import GroupsFileError, parse_groups
from coursesite.assignments.models import Assignment


class Command(BaseCommand):
    help = "List the groups a CSV (group,username) would form for an assignment; form them with --apply."

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's slug, e.g. 10707-s21.")
        parser.add_argument("assignment", help="The assignment's key, e.g. project-proposal.")
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true", help="Form the groups listed.")

    def handle(self, *args, course, assignment, file, apply, **options):
        target = Assignment.objects.filter(course__slug=course, key=assignment).select_related("course").first()
        if target is None:
            raise CommandError(f"There is no assignment {assignment} in a course {course}.")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            rows, problems = parse_groups(data)
            plan = groups_preview(target, rows, problems)
            if plan.problems:
                raise GroupRefused(f"{len(plan.problems)} problem(s), nothing would be formed:", tuple(plan.problems))
            if apply:
                groups_import(assignment=target, rows=rows, problems=problems, by=None, now=timezone.now(),
                              filename=Path(file).name, source=f"loadgroups {file}")
        except (GroupsFileError, GroupRefused) as refused:
            raise CommandError("\n".join([f"{file}: {refused}", *(f"  {p}" for p in getattr(refused, "problems", ()))])
                               ) from refused
        for group in plan.groups:
            sized = " (another size: forming it approves it)" if group.needs_approval else ""
            work = f" (takes over the work {group.takes_work_of} handed in alone)" if group.takes_work_of else ""
            self.stdout.write(f"  {group.label}: {', '.join(m.user.username for m in group.members)}{sized}{work}")
        if apply:
            self.stdout.write(self.style.SUCCESS(f"{target.title}: {len(plan.groups)} group(s) formed."))
        else:
            self.stdout.write(f"{target.title}: would form {len(plan.groups)} group(s); nothing was changed. "
                              "Run again with --apply to form them.")
