"""manage.py bench_similarity: a throwaway course compared twice, then rolled back."""
import re

import pytest
from django.core.management import CommandError, call_command

from coursesite.assignments.models import Submission
from coursesite.courses.models import Course
from coursesite.similarity.models import SimilarityRun

pytestmark = pytest.mark.django_db


def test_the_second_comparison_fingerprints_only_the_new_upload_and_nothing_is_left(capsys, settings, tmp_path):
    call_command("bench_similarity", "--submissions", "20")

    out = capsys.readouterr().out
    assert re.search(r"first comparison: [\d.]+ s \(20 fingerprints computed, \d+ pairs\)", out), out
    assert re.search(r"after one more upload: [\d.]+ s \(1 fingerprint computed, the other 19 read back", out), out
    assert (Course.objects.count(), Submission.objects.count(), SimilarityRun.objects.count()) == (0, 0, 0)


def test_too_few_submissions_is_a_clear_error():
    with pytest.raises(CommandError, match="at least 20"):
        call_command("bench_similarity", "--submissions", "3")
