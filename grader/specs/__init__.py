"""Grading specs: an assignment's tests as data plus a few functions.

A spec is a list of ``Case`` rows. Each row names the student function it calls and says,
as data, how many points it is worth, its time budget and whether students see it before
the due date; two small functions do the rest, both on the trusted side:

* ``build(rng) -> Call``: the arguments, made from a ``numpy.random.Generator`` seeded from
  the spec's seed and the case's name (adding a case never changes another's inputs). Data
  the check needs but the student must not see (held-out test rows) goes in ``held_out``.
* ``check(call, answer) -> Verdict``: compare ``answer.value`` (what the function returned,
  rebuilt from raw arrays) with the reference (``nnref``) and return the fraction of the
  points earned and a message the student can act on. The helpers in ``grader.scoring``
  do the comparing and raise ``Mismatch`` with the message when something is off.

A spec's calls are built once per process (``Spec.calls``) and shared by every submission it
grades, so their arrays are read-only, and a check works out the reference answer once with
``call.remember(key, compute)`` instead of on every submission.

A case marked ``per_grading`` is the exception: its call is drawn afresh for every grading
(``Spec.draw_calls``, from entropy ``grader.core`` takes from the operating system), for tests a
submission must not be able to prepare for (HW1's training task). The per-grading calls of one
grading share a ``Call.shared`` dict, so a later check can use what an earlier one found.

Cases shown before the due date come first (checked): the harness runs them in order in one
process, and a hidden case's inputs must not be seen by code whose messages the student reads.

A minimal spec module (``grader/specs/demo.py``, registered in ``SPECS`` below)::

    import nnref
    from grader import scoring
    from grader.specs import Call, Case, Spec, Verdict

    def random_matrix(rng):
        return Call((rng.standard_normal((3, 4)),))

    def same_as_relu(call, answer):
        expected = call.remember("relu", lambda: nnref.relu(*call.args))
        return scoring.compare(answer.value, expected, rtol=1e-6, atol=1e-9)

    SPEC = Spec(
        name="demo", title="Demo", module="hw0", files=("hw0.py",),
        functions={"relu": ("a",)},
        cases=(Case("relu: random (3, 4)", "relu", 2, random_matrix, same_as_relu),),
        seed=1,
    )

Exceptions, timeouts, crashes and missing functions never reach ``check``: ``grader.core``
reports them the same way for every spec. A case's name begins with its function's name and
a colon ("relu: value at 0"), which is how students and staff find the function to fix.
"""

from __future__ import annotations

import functools
import importlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

VISIBLE = "visible"                  # Gradescope's visibility values
AFTER_DUE_DATE = "after_due_date"    # hidden until the due date has passed
HIDDEN = "hidden"                    # never shown to students
AFTER_PUBLISHED = "after_published"  # shown once the grades are published
VISIBILITIES = (VISIBLE, AFTER_DUE_DATE, HIDDEN, AFTER_PUBLISHED)

SPECS = {"hw1": "grader.specs.hw1"}  # spec name -> module that defines SPEC


@dataclass(frozen=True, eq=False)
class Call:
    """The arguments of one call, and trusted data for its check (never sent to the sandbox)."""

    args: tuple
    held_out: object = None
    shared: dict = field(default_factory=dict, repr=False)   # one grading's cases drawn for it share this:
                                                             # a check may read what an earlier one found
    _remembered: dict = field(default_factory=dict, init=False, repr=False)

    def remember(self, key: str, compute: Callable[[], object]) -> object:
        """``compute()`` the first time ``key`` is asked for, the same (read-only) value after that.

        For what depends on the call alone, the reference answers above all: the call is shared
        by every submission the process grades, and the gradient check's centered differences
        cost more than the rest of the scoring together.
        """
        if key not in self._remembered:
            self._remembered[key] = read_only(compute())
        return self._remembered[key]


@dataclass(frozen=True)
class Answer:
    """What the student's function returned, rebuilt from raw arrays: ndarrays, lists,
    tuples, Python numbers and strings, or ``codec.Unsupported`` for anything else."""

    value: object
    mutated: tuple[str, ...] = ()    # argument paths changed in place ("[0][1][0]" is args[0][1][0]),
                                     # and "lists" if the call changed a list it was given


@dataclass(frozen=True)
class Verdict:
    fraction: float                  # of the case's points, in [0, 1]
    message: str = ""                # empty when the answer is fully right

    def __post_init__(self):
        if not 0 <= self.fraction <= 1:
            raise ValueError(f"a verdict's fraction must be in [0, 1], not {self.fraction}")


@dataclass(frozen=True)
class Case:
    name: str                        # "relu: random (3, 4)": begins with the function's name
    function: str                    # the student function called
    points: float
    build: Callable[[np.random.Generator], Call]
    check: Callable[[Call, Answer], Verdict]
    visibility: str = VISIBLE
    seconds: float = 2.0             # time budget of the call in the sandbox
    per_grading: bool = False        # inputs drawn afresh for every grading (``Spec.draw_calls``), not once


@dataclass(frozen=True, eq=False)
class Spec:
    name: str
    title: str
    module: str                      # the student's module, imported from module + ".py"
    files: tuple[str, ...]           # files a submission must include (others are allowed)
    functions: dict[str, tuple[str, ...]]    # function -> parameter names, as in the handout
    cases: tuple[Case, ...]
    seed: int
    import_seconds: float = 5.0      # time budget of importing the module
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self):
        names = [case.name for case in self.cases]
        if len(set(names)) != len(names):
            raise ValueError(f"spec {self.name}: case names must be unique")
        for case in self.cases:
            if case.function not in self.functions:
                raise ValueError(f"spec {self.name}: case {case.name!r} calls unknown function {case.function!r}")
            if not case.name.startswith(case.function + ":"):
                raise ValueError(f"spec {self.name}: case {case.name!r} must begin with {case.function + ':'!r}")
            if case.visibility not in VISIBILITIES:
                raise ValueError(f"spec {self.name}: case {case.name!r} has visibility {case.visibility!r}")
            if case.points <= 0 or case.seconds <= 0:
                raise ValueError(f"spec {self.name}: case {case.name!r} needs positive points and seconds")
        shown = [case.visibility == VISIBLE for case in self.cases]
        if shown != sorted(shown, reverse=True):
            # The harness runs the cases in this order in one process: a case shown before the due date
            # that ran after a hidden one could raise or print the hidden one's inputs to the student.
            raise ValueError(f"spec {self.name}: the visible cases must all come before the hidden ones")

    @property
    def max_score(self) -> float:
        return sum(case.points for case in self.cases)

    def rng(self, case: Case) -> np.random.Generator:
        """The generator that builds ``case``'s inputs: the same for every submission."""
        return np.random.default_rng([self.seed, zlib.crc32(case.name.encode())])

    @functools.cached_property
    def calls(self) -> tuple[Call, ...]:
        """Each case's call, built once and read-only: a check that tried to change the inputs
        every later submission is graded on fails loudly instead."""
        calls = []
        for case in self.cases:
            call = case.build(self.rng(case))
            calls.append(Call(read_only(call.args), read_only(call.held_out)))
        return tuple(calls)


    def draw_calls(self, entropy: int) -> dict[str, Call]:
        """Fresh calls of the ``per_grading`` cases, by case name, for one grading.

        Every such case builds from a generator seeded with ``entropy`` alone, so the cases of one
        grading draw the same task (the same shuffled data set) and differ only in what their
        ``build`` picks after it; they share one ``Call.shared`` dict, checked in the spec's order.
        """
        shared: dict = {}
        calls = {}
        for case in self.cases:
            if case.per_grading:
                call = case.build(np.random.default_rng(entropy))
                calls[case.name] = Call(read_only(call.args), read_only(call.held_out), shared)
        return calls


def read_only(value):
    """``value`` with every NumPy array in it (through lists, tuples and dicts) made read-only."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (list, tuple)):
        for item in value:
            read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_only(item)
    return value


def get_spec(name: str) -> Spec:
    """The spec registered under ``name``; ``KeyError`` naming the known ones otherwise."""
    if name not in SPECS:
        raise KeyError(f"unknown grading spec {name!r}; known: {', '.join(sorted(SPECS))}")
    return importlib.import_module(SPECS[name]).SPEC
