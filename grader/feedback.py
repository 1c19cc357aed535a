"""Bounds on the feedback the trusted side builds from what the sandbox wrote.

A record's strings (an exception's message and traceback, a type name, a detail) are the student's
to choose, whatever the harness would have written: a forged record can carry megabytes. So every
string taken from a record is cut here before it becomes part of a message, each test's message is
held to a size, and the messages of one result together to another: a result, and the page that
shows it, stay a few hundred kilobytes however the channel was abused.
"""

from __future__ import annotations

MAX_FIELD = 2000                # characters of one string taken from a record (the harness keeps 2000 too)
MAX_TRACEBACK_LINES = 10        # the harness keeps the innermost 10 of the student's frames
MAX_TRACEBACK_LINE = 300
MAX_TEST_OUTPUT = 4000          # characters of one test's message
MAX_RESULT_OUTPUT = 64_000      # characters of all the tests' messages of one result together


def bounded(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with a note of how much was cut."""
    if len(text) <= limit:
        return text
    note = f" … ({len(text) - limit} more characters not shown)"
    return text[: max(limit - len(note), 0)] + note


def field(value: object, limit: int = MAX_FIELD) -> str:
    """A string from an untrusted record, for a message: anything else becomes its type's name."""
    return bounded(value if isinstance(value, str) else type(value).__name__, limit)


def traceback_lines(frames: object) -> list[str]:
    """The traceback lines of a record, as many and as long as an honest harness sends."""
    if not isinstance(frames, list):
        return []
    lines = [line for line in frames if isinstance(line, str)][-MAX_TRACEBACK_LINES:]
    return [bounded(line, MAX_TRACEBACK_LINE) for line in lines]


def within_budget(outputs: list[str]) -> list[str]:
    """Each message held to MAX_TEST_OUTPUT, and all of them together to MAX_RESULT_OUTPUT: once the
    budget is spent, the messages after it are cut short (each still says what failed first)."""
    kept, left = [], MAX_RESULT_OUTPUT
    for output in outputs:
        output = bounded(output, min(MAX_TEST_OUTPUT, max(left, 200)))
        left -= len(output)
        kept.append(output)
    return kept
