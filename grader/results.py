"""The result of grading one submission, and its Gradescope ``results.json`` form.

Scores are floats rounded to 4 places here, because Gradescope's format is JSON numbers;
the gradebook converts them to ``Decimal`` when it stores them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASSED = "passed"
FAILED = "failed"


@dataclass(frozen=True)
class TestResult:
    __test__ = False                    # not a pytest test class, despite the name

    name: str                           # "relu: value at 0 is 0"
    score: float
    max_score: float
    output: str                         # what went wrong, for the student; "" when passed
    visibility: str = "visible"         # Gradescope's: visible, after_due_date, after_published, hidden

    @property
    def status(self) -> str:
        return PASSED if self.score >= self.max_score else FAILED


@dataclass(frozen=True)
class RunSummary:
    """One sandbox run (there is more than one when a crash made the harness start again)."""

    exit_code: int | None
    signal: int | None
    timed_out: bool
    cpu_seconds: float
    wall_seconds: float
    peak_memory_bytes: int


@dataclass(frozen=True)
class GradeResult:
    spec: str
    tests: tuple[TestResult, ...]
    execution_time: float               # seconds, the whole grading
    sandboxed: bool
    notes: tuple[str, ...] = ()         # about the submission as a whole (shown to the student)
    stdout: str = ""                    # what the student's code printed (truncated); feedback only
    stderr: str = ""
    runs: tuple[RunSummary, ...] = field(default=())

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 4)

    def to_gradescope_json(self) -> dict:
        """Gradescope's results.json: score, execution_time, output, stdout_visibility, tests.

        The student's own printed output goes to ``extra_data`` for staff, not to students:
        it can echo the inputs of tests that are hidden until the due date.
        """
        return {
            "score": self.score,
            "execution_time": round(self.execution_time, 2),
            "output": "\n".join(self.notes),
            "stdout_visibility": "hidden",
            "tests": [
                {
                    "name": t.name,
                    "score": t.score,
                    "max_score": t.max_score,
                    "status": t.status,
                    "output": t.output,
                    "visibility": t.visibility,
                }
                for t in self.tests
            ],
            "extra_data": {
                "spec": self.spec,
                "sandboxed": self.sandboxed,
                "stdout": self.stdout,
                "stderr": self.stderr,
                "runs": [asdict(run) for run in self.runs],
            },
        }
