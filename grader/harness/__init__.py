"""Code that runs INSIDE the sandbox. Nothing here may import the rest of ``grader``.

The folder is bound read-only at ``/harness`` in the sandbox, so it holds only what may be
shown to a student: ``launch.py`` (drops privileges, then runs the given code), ``run.py``
(imports the submission and calls its functions) and ``codec.py`` (nested values to arrays
and back, shared with the trusted side). No scores are computed here.
"""
