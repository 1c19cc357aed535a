"""The handout of a coding assignment: the files in ``handouts/<autograder spec>/`` (starter code,
README template, self-check), offered to everyone in the course once the assignment is released."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from coursesite.assignments.models import Assignment

HANDOUTS_DIR = Path(settings.BASE_DIR) / "handouts"


def handout_files(assignment: Assignment) -> list[str]:
    """The handout's file names, sorted; none for work without an autograder spec."""
    if not assignment.autograder_spec:
        return []
    folder = HANDOUTS_DIR / assignment.autograder_spec
    if folder.parent != HANDOUTS_DIR or not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file() and not entry.name.startswith("."))


def handout_path(assignment: Assignment, name: str) -> Path | None:
    """The file ``name`` of the assignment's handout, or None: only names the folder lists (no paths)."""
    if name not in handout_files(assignment):
        return None
    return HANDOUTS_DIR / assignment.autograder_spec / name
