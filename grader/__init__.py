"""The autograder's core: grading specs, the sandbox, the in-sandbox harness, scoring, results.

No Django here (DESIGN.md, "The three parts"): ``grade(spec_name, files, limits)`` is called
alike by the Celery task, the ``autograde`` management command, ``python -m grader`` and the
tests. Student code only ever runs inside the sandbox; this side never imports it.
"""

from .core import grade
from .results import GradeResult, TestResult
from .sandbox import Limits, SandboxUnavailable

__all__ = ["grade", "GradeResult", "TestResult", "Limits", "SandboxUnavailable"]
