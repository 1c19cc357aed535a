"""manage.py bench_rush end to end with a handful of students and the chaos on: every figure printed,
every submission graded exactly once, no errors, and nothing left behind (no throwaway database, no
gunicorn or worker). CI only (set CI=1), on PostgreSQL: it takes about a minute."""
import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.coursesite.autograding.test_bench_command import processes_mentioning

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("CI"), reason="slow (a minute: gunicorn, workers, a sandbox, Redis): "
                       "the rush runs end to end in CI only; set CI=1 to run it here"),
]

FIGURE = r"p50 +\d+\.\d{3} s +p95 +\d+\.\d{3} s +p99 +\d+\.\d{3} s +\(n=\d+\)"


def test_a_small_rush_with_chaos_grades_everyone_once_and_leaves_nothing(bubblewrap):
    if connection.vendor != "postgresql":
        pytest.skip("bench_rush runs on PostgreSQL (DATABASE_URL); the suite runs on SQLite")
    out = StringIO()
    call_command("bench_rush", "--students", "8", "--minutes", "0.2", "--chaos", stdout=out, stderr=StringIO())
    text = out.getvalue()
    for label in ("pages (login, assignment)", "sign-in (password check)", "upload", "feedback poll",
                  "upload to feedback (student)", "upload to graded (server)"):
        assert re.search(rf"^  {re.escape(label)} +{FIGURE}$", text, re.MULTILINE), (label, text)
    assert "worker rush0 killed (SIGKILL, with its sandbox)" in text
    assert "Redis killed: every queued message lost" in text
    assert "graded: 8 of 8 submissions" in text, text
    assert "exactly once: yes" in text, text
    assert "errors: 0" in text, text
    assert not processes_mentioning("rush0@") and not processes_mentioning("deploy/gunicorn.conf.py")
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%%'")
        assert cursor.fetchall() == []
