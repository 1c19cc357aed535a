"""The two hand-ins of a pair as the pair page shows them: each file's lines, numbered, with the matched
regions marked. Each match keeps its number on both sides (and a colour chosen from it), so a reader follows
"3" from one column to the other; a line inside several matches takes the colour of the first.

Only the .py files (what was compared) and the README (what the student declared) are shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from similarity.readme import is_readme

COLOURS = 8         # site.css has .match-0 ... .match-7


@dataclass(frozen=True)
class Region:
    """One side of a numbered match: a file and its first and last line (1-based, inclusive)."""
    number: int
    file: str
    first: int
    last: int

    @property
    def lines(self) -> str:
        return lines_in_words(self.first, self.last)


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    matches: tuple[int, ...] = ()   # the matches covering the line
    starts: tuple[int, ...] = ()    # the matches whose region starts here (their anchors are on this line)

    @property
    def match(self) -> int | None:
        """The match whose colour the line takes: the first covering it."""
        return self.matches[0] if self.matches else None

    @property
    def colour(self) -> int | None:
        return None if self.match is None else (self.match - 1) % COLOURS

    @property
    def start_colour(self) -> int | None:
        return (self.starts[0] - 1) % COLOURS if self.starts else None


@dataclass(frozen=True)
class ShownFile:
    index: int                      # in anchors: file names may hold anything
    name: str
    lines: list[Line]
    matched: bool


@dataclass(frozen=True)
class MatchLink:
    """A line of the list of matches above the columns: "3. hw1.py 12–30 ↔ hw1.py 40–58"."""
    number: int
    a: Region
    b: Region

    @property
    def colour(self) -> int:
        return (self.number - 1) % COLOURS


def lines_in_words(first: int, last: int) -> str:
    """"12–30", or "12" for a region of one line."""
    return str(first) if first == last else f"{first}–{last}"


def match_links(matches: list[dict]) -> list[MatchLink]:
    return [MatchLink(a.number, a, b) for a, b in zip(regions_of(matches, "a"), regions_of(matches, "b"))]


def regions_of(matches: list[dict], side: str) -> list[Region]:
    """The regions of one side ("a" or "b") of a SimilarPair's matches, numbered from 1 in their order."""
    return [Region(number, m[f"{side}_file"], *m[f"{side}_lines"]) for number, m in enumerate(matches, start=1)]


def shown_files(files: dict[str, str], regions: list[Region]) -> list[ShownFile]:
    """The .py files (by name) then the README of a hand-in, each line with the match it is in."""
    names = sorted(name for name in files if name.endswith(".py")) + sorted(
        name for name in files if is_readme(name) and not name.endswith(".py"))
    shown = []
    for index, name in enumerate(names):
        mine = [region for region in regions if region.file == name]
        lines = []
        for number, text in enumerate(files[name].splitlines() or [""], start=1):
            inside = [region.number for region in mine if region.first <= number <= region.last]
            starts = tuple(region.number for region in mine if region.first == number)
            lines.append(Line(number, text, tuple(inside), starts))
        shown.append(ShownFile(index, name, lines, bool(mine)))
    return shown
