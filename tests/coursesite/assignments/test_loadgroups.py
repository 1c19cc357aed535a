"""manage.py loadgroups: groups from a CSV, listed first, formed with --apply, all or nothing."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coursesite.assignments.models import StudentGroup
from coursesite.audit.models import AuditEntry
from tests.coursesite.assignments.groups_support import project  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def loadgroups(path, *args):
    out = StringIO()
    call_command("loadgroups", "10707-s21", "project-proposal", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv(tmp_path):
    def write(text: str):
        path = tmp_path / "groups.csv"
        path.write_bytes(text.encode())
        return path
    return write


def test_without_apply_it_lists_the_groups_and_forms_none(alice, bob, project, csv):
    out = loadgroups(csv("group,username\ng1,alice\ng1,bob\n"))

    assert "  g1: alice, bob\n" in out
    assert "would form 1 group(s); nothing was changed" in out
    assert StudentGroup.objects.count() == 0


def test_with_apply_it_forms_them_in_the_history_as_the_command(alice, bob, project, csv):
    path = csv("group,username\ng1,alice\ng1,bob\n")

    out = loadgroups(path, "--apply")

    assert "Project proposal: 1 group(s) formed." in out
    assert AuditEntry.objects.get(kind=AuditEntry.Kind.GROUP).source == f"loadgroups {path}"


def test_a_file_with_a_problem_is_refused_whole(alice, bob, project, csv):
    with pytest.raises(CommandError, match="1 problem\\(s\\), nothing would be formed:\n  line 4: alice is listed "
                                           "twice \\(first on line 2\\)"):
        loadgroups(csv("group,username\ng1,alice\ng1,bob\ng2,alice\n"), "--apply")

    assert StudentGroup.objects.count() == 0


def test_an_unknown_assignment_is_refused(course, tmp_path):
    with pytest.raises(CommandError, match="There is no assignment project-proposal in a course 10707-s21."):
        loadgroups(tmp_path / "x.csv")
