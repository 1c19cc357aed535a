"""python manage.py loaddemo_students: a crowd of demo students (400 by default) in the demo course, with the work a
class that size has three weeks in, for walking and timing the staff's pages (coursefile.crowd says what is made).

Students that exist already are skipped, so running it again adds nothing. Grading jobs are not queued unless
--grade is given: each coding hand-in otherwise gets a recorded autograder result.
"""
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coursesite.coursefile.crowd import crowd_load, crowd_usernames
from coursesite.coursefile.management.commands.loaddemo import DEMO_PASSWORD
from coursesite.courses.models import Course


class Command(BaseCommand):
    help = ("Add demo students s001..sNNN (password 'deeplearning') to the demo course, with hand-ins, grading, "
            "regrade and extension requests up to today. Load the course first with `manage.py loaddemo`.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=400, help="How many students (default 400).")
        parser.add_argument("--course", default="10707-s21", help="The course's slug (default 10707-s21).")
        parser.add_argument("--seed", type=int, default=0, help="Seeds the names and everyone's choices (default 0).")
        parser.add_argument("--grade", action="store_true",
                            help="Queue a grading job for each coding hand-in, for the worker to run in the sandbox "
                                 "(default: none queued; each gets a recorded autograder result).")

    def handle(self, *args, count, course, seed, grade, verbosity=1, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        found = Course.objects.filter(slug=course).first()
        if found is None:
            raise CommandError(f"There is no course {course}: load the demo course first with `manage.py loaddemo`.")
        # The services log a line per hand-in, grade and request: thousands here; -v 2 shows them.
        site_log = logging.getLogger("coursesite")
        level = site_log.level
        if verbosity < 2:
            site_log.setLevel(logging.WARNING)
        started = time.perf_counter()
        try:
            crowd = crowd_load(course=found, count=count, seed=seed, password=DEMO_PASSWORD, now=timezone.now(),
                               grade=grade)
        finally:
            site_log.setLevel(level)
        took = time.perf_counter() - started
        names = crowd_usernames(count)
        span = f"{names[0]}..{names[-1]}"
        if crowd.skipped:
            self.stdout.write(f"{crowd.skipped} of the students {span} exist already: skipped, with their work.")
        if not crowd.students:
            self.stdout.write("Nothing was added.")
            return
        self.stdout.write(f"Added {len(crowd.students)} students to {found.slug} (sections A-D), in {took:.1f} s:")
        for line in crowd.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Log in as any of {count} students {span}, password {DEMO_PASSWORD!r}.")
