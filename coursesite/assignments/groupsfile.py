"""A CSV of groups, as staff write it: one line per student, `group,username`, the group a free label.

Pure (no database): the lines and the problems of the bad ones ("line 3: carol is listed twice"), for
groups_staff.groups_preview and groups_import to check against the course and apply all or nothing.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

MAX_BYTES = 1_000_000
HEADER = {"group": {"group", "team", "groupname", "label"},
          "username": {"username", "andrewid", "andrew", "user", "student", "login"}}
EXAMPLE = "group,username\ng1,alice\ng1,bob\ng2,carol"


class GroupsFileError(ValueError):
    """The file as a whole cannot be read (empty, too large, no header)."""


@dataclass(frozen=True)
class GroupRow:
    line: int
    group: str          # the file's label, e.g. "g1" or "Team Rocket"
    username: str       # lower case, as the site's usernames are


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name.strip().lower())


def decode(data: bytes) -> str:
    """UTF-8 with or without Excel's BOM, else Windows-1252."""
    if len(data) > MAX_BYTES:
        raise GroupsFileError(f"The file is {len(data):,} bytes; a groups file is at most {MAX_BYTES:,}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_groups(data: bytes) -> tuple[list[GroupRow], list[str]]:
    """The good lines of the file and the problems of the bad ones, each naming its line."""
    text = decode(data)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise GroupsFileError(f"The file is empty: it starts with the header line group,username, e.g.\n{EXAMPLE}")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    while not any(cell.strip() for cell in header):
        header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for target, aliases in HEADER.items():
            if _key(name) in aliases and target not in columns:
                columns[target] = index
    missing = [name for name in HEADER if name not in columns]
    if missing:
        raise GroupsFileError(f"The header has no {' and no '.join(missing)} column (it reads: "
                              f"{', '.join(h.strip() for h in header)}); it should be group,username.")
    rows: list[GroupRow] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str) -> str:
            index = columns[name]
            return cells[index].strip() if index < len(cells) else ""

        row = GroupRow(line=line, group=cell("group"), username=cell("username").lower())
        if not row.username:
            problems.append(f"line {line}: no username")
        elif not row.group:
            problems.append(f"line {line}: {row.username} has no group")
        elif row.username in first_line:
            problems.append(f"line {line}: {row.username} is listed twice (first on line {first_line[row.username]})")
        else:
            rows.append(row)
        if row.username:
            first_line.setdefault(row.username, line)
    return rows, problems


def grouped(rows: list[GroupRow]) -> dict[str, list[GroupRow]]:
    """The rows by group label, in the file's order."""
    groups: dict[str, list[GroupRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return groups
