"""The registrar's roster as rules: read its CSV, and say what it changes in a course's membership.

No Django and no database: the writer (grades/services/roster.py) hands in what the course holds now
(`Current`), these functions say what the file changes (`RosterPlan`), and the writer applies exactly that.
A file with any bad row is refused whole, every problem listed with its line number.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Column names as registrars and spreadsheets spell them, compared without case, spaces, dashes or underscores.
ALIASES = {
    "username": ("andrewid", "username", "user", "userid", "login", "id"),
    "first_name": ("firstname", "first", "givenname", "preferredname"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "email": ("email", "emailaddress", "mail"),
    "section": ("section", "sect", "sec", "lecturesection"),
}
REQUIRED = ("username", "email")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,149}$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
SECTION = re.compile(r"^[A-Z0-9]{1,8}$")
MAX_BYTES = 2_000_000


class RosterError(ValueError):
    """The file as a whole cannot be read (not a CSV, no header we know)."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    first_name: str
    last_name: str
    email: str
    section: str


@dataclass(frozen=True)
class Current:
    """What the site holds for a username now: its account, and its membership of the course if any."""

    username: str
    first_name: str
    last_name: str
    email: str
    role: str = ""                  # "" : an account that is not a member of the course
    section: str = ""
    dropped: bool = False

    @property
    def is_student(self) -> bool:
        return self.role == "student"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field} {self.old or '(none)'} → {self.new or '(none)'}"


@dataclass(frozen=True)
class Update:
    row: RosterRow
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class RosterPlan:
    added: tuple[RosterRow, ...] = ()           # new members (new accounts unless `existing_accounts` names them)
    existing_accounts: frozenset[str] = frozenset()
    updated: tuple[Update, ...] = ()            # current students whose name, e-mail or section changes
    restored: tuple[Update, ...] = ()           # dropped students back on the roster (with any changes)
    dropped: tuple[Current, ...] = ()           # current students the file no longer lists
    staff_listed: tuple[RosterRow, ...] = ()    # staff on a student roster: reported, never changed
    problems: tuple[str, ...] = ()

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated or self.restored or self.dropped)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated), "dropped": len(self.dropped),
                "restored": len(self.restored)}

    def summary(self) -> str:
        return ", ".join(f"{n} {what}" for what, n in self.counts().items())


@dataclass
class _Parsed:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name.strip().lower())


def decode(data: bytes) -> str:
    """The file's text: UTF-8 with or without Excel's BOM, else Windows-1252 (Excel's "CSV" on Windows)."""
    if len(data) > MAX_BYTES:
        raise RosterError(f"The file is {len(data):,} bytes; a roster is at most {MAX_BYTES:,}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_roster(data: bytes) -> tuple[list[RosterRow], list[str]]:
    """The rows of a registrar's CSV and the problems of its bad rows ("line 4: no e-mail")."""
    text = decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise RosterError("The file is empty: a roster starts with a header line (Andrew ID, First Name, ...).")
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for target, aliases in ALIASES.items():
            if _key(name) in aliases and target not in columns:
                columns[target] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RosterError(
            f"The header has no {' and no '.join(m.replace('_', ' ') for m in missing)} column "
            f"(it reads: {', '.join(h.strip() for h in header)}); expected e.g. Andrew ID, First Name, Last Name, "
            "Email, Section.")
    parsed = _Parsed()
    seen: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""
        row = RosterRow(line=line, username=cell("username").lower(), first_name=cell("first_name"),
                        last_name=cell("last_name"), email=cell("email").lower(), section=cell("section").upper())
        problems = _row_problems(row, seen, seen_email)
        parsed.problems.extend(f"line {line}: {p}" for p in problems)
        if not problems:
            parsed.rows.append(row)
        seen.setdefault(row.username, line)
        seen_email.setdefault(row.email, line)
    return parsed.rows, parsed.problems


def _row_problems(row: RosterRow, seen: Mapping[str, int], seen_email: Mapping[str, int]) -> list[str]:
    problems = []
    if not row.username:
        problems.append("no Andrew ID (username)")
    elif not USERNAME.match(row.username):
        problems.append(f"“{row.username}” is not an Andrew ID (letters, digits, . _ - only)")
    elif row.username in seen:
        problems.append(f"{row.username} is listed twice (also on line {seen[row.username]})")
    if not row.email:
        problems.append("no e-mail")
    elif not EMAIL.match(row.email):
        problems.append(f"“{row.email}” is not an e-mail address")
    elif row.email in seen_email:
        problems.append(f"the e-mail {row.email} is listed twice (also on line {seen_email[row.email]})")
    if row.section and not SECTION.match(row.section):
        problems.append(f"the section “{row.section}” is not a section name (up to 8 letters and digits, e.g. A)")
    return problems


def plan_roster(rows: Iterable[RosterRow], current: Mapping[str, Current], email_owners: Mapping[str, str],
                students: Iterable[Current], problems: Iterable[str] = ()) -> RosterPlan:
    """What applying `rows` changes. `current`: the site's accounts by username, for the file's usernames;
    `email_owners`: the file's e-mails that an account already has -> that account's username; `students`: the
    course's students now (dropped ones too), whom a row missing from the file drops."""
    problems = list(problems)
    added, updated, restored, staff = [], [], [], []
    existing = set()
    listed = set()
    for row in rows:
        listed.add(row.username)
        owner = email_owners.get(row.email)
        if owner is not None and owner != row.username:
            problems.append(f"line {row.line}: the e-mail {row.email} belongs to another account ({owner})")
            continue
        now = current.get(row.username)
        if now is None or not now.role:
            added.append(row)
            if now is not None:
                existing.add(row.username)
        elif not now.is_student:
            staff.append(row)
        else:
            changes = tuple(Change(name, getattr(now, name), getattr(row, name))
                            for name in ("first_name", "last_name", "email", "section")
                            if getattr(now, name) != getattr(row, name))
            if now.dropped:
                restored.append(Update(row, changes))
            elif changes:
                updated.append(Update(row, changes))
    dropped = tuple(sorted((s for s in students if s.is_student and not s.dropped and s.username not in listed),
                           key=lambda s: s.username))
    if problems:
        return RosterPlan(problems=tuple(sorted(problems, key=_line_number)))
    return RosterPlan(added=tuple(added), existing_accounts=frozenset(existing), updated=tuple(updated),
                      restored=tuple(restored), dropped=dropped, staff_listed=tuple(staff))


def _line_number(problem: str) -> int:
    match = re.match(r"line (\d+)", problem)
    return int(match.group(1)) if match else 0


def fingerprint(data: bytes, students: Iterable[Current]) -> str:
    """The file and the course's roster as they were previewed: applying checks both are still the same."""
    digest = hashlib.sha256(hashlib.sha256(data).digest())
    for s in sorted(students, key=lambda s: s.username):
        digest.update(repr((s.username, s.first_name, s.last_name, s.email, s.role, s.section, s.dropped)).encode())
    return digest.hexdigest()


def plan_lines(plan: RosterPlan) -> list[str]:
    """The plan in words, one change a line, as the command prints it and the page lists it."""
    lines = [f"add {r.username} ({_name(r)}, {r.email}, section {r.section or '-'})"
             + (" (account exists)" if r.username in plan.existing_accounts else "") for r in plan.added]
    lines += [f"update {u.row.username}: " + "; ".join(map(str, u.changes)) for u in plan.updated]
    lines += [f"restore {u.row.username}" + (": " + "; ".join(map(str, u.changes)) if u.changes else "")
              for u in plan.restored]
    lines += [f"drop {s.username} ({_name(s)}): records kept, access ends" for s in plan.dropped]
    lines += [f"line {r.line}: {r.username} is on the course's staff: left as is" for r in plan.staff_listed]
    return lines


def _name(person: RosterRow | Current) -> str:
    return f"{person.first_name} {person.last_name}".strip() or person.username
