"""The child half of the autograder's benchmark (benchmarks/autograder.py): one broker, a throwaway
database, workers of its own. ``manage.py bench_autograder --child`` runs `child` in the environment the
parent's `run_child` set, and prints what it returns as one JSON line."""
from __future__ import annotations

import os
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from benchmarks.autograder import Sizes, cores, hw1_files, machine_busy_seconds, own_cpu_seconds, tree_cpu_seconds
from benchmarks.workers import Worker, stop_all


def child(folder: Path, label: str, tag: str, sizes: Sizes) -> dict:
    """Runs with the throwaway environment run_child() set; refuses anything else."""
    from django.core.management import call_command

    from coursesite.celery import app

    check_throwaway(folder, tag)
    call_command("migrate", verbosity=0, interactive=False)
    queue = f"bench-{tag}-{label}"
    app.conf.task_default_queue = queue        # this run's sends reach this run's workers only
    warmups = 2 * sizes.workers
    assignment, members = build_course(f"{tag}-{label}", warmups + sizes.samples + sizes.burst)
    workers = [Worker(queue, env=dict(os.environ), log=folder / f"worker-{label}-{i}.log", name=f"{queue}-{i}",
                      loglevel="WARNING", heartbeat=False).start() for i in range(sizes.workers)]
    try:
        # A fresh worker's first gradings open connections and fill caches: not samples.
        wait_graded(upload_together(assignment, members[:warmups])[0], timeout=120, workers=workers)
        members = members[warmups:]
        latencies = []
        for member in members[:sizes.samples]:
            (job_id,), committed = upload_together(assignment, [member])
            job = wait_graded([job_id], timeout=60, workers=workers)[0]
            latencies.append((job.finished_at - committed).total_seconds())
        pids = [worker.pid for worker in workers]
        before = tree_cpu_seconds(pids), machine_busy_seconds(), own_cpu_seconds()
        job_ids, committed = upload_together(assignment, members[sizes.samples:])
        jobs = wait_graded(job_ids, timeout=max(120.0, 10.0 * sizes.burst / sizes.workers), workers=workers)
        after = tree_cpu_seconds(pids), machine_busy_seconds(), own_cpu_seconds()
        burst = {
            "count": len(jobs),
            "drain_seconds": (max(job.finished_at for job in jobs) - committed).total_seconds(),
            "cpu_seconds": sum(run_["cpu_seconds"] for job in jobs for run_ in job.result["extra_data"]["runs"]),
            "cores": cores(),
            "workers": sizes.workers,
            # Diagnostics: all the workers' CPU (sandbox, the grader's trusted side, Celery, SQLite), and what
            # the rest of the machine used meanwhile (PostgreSQL's server among it; a busy machine makes every
            # figure worse).
            "worker_cpu_seconds": None if None in (before[0], after[0]) else after[0] - before[0],
            "others_cpu_seconds": None if None in (before[0], after[0], before[1], after[1]) else
            (after[1] - before[1]) - (after[0] - before[0]) - (after[2] - before[2]),
        }
    finally:
        stop_all(workers, timeout=30)
    return {"latencies": latencies, "burst": burst}


def check_throwaway(folder: Path, tag: str) -> None:
    from django.db import connection

    folder = folder.resolve()

    def inside(path) -> bool:
        return Path(path).resolve().is_relative_to(folder)

    db = connection.settings_dict
    ours = inside(db["NAME"]) if connection.vendor == "sqlite" else db["NAME"] == f"bench_{tag}"
    local_media = settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    if not (ours and local_media and inside(settings.MEDIA_ROOT) and inside(settings.VAR_DIR)):
        raise CommandError(f"refusing to run: the database {db['NAME']}, MEDIA_ROOT {settings.MEDIA_ROOT} (on the "
                           f"file system, not a bucket) and "
                           f"COURSESITE_VAR_DIR {settings.VAR_DIR} must all be the benchmark's throwaway ones "
                           f"in {folder}")


def build_course(tag: str, students: int):
    from django.utils import timezone

    from coursesite.assignments.models import Assignment
    from coursesite.courses.models import Course, GradingCategory
    from coursesite.people.models import Membership, User

    now = timezone.now()
    course = Course.objects.create(
        slug=f"bench-{tag}", number="BENCH", title="Autograder benchmark", term="Throwaway",
        starts_on=(now - timedelta(weeks=3)).date(), ends_on=(now + timedelta(weeks=12)).date(),
        meeting_times="-", location="-",
    )
    category = GradingCategory.objects.create(course=course, key="assignments", name="Assignments", weight=Decimal(100))
    assignment = Assignment.objects.create(
        course=course, category=category, key="hw1-coding", title="HW1 (coding)", kind=Assignment.Kind.CODING,
        points=Decimal(100), release_at=now - timedelta(weeks=1), due_at=now + timedelta(weeks=1),
        autograder_spec="hw1", required_files=["hw1.py", "README.md"],
    )
    users = User.objects.bulk_create(User(username=f"bench-{tag}-{n}", password="!") for n in range(students))
    members = Membership.objects.bulk_create(
        Membership(user=user, course=course, role=Membership.Role.STUDENT) for user in users
    )
    return assignment, list(Membership.objects.filter(id__in=[m.id for m in members]).order_by("id"))


def upload_together(assignment, members) -> tuple[list[int], object]:
    """One upload per member through the upload service, in one transaction; (job ids, commit time)."""
    from django.db import transaction
    from django.utils import timezone

    from coursesite.assignments.services import submission_create
    from coursesite.assignments.uploads import CheckedFile, CheckedUpload
    from coursesite.autograding.models import GradingJob

    upload = CheckedUpload(files=tuple(CheckedFile(name, content) for name, content in hw1_files().items()))
    committed = []
    with transaction.atomic():
        # Registered first, so it runs first at the commit: before the grading tasks are sent.
        transaction.on_commit(lambda: committed.append(timezone.now()))
        submissions = [submission_create(member=m, assignment=assignment, upload=upload, now=timezone.now())
                       for m in members]
    ids = dict(GradingJob.objects.filter(submission__in=submissions).values_list("submission_id", "id"))
    return [ids[s.id] for s in submissions], committed[0]


def wait_graded(job_ids: list[int], *, timeout: float, workers: list[Worker]) -> list:
    from coursesite.autograding.models import GradingJob

    deadline = time.monotonic() + timeout
    pending = GradingJob.objects.filter(id__in=job_ids).exclude(status__in=GradingJob.FINISHED)
    while pending.exists():
        dead = [w for w in workers if not w.alive()]
        if dead or time.monotonic() > deadline:
            raise CommandError(f"{pending.count()} of {len(job_ids)} job(s) not graded after {timeout:g} s"
                               + (f"; a worker died: {dead[0].name}\n{dead[0].log_tail()}" if dead else ""))
        time.sleep(0.02 if len(job_ids) == 1 else 0.25)
    jobs = list(GradingJob.objects.filter(id__in=job_ids))
    bad = [job for job in jobs if job.status != GradingJob.Status.DONE or job.score != job.max_score]
    if bad:
        raise CommandError(f"the reference solution was not graded 100 %: job {bad[0].id} is {bad[0].status} "
                           f"({bad[0].score} of {bad[0].max_score}) {bad[0].staff_message}")
    return jobs
