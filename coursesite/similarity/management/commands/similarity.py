"""python manage.py similarity PATH... [--starter FILE] [--json] [--threshold X]: the pairs of submissions
that share code, most similar first. The work is similarity/cli.py's (also `python -m similarity`)."""
from django.core.management.base import BaseCommand, CommandError

from similarity import cli
from similarity.inputs import InputError


class Command(BaseCommand):
    help = "Compare submissions (folders or .py files) and print the pairs above the threshold, most similar first."

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, paths, starter, json, threshold, limit, **options):
        try:
            _, text = cli.run(paths, starter, threshold, json, limit)
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(text)
