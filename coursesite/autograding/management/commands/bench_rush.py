"""python manage.py bench_rush: the hour before a deadline on gunicorn + PostgreSQL + Redis + grading workers,
with simulated students signing in, uploading HW1 and polling their feedback. The benchmark is
benchmarks/rush.py; throwaway database, media and Redis only, all removed at the end."""
import argparse
import json

from django.core.management.base import BaseCommand, CommandError

from benchmarks import rush


class Command(BaseCommand):
    help = ("Simulate a deadline rush: N students sign in, open the assignment, upload HW1 (correct, buggy and hostile "
            "files) and poll their feedback; print page, upload and feedback latencies, the drain rate, errors "
            "and whether every submission was graded exactly once. Needs PostgreSQL (DATABASE_URL) and redis-server.")

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=300)
        parser.add_argument("--workers", type=int, default=2, help="grading workers (default 2)")
        parser.add_argument("--web-workers", type=int,
                            help="gunicorn worker processes (default: deploy/gunicorn.conf.py's, 2 x cores + 1)")
        parser.add_argument("--minutes", type=float, default=3, help="the students arrive evenly over this time")
        parser.add_argument("--buggy", type=int, default=25, help="percent of uploads with a bug (default 25)")
        parser.add_argument("--hostile", type=int, default=5, help="percent of hostile uploads (default 5)")
        parser.add_argument("--chaos", action="store_true",
                            help="kill a grading worker and Redis mid-run; every submission must still be graded once")
        parser.add_argument("--child-setup", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--child-report", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--child-tag", help=argparse.SUPPRESS)

    def handle(self, *args, students, workers, web_workers, minutes, buggy, hostile, chaos, child_setup, child_report,
               child_tag, **options):
        if child_setup is not None:
            self.stdout.write(json.dumps(rush.child_setup(child_setup, child_tag)))
            return
        if child_report:
            self.stdout.write(json.dumps(rush.child_report(child_tag)))
            return
        if min(students, workers, web_workers or 1) < 1 or minutes <= 0 or not 0 <= buggy + hostile <= 100:
            raise CommandError("--students, --workers and --web-workers must be at least 1, --minutes above 0, "
                               "and --buggy + --hostile at most 100.")
        plan = rush.Plan(students=students, workers=workers, web_workers=web_workers, arrive_within=minutes * 60,
                         buggy_percent=buggy, hostile_percent=hostile, chaos=chaos)
        self.stderr.style_func = None
        try:
            rush.run(plan, out=self.stdout, progress=self.stderr)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
