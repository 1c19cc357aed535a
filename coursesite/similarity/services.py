"""The only writers of code similarity: asking for a comparison, running it, the worker's sweep that starts one
when a coding assignment closes, and the archive of earlier terms.

A comparison (`SimilarityRun`) is queued, claimed by one worker (compare-and-set), and finished once: its pairs
and counts are written in one transaction by the attempt that still holds it. Fingerprints are computed the
first time a run meets a submission (or an archived one) and stored, so the next run, after a late upload,
fingerprints only what is new and compares from the stored rest (about 3 s for 500 HW1 submissions, against
15 to 20 s to fingerprint them all).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from kombu.exceptions import KombuError

from coursesite.assignments.handouts import handout_files, handout_path
from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.storedfiles import StoredFileChanged, submission_files_read
from coursesite.assignments.uploads import UploadLimits
from coursesite.display import in_course_time, plural
from coursesite.people.models import Membership
from coursesite.similarity.models import ArchivedSubmission, SimilarityRun, SimilarPair, SubmissionFingerprint
from similarity.compare import compare
from similarity.fingerprint import Fingerprint, fingerprint, starter_digest, starter_hashes
from similarity.inputs import InputError, python_source

log = logging.getLogger(__name__)
R = SimilarityRun.Status
RESEND_AFTER = timedelta(minutes=10)    # a queued run's message may be lost (broker down as it was sent)


class SimilarityRefused(ValidationError):
    """The step can't be taken; the message says why, for the staff member who tried."""

    def __str__(self) -> str:
        return self.message


def enqueue(run_id: int) -> None:
    # Sent by name: the task module imports this one, so the import goes one way only.
    current_app.send_task("similarity.compare_submissions", args=[run_id])


def similarity_run_request(*, assignment: Assignment, by: Membership | None, now: datetime) -> SimilarityRun | None:
    """Queue a comparison of the assignment's active submissions (and its archive); sent after the commit.

    `by` None is the worker's own run once the assignment closed: at most one per assignment (None when
    another worker queued it first). A run already queued or running is refused: it will compare them.
    """
    if assignment.kind != Assignment.Kind.CODING:
        raise SimilarityRefused(f"{assignment.title} is not a coding assignment: only code is compared.")
    if by is not None and (by.course_id != assignment.course_id or not by.is_course_admin):
        raise SimilarityRefused("Only the course's instructors and education associate compare submissions.")
    pending = assignment.similarity_runs.filter(status__in=[R.QUEUED, R.RUNNING]).first()
    if pending is not None:
        if by is None:
            return None
        raise SimilarityRefused(f"A comparison of {assignment.title} is already {pending.get_status_display().lower()} "
                                f"(asked for at {_clock(pending.requested_at, assignment)}): its results will "
                                f"include every submission made so far.")
    try:
        with transaction.atomic():
            run = SimilarityRun.objects.create(assignment=assignment, requested_by=by.user if by else None,
                                               requested_at=now, sent_at=now)
    except IntegrityError:
        if by is None:
            return None         # another worker's sweep queued it, or it was queued meanwhile
        raise SimilarityRefused(f"A comparison of {assignment.title} was just asked for: its results will "
                                f"include every submission made so far.") from None

    def send_similarity_run() -> None:  # not a partial: Django names a failing robust hook by its __qualname__
        enqueue(run.id)

    transaction.on_commit(send_similarity_run, robust=True)
    log.info("similarity run %s of %s queued by %s", run.id, assignment, by.user.username if by else "the sweep")
    return run


def _clock(moment: datetime, assignment: Assignment) -> str:
    return in_course_time(moment, assignment.course)


def similarity_run_claim(*, run_id: int, now: datetime) -> SimilarityRun | None:
    """QUEUED -> RUNNING for this worker; None when it is running elsewhere or finished."""
    if not SimilarityRun.objects.filter(id=run_id, status=R.QUEUED).update(status=R.RUNNING, started_at=now):
        return None
    return SimilarityRun.objects.select_related("assignment__course").get(id=run_id)


def similarity_run_fail(*, run_id: int, problem: str, now: datetime) -> bool:
    return bool(SimilarityRun.objects.filter(id=run_id, status__in=[R.QUEUED, R.RUNNING])
                .update(status=R.FAILED, problem=problem, finished_at=now))


def assignment_starter(assignment: Assignment):
    """Every k-gram hash of the .py files of the assignment's handout: what all students were given."""
    sources = [handout_path(assignment, name).read_text(encoding="utf-8", errors="replace")
               for name in handout_files(assignment) if name.endswith(".py")]
    return starter_hashes(sources)


def code_of(files: dict[str, bytes]) -> tuple[dict[str, str], str]:
    """The .py files of a submission as text, and why it can't be compared ("" if it can)."""
    code = {}
    for name, data in files.items():
        if not name.endswith(".py"):
            continue
        try:
            code[name] = python_source(data)
        except InputError as refused:
            return {}, f"{name}: {refused}"
    return code, ("" if code else "no .py file")


def similarity_run_execute(*, run: SimilarityRun, clock: Callable[[], datetime]) -> bool:
    """Fingerprint what is not yet, compare, and write the pairs once. False if the run was no longer this
    attempt's when it finished (then nothing is written)."""
    assignment = run.assignment
    starter = assignment_starter(assignment)
    digest = starter_digest(starter)
    prints: dict[str, Fingerprint] = {}
    left_out, computed = [], 0
    limits = UploadLimits.from_settings()
    active = (Submission.objects.filter(assignment=assignment, is_active=True)
              .select_related("fingerprint", "member__user", "group"))
    for submission in active:
        stored = getattr(submission, "fingerprint", None)
        if stored is None or stored.starter != digest:
            stored, computed = _fingerprint_submission(submission, starter, limits, clock()), computed + 1
        if stored.problem:
            left_out.append(f"{_handin_name(submission)}: {stored.problem}")
        else:
            prints[f"s{submission.id}"] = Fingerprint.from_bytes(bytes(stored.data))
    this_term = set(prints)
    archived = 0
    for entry in assignment.archived_submissions.all():
        if entry.fingerprint is None or entry.starter != digest:
            code = {path: text for path, text in entry.files().items() if path.endswith(".py")}
            entry.fingerprint, entry.starter = fingerprint(code, starter).to_bytes(), digest
            entry.save(update_fields=["fingerprint", "starter"])
            computed += 1
        prints[f"a{entry.id}"] = Fingerprint.from_bytes(bytes(entry.fingerprint))
        archived += 1
    pairs = compare(prints, involving=this_term)
    rows = [_pair_row(run, pair) for pair in pairs]
    with transaction.atomic():
        done = SimilarityRun.objects.filter(id=run.id, status=R.RUNNING, started_at=run.started_at).update(
            status=R.DONE, finished_at=clock(), submissions=len(this_term), archived=archived,
            fingerprinted=computed, left_out=left_out)
        if done:
            SimilarPair.objects.bulk_create(rows)
    log.info("similarity run %s: %s submissions, %s archived, %s fingerprinted, %s pairs", run.id, len(this_term),
             archived, computed, len(rows))
    return bool(done)


def _handin_name(submission: Submission) -> str:
    if submission.group_id:
        return "group of " + " and ".join(m.user.username for m in submission.students())
    return submission.member.user.username


def _fingerprint_submission(submission: Submission, starter, limits: UploadLimits, now: datetime):
    """Fingerprint one submission and store it (or why it can't be compared). A storage that can't be
    reached raises StoredFileUnreadable: that is the machine's trouble, and the run fails to be tried again."""
    try:
        code, problem = code_of(submission_files_read(submission, limits))
    except StoredFileChanged as changed:
        code, problem = {}, f"its files in storage are not what was uploaded ({changed})"[:300]
    data = fingerprint(code, starter) if code else None
    stored, _ = SubmissionFingerprint.objects.update_or_create(
        submission=submission, defaults={"starter": data.starter if data else "",
                                         "data": data.to_bytes() if data else b"",
                                         "problem": problem[:300], "computed_at": now})
    return stored


def _pair_row(run: SimilarityRun, pair) -> SimilarPair:
    """This term's submission on side a; matches read from a's side, so they swap when the pair's a is archived."""
    a, b, matches = pair.a, pair.b, [m.to_json() for m in pair.matches]
    if a.startswith("a"):
        a, b = b, a
        matches = [{"a_file": m["b_file"], "a_lines": m["b_lines"], "b_file": m["a_file"], "b_lines": m["a_lines"]}
                   for m in matches]
    score = Decimal(str(round(pair.score, 4)))
    other = {"b_id": int(b[1:])} if b.startswith("s") else {"b_archived_id": int(b[1:])}
    return SimilarPair(run=run, a_id=int(a[1:]), score=score, shared=pair.shared, matches=matches, **other)


def similarity_runs_sweep(*, now: datetime) -> list[int]:
    """The worker's round (every few seconds, from each worker): queue the comparison of every coding
    assignment that closed since (none asked for after its closing time yet), send again the runs whose
    message may be lost, and fail the runs whose worker stopped. Returns the runs it queued or sent."""
    sent = []
    automatic = SimilarityRun.objects.filter(assignment=OuterRef("pk"), requested_by__isnull=True)
    closed = (Assignment.objects.filter(kind=Assignment.Kind.CODING, due_at__lt=now).exclude(Exists(automatic))
              .filter(Exists(Submission.objects.filter(assignment=OuterRef("pk"), is_active=True)))
              .select_related("course"))
    for assignment in closed:
        closes = assignment.closes_at()
        if closes <= now and not assignment.similarity_runs.filter(requested_at__gte=closes).exists():
            run = similarity_run_request(assignment=assignment, by=None, now=now)
            sent += [run.id] if run else []
    for run_id, sent_at in SimilarityRun.objects.filter(status=R.QUEUED, sent_at__lt=now - RESEND_AFTER).values_list(
            "id", "sent_at"):
        if SimilarityRun.objects.filter(id=run_id, status=R.QUEUED, sent_at=sent_at).update(sent_at=now):
            try:
                enqueue(run_id)
            except (KombuError, OSError) as exc:
                SimilarityRun.objects.filter(id=run_id, sent_at=now).update(sent_at=sent_at)
                log.warning("sweep could not send similarity run %s (%s); the next sweep tries again", run_id, exc)
                break
            sent.append(run_id)
    stopped = now - timedelta(seconds=settings.SIMILARITY_TIME_LIMIT_SECONDS + 60)
    for run_id in SimilarityRun.objects.filter(status=R.RUNNING, started_at__lt=stopped).values_list("id", flat=True):
        similarity_run_fail(run_id=run_id, now=now, problem="The worker running this comparison stopped (killed or "
                            "restarted) before it finished. The fingerprints it computed are kept: compare again.")
    return sent


@transaction.atomic
def archive_add(*, assignment: Assignment, term: str, submissions: dict[str, dict[str, str]], by: Membership,
                now: datetime) -> int:
    """Add an earlier term's submissions (folder name -> its files as text) to the assignment's archive; the
    next comparison fingerprints them. A term already in the archive is refused, never merged or replaced."""
    if by.course_id != assignment.course_id or not by.is_course_admin:
        raise SimilarityRefused("Only the course's instructors and education associate add to the archive.")
    if assignment.kind != Assignment.Kind.CODING:
        raise SimilarityRefused(f"{assignment.title} is not a coding assignment: only code is compared.")
    term = " ".join(term.split())
    if not term:
        raise SimilarityRefused('Name the term these submissions come from, e.g. "Spring 2020".')
    existing = list(assignment.archived_submissions.filter(term__iexact=term).values_list("term", flat=True))
    if existing:
        raise SimilarityRefused(f"{existing[0]} is already in the archive ({plural(len(existing), 'submission')}). "
                                f"Remove it first to upload it again.")
    if not submissions:
        raise SimilarityRefused("The archive holds no submission to add.")
    ArchivedSubmission.objects.bulk_create(
        ArchivedSubmission(assignment=assignment, term=term, name=name, sources=ArchivedSubmission.pack(files),
                           uploaded_by=by.user, uploaded_at=now) for name, files in sorted(submissions.items()))
    log.info("%s added %s submissions of %s to the archive of %s", by.user.username, len(submissions), term, assignment)
    return len(submissions)


@transaction.atomic
def archive_term_remove(*, assignment: Assignment, term: str, by: Membership) -> int:
    """Remove one term from the archive, with the pairs earlier runs found with it."""
    if by.course_id != assignment.course_id or not by.is_course_admin:
        raise SimilarityRefused("Only the course's instructors and education associate change the archive.")
    _, removed_by_model = assignment.archived_submissions.filter(term=term).delete()
    removed = removed_by_model.get(ArchivedSubmission._meta.label, 0)
    if not removed:
        raise SimilarityRefused(f"{term} is not in the archive of {assignment.title}.")
    return removed

