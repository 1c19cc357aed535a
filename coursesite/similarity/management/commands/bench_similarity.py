"""python manage.py bench_similarity: what comparing a class's HW1 hand-ins costs the worker, the first time and
after one late upload (a throwaway course, rolled back afterwards). The benchmark is benchmarks/similarity_site.py."""
from django.core.management.base import BaseCommand

from benchmarks import similarity_site


class Command(BaseCommand):
    help = "Compare a throwaway course's HW1 hand-ins as the worker does (rolled back afterwards); print the times."

    def add_arguments(self, parser):
        parser.add_argument("--submissions", type=int, default=500)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, submissions, seed, **options):
        self.stdout.write(similarity_site.run(count=submissions, seed=seed))
