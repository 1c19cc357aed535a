"""The site's comparison benchmark (``manage.py bench_similarity``, a thin entry point into this module): what a
comparison of a whole class costs the worker, the first time and after one late upload.

Builds a throwaway course with one HW1 coding assignment and `count` hand-ins (the submissions of
``python -m similarity.bench``: the four corpus solutions, their disguised copies, synthetic HW1 files), stored
through the upload service in a temporary media folder, inside a transaction that is always rolled back. Then it
runs the comparison as the worker's task does (``similarity_run_execute``): once with nothing stored (every
fingerprint computed), once more after one student uploads again (one fingerprint computed, the rest read back
from the database). Prints the time of each, the process's peak memory and the pairs found. Nothing is left behind.
"""
import resource
import secrets
import shutil
import tempfile
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.courses.models import Course, GradingCategory
from coursesite.people.models import Membership, User
from coursesite.similarity.services import similarity_run_claim, similarity_run_execute, similarity_run_request
from similarity.bench import submissions

README = b"# HW1\n\n**Collaborators** (who, and on what): none\n**Outside sources** (links, books): none\n"


class RolledBack(Exception):
    """Raised at the end of the run so that the transaction holding the throwaway course rolls back."""


def run(*, count: int, seed: int = 0) -> str:
    if count < 20:
        raise CommandError("--submissions must be at least 20.")
    media = tempfile.mkdtemp(prefix="bench-similarity-")
    try:
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            lines = measure(count, seed)
            raise RolledBack
    except RolledBack:
        pass
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return "\n".join(lines)


def measure(count: int, seed: int) -> list[str]:
    now = timezone.now()
    hw1, admin, members, sources = build_course(count, seed, now)
    started = time.perf_counter()
    first = compare(hw1, admin, now + timedelta(seconds=1))
    after_first = time.perf_counter()
    upload(members[0], hw1, sources[-1], now + timedelta(seconds=2))      # a late upload: another student's code
    second = compare(hw1, admin, now + timedelta(seconds=3))
    after_second = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        f"{count} HW1 hand-ins compared as the worker does (stored in the database and the media folder)",
        f"first comparison: {after_first - started:.2f} s ({first.fingerprinted} fingerprints computed, "
        f"{first.pairs.count()} pairs)",
        f"after one more upload: {after_second - after_first:.2f} s ({second.fingerprinted} fingerprint computed, "
        f"the other {second.submissions - second.fingerprinted} read back; {second.pairs.count()} pairs)",
        f"process max RSS {peak:.0f} MB",
    ]


def compare(assignment: Assignment, admin: Membership, now):
    run_ = similarity_run_request(assignment=assignment, by=admin, now=now)
    similarity_run_execute(run=similarity_run_claim(run_id=run_.id, now=now), clock=timezone.now)
    run_.refresh_from_db()
    return run_


def upload(member: Membership, assignment: Assignment, code: str, now) -> None:
    files = (CheckedFile("hw1.py", code.encode()), CheckedFile("README.md", README))
    submission_create(member=member, assignment=assignment, upload=CheckedUpload(files=files), now=now)


def build_course(count: int, seed: int, now):
    tag = secrets.token_hex(4)
    course = Course.objects.create(
        slug=f"bench-{tag}", number="BENCH", title="Similarity benchmark", term="Throwaway",
        starts_on=(now - timedelta(weeks=10)).date(), ends_on=(now + timedelta(weeks=5)).date(),
        meeting_times="-", location="-")
    category = GradingCategory.objects.create(course=course, key="assignments", name="Assignments",
                                              weight=Decimal(45), order=0)
    hw1 = Assignment.objects.create(course=course, key="hw1", title="HW1 coding", kind=Assignment.Kind.CODING,
                                    category=category, points=Decimal(100), release_at=now - timedelta(days=14),
                                    due_at=now + timedelta(days=1), autograder_spec="hw1",
                                    required_files=["hw1.py", "README.md"])
    admin_user = User.objects.create(username=f"bench-prof-{tag}", password="!")
    admin = Membership.objects.create(user=admin_user, course=course, role=Membership.Role.INSTRUCTOR)
    users = User.objects.bulk_create(User(username=f"bench-{tag}-{n}", password="!") for n in range(count))
    members = Membership.objects.bulk_create(Membership(user=u, course=course, role=Membership.Role.STUDENT)
                                             for u in users)
    sources = list(submissions(count, seed).values())
    for member, code in zip(members, sources):
        upload(member, hw1, code, now - timedelta(hours=1))
    return hw1, admin, members, sources
