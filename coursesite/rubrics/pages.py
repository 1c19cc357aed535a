"""Which pages of a PDF write-up answer a question: "3-4" or "2, 5", as the instructor writes them on the
rubric or a student at upload ("Which pages answer question 2?"), and where the grading page opens the PDF.

Pure: no Django, no database. Text is stored in the normal form `format_pages` writes ("2-4, 7"), so a
stored value always parses; `parse_pages` refuses anything else with a sentence the writer can act on.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Far past the end of any write-up: a bound on what a range may name when the page count is not known,
# so that "1-999999999" is refused instead of being spelled out page by page.
LAST_POSSIBLE_PAGE = 2000
MAX_TEXT = 100      # the stored normal form's length (the models' max_length)
PART = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


def parse_pages(text: str, page_count: int | None = None) -> list[int]:
    """The pages `text` names, in order, each once: "5, 2-3" -> [2, 3, 5]; "" -> [] (no pages named).

    With `page_count` (the PDF's number of pages) a page past the end is refused too. Raises
    ValueError with the sentence to show beside the field.
    """
    pages: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue                                # "2, 3," or a blank field
        match = PART.fullmatch(part)
        if match is None:
            raise ValueError("Pages are numbers like 2, 3-5.")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if first == 0 or last == 0:
            raise ValueError("Page 0 does not exist: pages start at 1.")
        if last < first:
            raise ValueError(f"“{part}” runs backwards: write it {last}-{first}.")
        end = page_count if page_count is not None else LAST_POSSIBLE_PAGE
        if last > end:
            raise ValueError(past_the_end(last, page_count))
        pages.update(range(first, last + 1))
    if len(format_pages(pages)) > MAX_TEXT:
        raise ValueError("That is too many separate pages: name the pages of the answer, with ranges like 3-5.")
    return sorted(pages)


def past_the_end(page: int, page_count: int | None) -> str:
    if page_count is None:
        return f"Page {page} is past the end of any write-up."
    return f"Page {page} is past the end: the PDF has {page_count} page{'' if page_count == 1 else 's'}."


def format_pages(pages: Iterable[int]) -> str:
    """[2, 3, 4, 7] -> "2-4, 7": runs of pages as ranges, the normal form that is stored and shown."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def normalize_pages(text: str, page_count: int | None = None) -> str:
    """`text` in the normal form ("5,2 - 3" -> "2-3, 5"); ValueError as `parse_pages`."""
    return format_pages(parse_pages(text, page_count))


@dataclass(frozen=True)
class QuestionPlace:
    """Where a question's answer is in a write-up, and who said so: "student", "rubric" or "" (nobody)."""

    pages: tuple[int, ...]
    chosen_by: str

    @property
    def first_page(self) -> int:
        """The page the PDF opens at: the first named, or page 1 when nobody named any."""
        return self.pages[0] if self.pages else 1

    @property
    def text(self) -> str:
        return format_pages(self.pages)


def question_place(student_pages: str, rubric_pages: str) -> QuestionPlace:
    """The student's pages for the question if they chose any, else the rubric's, else none (page 1).

    The student's choice wins: they know where they wrote the answer in their own PDF, the rubric only
    where the handout expects it. A stored value that no longer parses counts as not chosen.
    """
    for text, chosen_by in ((student_pages, "student"), (rubric_pages, "rubric")):
        try:
            pages = parse_pages(text)
        except ValueError:
            continue
        if pages:
            return QuestionPlace(tuple(pages), chosen_by)
    return QuestionPlace((), "")
