"""Comparing an assignment's submissions in the site: fingerprints stored once, pairs written once, the archive
of earlier terms, and the worker's sweep that starts a comparison when an assignment closes."""
from datetime import timedelta

import pytest

from coursesite.assignments.models import Submission
from coursesite.similarity.models import ArchivedSubmission, SimilarityRun, SubmissionFingerprint
from coursesite.similarity.services import (
    SimilarityRefused,
    archive_add,
    archive_term_remove,
    similarity_run_claim,
    similarity_run_execute,
    similarity_run_fail,
    similarity_run_request,
    similarity_runs_sweep,
)
from tests.world import DAY, NOW

from .conftest import hand_in, run_now, solution

pytestmark = pytest.mark.django_db


def names(pair) -> set[str]:
    other = pair.b.member.user.username if pair.b_id else f"{pair.b_archived.term}/{pair.b_archived.name}"
    return {pair.a.member.user.username, other}


def test_a_disguised_copy_is_the_one_pair_found(copied):
    run = run_now(copied.coding, copied.member("risteski"))

    assert (run.status, run.submissions, run.archived, run.fingerprinted) == ("done", 3, 0, 3)
    [pair] = run.pairs.all()
    assert names(pair) == {"alice", "bob"}
    assert pair.score > 0.6
    assert pair.matches and {m["a_file"] for m in pair.matches} == {"hw1.py"}


def test_a_second_comparison_reuses_every_stored_fingerprint(copied):
    run_now(copied.coding, copied.member("risteski"))
    stored = dict(SubmissionFingerprint.objects.values_list("submission_id", "computed_at"))

    again = run_now(copied.coding, copied.member("risteski"), now=NOW + timedelta(minutes=5))

    assert again.fingerprinted == 0
    assert dict(SubmissionFingerprint.objects.values_list("submission_id", "computed_at")) == stored
    assert again.pairs.count() == 1


def test_a_new_upload_is_the_only_fingerprint_the_next_comparison_computes(copied):
    run_now(copied.coding, copied.member("risteski"))
    hand_in(copied.member("carol"), copied.coding, solution("alice", seed=1), at=NOW - DAY)

    again = run_now(copied.coding, copied.member("risteski"), now=NOW + timedelta(minutes=5))

    assert (again.submissions, again.fingerprinted) == (3, 1)
    assert [names(p) for p in again.pairs.all()] == [{"alice", "bob"}]


def test_a_submission_without_python_code_is_left_out_with_the_reason(copied):
    hand_in(copied.member("carol"), copied.coding, "not code", name="hw1.txt", at=NOW - DAY)

    run = run_now(copied.coding, copied.member("risteski"))

    assert run.submissions == 2
    assert run.left_out == ["carol: no .py file"]


def test_a_hand_in_that_is_not_python_source_is_left_out_with_the_reason(copied):
    from coursesite.assignments.services import submission_create
    from coursesite.assignments.uploads import CheckedFile, CheckedUpload

    upload = CheckedUpload(files=(CheckedFile("hw1.py", "r\u00e9sum\u00e9 = 1\n".encode("latin-1")),
                                  CheckedFile("README.md", b"# HW1\n")))
    submission_create(member=copied.member("carol"), assignment=copied.coding, upload=upload, now=NOW - DAY)

    run = run_now(copied.coding, copied.member("risteski"))

    assert run.left_out == ["carol: hw1.py: not UTF-8 text, so not Python source the grader could run."]


def test_starter_code_alone_makes_no_pair(course_world):
    w = course_world
    for name in ("alice", "bob", "carol"):
        hand_in(w.member(name), w.coding, solution("starter"))

    assert run_now(w.coding, w.member("risteski")).pairs.count() == 0


def test_a_copy_of_an_earlier_terms_submission_is_paired_with_it(copied):
    w = copied
    archive_add(assignment=w.coding, term="Spring 2020", by=w.member("risteski"), now=NOW,
                submissions={"zoe": {"hw1.py": solution("dave"), "README.md": "none"},
                             "zoe-twin": {"hw1.py": solution("dave", seed=5)}})

    run = run_now(w.coding, w.member("risteski"))

    assert run.archived == 2
    found = sorted(sorted(names(p)) for p in run.pairs.all())
    # Carol's hand-in pairs with both; the two archived ones, alike, are not a pair of this term's.
    assert found == [["Spring 2020/zoe", "carol"], ["Spring 2020/zoe-twin", "carol"], ["alice", "bob"]]
    carol_pair = next(p for p in run.pairs.all() if p.b_archived_id)
    assert carol_pair.a.member.user.username == "carol" and carol_pair.matches[0]["b_file"] == "hw1.py"


def test_a_term_already_in_the_archive_is_refused_not_replaced(course_world):
    w = course_world
    archive_add(assignment=w.coding, term="Spring 2020", by=w.member("risteski"), now=NOW,
                submissions={"zoe": {"hw1.py": "x = 1\n"}})

    with pytest.raises(SimilarityRefused, match=r"Spring 2020 is already in the archive \(1 submission\)\. "
                                                r"Remove it first"):
        archive_add(assignment=w.coding, term="spring  2020", by=w.member("risteski"), now=NOW,
                    submissions={"yan": {"hw1.py": "y = 2\n"}})
    assert list(ArchivedSubmission.objects.values_list("name", flat=True)) == ["zoe"]


def test_removing_a_term_removes_its_submissions_only(course_world):
    w = course_world
    for term in ("Spring 2020", "Fall 2020"):
        archive_add(assignment=w.coding, term=term, by=w.member("risteski"), now=NOW,
                    submissions={"zoe": {"hw1.py": "x = 1\n"}, "yan": {"hw1.py": "y = 1\n"}})

    assert archive_term_remove(assignment=w.coding, term="Spring 2020", by=w.member("risteski")) == 2
    assert set(ArchivedSubmission.objects.values_list("term", flat=True)) == {"Fall 2020"}


def test_a_ta_can_neither_compare_nor_add_to_the_archive(course_world):
    w = course_world
    with pytest.raises(SimilarityRefused, match="instructors and education associate"):
        similarity_run_request(assignment=w.coding, by=w.member("abasu"), now=NOW)
    with pytest.raises(SimilarityRefused, match="instructors and education associate"):
        archive_add(assignment=w.coding, term="S20", by=w.member("abasu"), now=NOW, submissions={"z": {}})


def test_written_work_is_not_compared(course_world):
    with pytest.raises(SimilarityRefused, match="Problem set 1 is not a coding assignment"):
        similarity_run_request(assignment=course_world.pset, by=course_world.member("risteski"), now=NOW)


def test_asking_again_while_a_comparison_waits_is_refused_with_when(copied):
    similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)

    with pytest.raises(SimilarityRefused, match=r"already queued \(asked for at Wed Mar 10, 12:00 PM EST\): its results will "
                                                r"include every submission"):
        similarity_run_request(assignment=copied.coding, by=copied.member("fjeffrey"), now=NOW + timedelta(minutes=1))


def test_a_run_taken_back_meanwhile_writes_no_pairs(copied):
    run = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)
    claimed = similarity_run_claim(run_id=run.id, now=NOW)
    similarity_run_fail(run_id=run.id, problem="stopped", now=NOW)

    assert similarity_run_execute(run=claimed, clock=lambda: NOW) is False
    run.refresh_from_db()
    assert (run.status, run.pairs.count()) == ("failed", 0)


def test_a_run_is_claimed_once(copied):
    run = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)

    assert similarity_run_claim(run_id=run.id, now=NOW) is not None
    assert similarity_run_claim(run_id=run.id, now=NOW) is None


def closes(w):
    return w.coding.closes_at()


def test_the_sweep_compares_an_assignment_once_it_closed_and_only_once(copied, monkeypatch):
    w = copied
    assert similarity_runs_sweep(now=closes(w) - timedelta(seconds=1)) == []

    [queued] = similarity_runs_sweep(now=closes(w) + timedelta(seconds=1))

    run = SimilarityRun.objects.get(id=queued)
    assert (run.requested_by, run.status) == (None, "queued")
    similarity_run_claim(run_id=run.id, now=closes(w))
    similarity_run_execute(run=SimilarityRun.objects.get(id=run.id), clock=lambda: closes(w))
    assert similarity_runs_sweep(now=closes(w) + DAY) == []
    assert SimilarityRun.objects.count() == 1


def test_the_sweep_leaves_an_assignment_staff_compared_after_it_closed(copied):
    w = copied
    run_now(w.coding, w.member("risteski"), now=closes(w) + timedelta(minutes=1))

    assert similarity_runs_sweep(now=closes(w) + timedelta(minutes=2)) == []
    assert SimilarityRun.objects.count() == 1


def test_the_sweep_leaves_an_assignment_nobody_handed_in(course_world):
    assert similarity_runs_sweep(now=closes(course_world) + DAY) == []


def test_the_sweep_sends_again_a_run_whose_message_may_be_lost(copied, monkeypatch):
    from coursesite.similarity import services

    sent = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    run = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)

    assert similarity_runs_sweep(now=NOW + timedelta(minutes=9)) == []
    assert similarity_runs_sweep(now=NOW + timedelta(minutes=11)) == [run.id]
    assert sent == [run.id]


def test_the_sweep_fails_a_run_whose_worker_stopped(copied, settings):
    run = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)
    similarity_run_claim(run_id=run.id, now=NOW)

    similarity_runs_sweep(now=NOW + timedelta(seconds=settings.SIMILARITY_TIME_LIMIT_SECONDS + 61))

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.problem.startswith("The worker running this comparison stopped")


def test_only_active_submissions_are_compared(copied):
    alice = copied.member("alice")
    hand_in(alice, copied.coding, solution("bob"), at=NOW - DAY)     # alice's carol-copy is no longer graded

    run = run_now(copied.coding, copied.member("risteski"))

    assert run.pairs.count() == 0
    assert Submission.objects.filter(member=alice).count() == 2
