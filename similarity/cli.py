"""``python -m similarity PATH... [--starter FILE] [--json] [--threshold X]``, and the same through
``python manage.py similarity``: the pairs of submissions above the threshold, most similar first."""
import argparse
import json
import sys
from pathlib import Path

from similarity.compare import MAX_PAIRS, THRESHOLD, Pair, compare
from similarity.fingerprint import fingerprint, starter_hashes
from similarity.inputs import InputError, read_source, read_submission, submission_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="A folder holding one submission, or a submission's .py file; at least two.")
    parser.add_argument("--starter", action="append", default=[], metavar="FILE",
                        help="The handout's starter code, subtracted from every submission (may be repeated).")
    parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
    parser.add_argument("--threshold", type=float, default=THRESHOLD,
                        help=f"Hide pairs scoring below this, between 0 and 1 (default {THRESHOLD}).")
    parser.add_argument("--limit", type=int, default=MAX_PAIRS,
                        help=f"Show at most this many pairs, the most similar (default {MAX_PAIRS}).")


def run(paths: list[str], starter: list[str], threshold: float, as_json: bool,
        limit: int = MAX_PAIRS) -> tuple[list[Pair], str]:
    """The pairs and the text to print; InputError for input the command cannot use."""
    if not 0 <= threshold <= 1:
        raise InputError(f"--threshold {threshold}: give a number between 0 and 1.")
    if limit < 1:
        raise InputError(f"--limit {limit}: give a number of pairs, 1 or more.")
    names = [submission_name(Path(p)) for p in paths]
    if len(set(names)) < len(names):
        raise InputError("The same submission is given twice.")
    if len(names) < 2:
        raise InputError("Give at least two submissions to compare.")
    for path in starter:
        if not Path(path).is_file():
            raise InputError(f"--starter {path}: no such file.")
    boilerplate = starter_hashes([read_source(Path(s)) for s in starter]) if starter else None
    fingerprints = {name: fingerprint(read_submission(Path(name)), boilerplate) for name in names}
    pairs = compare(fingerprints, threshold=threshold, limit=limit)
    if as_json:
        return pairs, json.dumps({"pairs": [p.to_json() for p in pairs]}, indent=2)
    text = render(pairs)
    if len(pairs) == limit:
        text += f"\nOnly the {limit} most similar pairs are shown: raise --threshold or --limit to see more."
    return pairs, text


def render(pairs: list[Pair]) -> str:
    if not pairs:
        return "No pair of submissions is above the threshold."
    lines = []
    for pair in pairs:
        lines.append(f"{pair.score:.2f}  {pair.a}  {pair.b}  ({pair.shared} shared fingerprints)")
        for m in pair.matches:
            lines.append(f"      {_where(pair.a, m.a_file, m.a_lines)} ~ {_where(pair.b, m.b_file, m.b_lines)}")
    return "\n".join(lines)


def _where(submission: str, file: str, lines: tuple[int, int]) -> str:
    # A folder's files are named inside it; a one-file submission is its own path.
    place = f"{submission}/{file}" if Path(submission).is_dir() else submission
    return f"{place}:{lines[0]}-{lines[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m similarity", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        _, text = run(args.paths, args.starter, args.threshold, args.json, args.limit)
    except InputError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    try:
        print(text)
    except BrokenPipeError:                 # `| head`: the reader has what it wanted
        sys.stdout = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
