"""python manage.py bench_autograder: upload-to-graded latency on the embedded default and on Redis,
the sandbox's overhead, and how fast a burst drains against the ideal. The benchmark is benchmarks/autograder.py.

Nothing of the site is touched: a throwaway folder (SQLite database, media, file-system broker), a
private Redis, and workers of the benchmark's own, all removed at the end.
"""
import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks import autograder as bench
from benchmarks import autograder_child


class Command(BaseCommand):
    help = ("Measure the autograder: median and p95 upload-to-graded time (embedded default and Redis), the "
            "sandbox's overhead, and the drain time of a burst against sandbox CPU time / cores. Throwaway data only.")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=bench.cores(), help="grading workers (default: the cores)")
        parser.add_argument("--samples", type=int, help="sequential uploads per broker (default 30; --quick 5)")
        parser.add_argument("--burst", type=int, help="submissions sent at once (default 200; --quick 20)")
        parser.add_argument("--sandbox-runs", type=int,
                            help="pairs of gradings (with and without the sandbox) for its overhead (default 20; --quick 3)")
        parser.add_argument("--quick", action="store_true", help="smaller default sizes")
        parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite",
                            help="a throwaway SQLite file, or a throwaway database bench_<tag> on the configured "
                                 "PostgreSQL server (dropped at the end)")
        parser.add_argument("--redis", default="auto", metavar="auto|off|URL",
                            help="auto: a private redis-server if installed, else the configured Redis on a queue of "
                                 "the benchmark's own; off: the embedded default only; or a Redis URL")
        # Internal: the same command, run again in the throwaway environment for one broker.
        parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
        parser.add_argument("--child-label", help=argparse.SUPPRESS)
        parser.add_argument("--child-tag", help=argparse.SUPPRESS)

    def handle(self, *args, workers, samples, burst, sandbox_runs, quick, database, redis, child, child_label,
               child_tag, **options):
        sizes = bench.Sizes(
            workers=workers,
            samples=samples if samples is not None else (5 if quick else 30),
            burst=burst if burst is not None else (20 if quick else 200),
            sandbox_runs=sandbox_runs if sandbox_runs is not None else (3 if quick else 20),
        )
        if min(sizes.workers, sizes.samples, sizes.burst, sizes.sandbox_runs) < 1:
            raise CommandError("--workers, --samples, --burst and --sandbox-runs must each be at least 1.")
        if child is not None:
            import json

            self.stdout.write(json.dumps(autograder_child.child(child, child_label, child_tag, sizes)))
            return
        self.stderr.style_func = None                  # progress, not errors
        bench.run(sizes, database=database, redis=redis, out=self.stdout, progress=self.stderr)
