"""python manage.py bench_gradebook: how long the gradebook takes to render for a full course (a throwaway
one, rolled back afterwards). The benchmark is benchmarks/gradebook.py."""
from django.core.management.base import BaseCommand

from benchmarks import gradebook


class Command(BaseCommand):
    help = "Render the gradebook for a throwaway course (rolled back afterwards) and print its median render time."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=400)
        parser.add_argument("--items", type=int, default=12, help="Assignments and exams (3 exams from 4 items up).")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, students, items, runs, **options):
        self.stdout.write(gradebook.run(students=students, items=items, runs=runs))
