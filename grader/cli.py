"""``python -m grader FILE... --spec hw1 [--json]``: grade files on this machine.

Prints one line per test (or Gradescope's results.json with ``--json``). Exit status 0
when graded (whatever the score), 2 when the sandbox is unavailable. The Django
``manage.py autograde`` command wraps the same ``grade`` call.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from .core import grade
from .sandbox import Limits, SandboxUnavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description="Grade a submission in the sandbox.")
    parser.add_argument("files", nargs="+", help="the submitted files (hw1.py README.md), or NAME=PATH to submit "
                                                  "PATH under another name (hw1.py=solutions/mine.py)")
    parser.add_argument("--spec", required=True, help="grading spec, e.g. hw1")
    parser.add_argument("--json", action="store_true", help="print Gradescope's results.json")
    parser.add_argument("--wall-seconds", type=float, default=Limits.wall_seconds, help="time limit of the grading")
    parser.add_argument("--allow-unsandboxed", action="store_true",
                        help="development only: grade without bubblewrap if it is missing")
    args = parser.parse_args(argv)
    limits = dataclasses.replace(Limits(), wall_seconds=args.wall_seconds, allow_unsandboxed=args.allow_unsandboxed)
    files = {}
    for item in args.files:
        name, _, path = item.rpartition("=") if "=" in item else (Path(item).name, "", item)
        files[name] = Path(path).read_bytes()
    try:
        result = grade(args.spec, files, limits)
    except SandboxUnavailable as exc:
        print(f"cannot grade: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_gradescope_json(), sys.stdout, indent=2)
        print()
        return 0
    for note in result.notes:
        print(note)
    for test in result.tests:
        hidden = "" if test.visibility == "visible" else f" [{test.visibility}]"
        print(f"{test.score:6.2f} / {test.max_score:<5g} {test.name}{hidden}")
        if test.output:
            print("".join(f"        {line}\n" for line in test.output.splitlines()), end="")
    print(f"{result.score:g} / {result.max_score:g} points in {result.execution_time:.1f} s")
    return 0
