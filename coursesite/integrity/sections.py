"""Sections that apps above this one add to the course's case list, such as coursesite.similarity's "Code
similarity" (where cases often start). Each registers from its AppConfig.ready(), so this app never imports it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

# course -> (template, its context), or None when the section has nothing to show for the course
Section = Callable[[Any], "tuple[str, dict] | None"]
_sections: list[Section] = []


def register_case_list_section(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def case_list_sections(course) -> list[tuple[str, dict]]:
    return [shown for section in _sections if (shown := section(course)) is not None]
