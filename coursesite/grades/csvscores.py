"""Reading a file of staff-entered scores: pure rules, no Django.

The file is CSV with commas, one student a line: the student's username or e-mail address, then the
score (``alice,92.5``). A header row is optional. A file with any bad line is refused whole, and the
refusal names every bad line (``line 4: no student 'zed' in this course``), so the person uploading
fixes the file once instead of once per line. Scores above the assignment's maximum are refused
unless the uploader confirmed them. Points are Decimals with at most 2 decimal places.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from coursesite.display import plain_number

BOM = "\ufeff"
CENT = Decimal("0.01")
# The largest score the database holds (7 digits, 2 of them after the point).
LARGEST = Decimal("99999.99")
# Words that mark the first row as a header when they stand in its score column.
HEADER_WORDS = frozenset({"score", "scores", "points", "grade", "grades", "mark", "marks", "total"})

_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")


def parse_points(text: str) -> Decimal:
    """A score as a person types it: ``92``, ``92.5``, ``.5``; at most 2 decimal places, not negative.

    Raises ValueError with a sentence saying what is wrong with `text`.
    """
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"'{cleaned}' is not a number")
    points = Decimal(cleaned)
    if points < 0:
        raise ValueError(f"{cleaned} is negative")
    if points > LARGEST:
        raise ValueError(f"{cleaned} is too large (at most {LARGEST})")
    if points != points.quantize(CENT):
        raise ValueError(f"{cleaned} has more than 2 decimal places")
    return points.copy_abs().quantize(CENT)     # "-0" is 0


@dataclass(frozen=True)
class ScoreLine:
    """One good line of the file."""

    line: int
    identifier: str        # as written in the file
    member_id: int
    points: Decimal


class ScoreFileRefused(ValueError):
    """The file is refused whole; `problems` lists every bad line (or the one problem of the file)."""

    def __init__(self, problems: list[str], *, above_maximum: bool = False):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.above_maximum = above_maximum     # some problems are scores that only need confirming


def _cells(row: list[str]) -> list[str]:
    """The row's cells without surrounding spaces; [] for a row of empty cells."""
    cells = [cell.strip() for cell in row]
    if not any(cells):
        return []
    while len(cells) > 2 and not cells[-1]:
        cells.pop()                           # spreadsheets pad rows with empty cells
    return cells


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 2 and cells[1].lower() in HEADER_WORDS


def parse_score_csv(
    text: str,
    students: Mapping[str, int],
    maximum: Decimal,
    *,
    above_maximum_confirmed: bool = False,
) -> list[ScoreLine]:
    """The scores in `text`, in file order, or ScoreFileRefused listing every bad line.

    `students` maps the identifiers of the course's students to their member ids: usernames as
    they are, e-mail addresses in lower case (an address in the file matches in any case). Staff
    are not in it, so they can't be given scores. A line with a student but an empty score cell is
    left out (that student's score stays as it is), as a blank box on the entry form is.
    """
    if text.startswith(BOM):
        text = text[len(BOM):]
    if not text.strip():
        raise ScoreFileRefused(["The file is empty."])
    problems: list[tuple[int, str]] = []
    found: list[ScoreLine] = []
    seen: dict[int, list[tuple[int, str]]] = defaultdict(list)      # member id -> (line, identifier)
    for index, (line, cells) in enumerate(_rows(text, problems)):
        if index == 0 and _is_header(cells):
            continue
        if len(cells) != 2:
            problems.append((line, f"expected 2 columns (student, score) separated by a comma, found {len(cells)}"))
            continue
        identifier, score = cells
        member_id = students.get(identifier)
        if member_id is None and "@" in identifier:
            member_id = students.get(identifier.lower())
        if member_id is None:
            problems.append((line, f"no student '{identifier}' in this course"))
        else:
            seen[member_id].append((line, identifier))
        if not score:
            continue
        try:
            points = parse_points(score)
        except ValueError as error:
            problems.append((line, str(error)))
            continue
        if member_id is not None:
            found.append(ScoreLine(line, identifier, member_id, points))
    problems += _repeats(seen)
    above = [] if above_maximum_confirmed else [s for s in found if s.points > maximum]
    problems += [
        (s.line, f"{s.identifier}'s score {plain_number(s.points)} is above the maximum of "
                 f"{plain_number(maximum)} points")
        for s in above
    ]
    if problems:
        problems.sort(key=lambda p: p[0])
        raise ScoreFileRefused([f"line {line}: {message}" for line, message in problems], above_maximum=bool(above))
    if not found:
        raise ScoreFileRefused(["The file has no scores in it."])
    return found


def _rows(text: str, problems: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, stripped cells) of each non-blank row; unreadable rows go to `problems`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append((start, f"the line can't be read as CSV ({error})"))
        else:
            cells = _cells(row)
            if cells:
                yield start, cells
        start = reader.line_num + 1


def _repeats(seen: Mapping[int, list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """A problem on every line after the first that names a student already named."""
    problems = []
    for occurrences in seen.values():
        if len(occurrences) < 2:
            continue
        lines = [line for line, _ in occurrences]
        times = "twice" if len(lines) == 2 else f"{len(lines)} times"
        where = ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"
        problems += [(line, f"{identifier} appears {times} (lines {where})") for line, identifier in occurrences[1:]]
    return problems
