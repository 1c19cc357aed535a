"""python manage.py bench_roster: how long a registrar's roster takes to import, and in how many queries (a
throwaway course, rolled back afterwards). The benchmark is benchmarks/roster.py."""
from django.core.management.base import BaseCommand

from benchmarks import roster


class Command(BaseCommand):
    help = "Import a generated roster three times into a throwaway course (rolled back); print time and queries."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=400)
        parser.add_argument("--churn", type=int, default=20, help="Students dropped and added by the third import.")

    def handle(self, *args, students, churn, **options):
        for line in roster.run(students=students, churn=churn):
            self.stdout.write(line)
