"""What a student declared in their README: the collaborators and outside sources that the HW1 template
asks for. A similarity case is judged against these (a pair that named each other is not a pair that hid
it), so the staff page shows them beside the code; a missing or empty answer is "" and the page says it
was not filled in.

The template's lines are ``**Collaborators** (who, and on what; "none" is an answer):  `` followed by the
answer, on the same line or the next ones. Students change the template, so the label is found in its
variants too: without bold, with the colon inside the bold, singular, any case, in a list item, as a
heading. Everything here is linear in the text: a README is the student's, and may be hostile.
"""
import re
from pathlib import PurePosixPath

LABELS = {"Collaborators": "collaborators?", "Outside sources": "outside ?sources?"}
MAX_ANSWER = 2000          # characters: a declaration, not an essay; longer is cut with "…"

_BOLD = r"(?:\*\*|__)?"
_HINT = r"(?: ?\([^)]*\))?"
# A line that gives one of the labels (lines are stripped and their spaces collapsed first, so single
# spaces suffice and no pattern can backtrack over a long run of them). A heading or a label with nothing
# after it may leave out the colon: the answer is then on the lines below.
_LABEL_LINES = {key: re.compile(rf"^(?:[-*+] )?{_BOLD}({label}){_HINT}{_BOLD}{_HINT} ?{_BOLD}"
                                rf"(?::{_BOLD} ?(?P<answer>.*)|)$", re.IGNORECASE)
                for key, label in LABELS.items()}
_HEADING_LINES = {key: re.compile(rf"^#{{1,6}} ?{_BOLD}{label}{_HINT}{_BOLD} ?:?$", re.IGNORECASE)
                  for key, label in LABELS.items()}
# Where an answer stops: another bold label ("**Name:**", "**Outside sources** (...):"), a heading, a
# rule, a code fence. A bold word that is not followed by a colon is part of the answer.
_ANY_LABEL = re.compile(r"^(?:[-*+] )?(?:\*\*[^*]{1,80}:\*\*|\*\*[^*]{1,80}\*\*(?: ?\([^)]*\))? ?:)")
_END = re.compile(r"^(?:#|```|~~~|(?:-{3,}|\*{3,}|_{3,})$)")


def declarations(text: str) -> dict[str, str]:
    """{"Collaborators": ..., "Outside sources": ...}: each answer as written (its lines joined by line
    breaks, markdown's trailing line-break spaces gone), "" where the README leaves it out or empty. Where
    a label appears twice (the template's, then the student's own), the first answer given wins."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    found = {key: "" for key in LABELS}
    for i, line in enumerate(lines):
        key, first = _label(line)
        if key is None or found[key]:
            continue
        answer = [first] if first else []
        for following in lines[i + 1:]:
            if not following or _label(following)[0] or _ANY_LABEL.match(following) or _END.match(following):
                break
            answer.append(following)
        found[key] = _bounded("\n".join(_clean(part) for part in answer).strip())
    return found


def _label(line: str) -> tuple[str | None, str]:
    """The declaration this line labels, and what follows the label on it; (None, "") for another line."""
    for key in LABELS:
        if match := _LABEL_LINES[key].match(line):
            return key, match.group("answer") or ""
        if _HEADING_LINES[key].match(line):
            return key, ""
    return None, ""


def _clean(part: str) -> str:
    """One line of an answer without markdown's line breaks (a trailing backslash or <br>), or the end of
    bold that wrapped the whole label line ("**Collaborators: none**")."""
    part = re.sub(r"(?:\\|<br ?/?>)$", "", part, flags=re.IGNORECASE).strip()
    return part[:-2].strip() if part.endswith("**") and part.count("**") % 2 else part


def _bounded(answer: str) -> str:
    return answer if len(answer) <= MAX_ANSWER else answer[:MAX_ANSWER - 1] + "…"


def is_readme(path: str) -> bool:
    """A README, as students name it: README.md, readme.txt, README, README_hw1.md... (any case)."""
    name = PurePosixPath(path).name
    return name.upper().startswith("README") and PurePosixPath(name).suffix.lower() in ("", ".md", ".txt")


def readme_of(files: dict[str, str]) -> str | None:
    """The README of a submission (path inside it -> text), None if it has none. The handout asks for a
    README.md next to hw1.py; failing that the shallowest README wins, README.md before README.txt before
    README before other README names, so a submission zipped inside its own folder still has one."""
    preference = ["readme.md", "readme.txt", "readme"]

    def rank(path: str):
        name = PurePosixPath(path).name.lower()
        return path.count("/"), preference.index(name) if name in preference else len(preference), path

    readmes = sorted((path for path in files if is_readme(path)), key=rank)
    return files[readmes[0]] if readmes else None
