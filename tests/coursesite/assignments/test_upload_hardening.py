"""The PDF check bounded in CPU time, and refused uploads counted toward the upload rate limit."""
import resource
import time

import pytest

from coursesite.assignments.models import RefusedUpload, Submission
from coursesite.assignments.uploads import pdf_problem
from tests.coursesite.assignments.support import post_upload, text_of
from tests.pdfs import minimal_pdf
from tests.pdfs_slow import slow_pdf

SLOW = ("We could not read “slow.pdf” within 2 s: it may be damaged or built to be slow to read. "
        "Export it again as a PDF (from LaTeX, or your editor's “Save as PDF”) and upload that.")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_pdf_built_to_be_slow_is_refused_after_2_s_of_cpu():
    content = slow_pdf()
    cpu_before, started = children_cpu_seconds(), time.monotonic()

    problem = pdf_problem(content, "“slow.pdf”")

    cpu, wall = children_cpu_seconds() - cpu_before, time.monotonic() - started
    assert problem == SLOW
    assert cpu <= 3.2, cpu        # the CPU limit (2 s) stops it; on a very busy machine the wall bound may first
    print(f"slow PDF ({len(content) / 1e6:.1f} MB) refused after {cpu:.2f} s CPU, {wall:.2f} s wall")


def test_a_good_pdf_is_still_read_in_the_bounded_check():
    assert pdf_problem(minimal_pdf(), "“ok.pdf”") is None


@pytest.mark.django_db
def test_the_student_sees_the_slow_pdf_message_and_nothing_is_stored(alice_client, pset):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post_upload(alice_client, pset, [SimpleUploadedFile("slow.pdf", slow_pdf())])

    assert response.status_code == 400
    assert SLOW in text_of(response)
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_refused_uploads_count_toward_the_rate_limit_and_stop_the_checks(alice_client, pset, alice, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SUBMISSION_RATE_LIMIT = (3, 600)
    for _ in range(3):
        refused = post_upload(alice_client, pset, [SimpleUploadedFile("notes.pdf", b"not a pdf")])
        assert "“notes.pdf” is not a PDF file." in text_of(refused)

    started = time.monotonic()
    fourth = post_upload(alice_client, pset, [SimpleUploadedFile("slow.pdf", slow_pdf())])

    assert time.monotonic() - started < 1.5          # refused before the PDF is read
    assert ("You have uploaded (refused uploads included) 3 times in the last 10 minutes; "
            "you can submit again at Wed Feb 10, 12:10:00 PM EST.") in text_of(fourth)
    assert RefusedUpload.objects.filter(member=alice).count() == 3
    good = post_upload(alice_client, pset, [SimpleUploadedFile("writeup.pdf", minimal_pdf())])
    assert good.status_code == 400 and not Submission.objects.exists()
