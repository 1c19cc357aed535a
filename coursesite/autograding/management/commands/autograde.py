"""python manage.py autograde SPEC FILE... [--json]: grade local files with the same core as the site."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grader.core import SandboxUnavailable, grade
from grader.sandbox import Limits


class Command(BaseCommand):
    help = "Grade local files against a grading spec (e.g. hw1), exactly as the site's workers do."

    def add_arguments(self, parser):
        parser.add_argument("spec", help="grading spec name, e.g. hw1")
        parser.add_argument("files", nargs="+", help="the files a student would hand in, or NAME=PATH to hand in "
                                                      "PATH under another name (hw1.py=broken.py)")
        parser.add_argument("--json", action="store_true", help="print Gradescope-shaped results.json")

    def handle(self, *args, spec, files, json: bool = False, **options):
        contents = {}
        for item in files:
            name, _, given = item.rpartition("=") if "=" in item else (Path(item).name, "", item)
            path = Path(given)
            if not path.is_file():
                raise CommandError(f"{given}: no such file")
            contents[name] = path.read_bytes()
        try:
            result = grade(spec, contents, Limits(**settings.GRADER_LIMITS))
        except SandboxUnavailable as exc:
            raise CommandError(str(exc)) from None
        except KeyError as exc:
            raise CommandError(f"unknown grading spec {spec!r}") from exc
        report = result.to_gradescope_json()
        if json:
            self.stdout.write(_json_dumps(report))
            return
        # The submission-wide message (hw1.py does not import, a file is missing) comes first,
        # once; the tests it stopped only point to it.
        for line in report["output"].splitlines():
            self.stdout.write(line)
        for test in report["tests"]:
            mark = "ok  " if test.get("status") == "passed" else "FAIL"
            self.stdout.write(f"{mark} {test['score']:>6g}/{test['max_score']:<6g} {test['name']}")
            if test.get("output") and test.get("status") != "passed":
                for line in str(test["output"]).splitlines():
                    self.stdout.write(f"            {line}")
        self.stdout.write(f"score: {report['score']:g} / {sum(t['max_score'] for t in report['tests']):g}")


def _json_dumps(report: dict) -> str:
    return json.dumps(report, indent=2)
